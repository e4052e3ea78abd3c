/**
 * OVMS_BROKERS: the only MQTT brokers owners may name in the sign-in, as `host[:port]` entries. An
 * entry without a port stands for the scheme's default one (1883 for mqtt:, 8883 for mqtts:).
 * Hosts compare case-insensitively and as typed: `10.0.0.5` does not admit `0x0a000005`.
 */
import { commaList } from '../../core/index.js';

export type BrokerAllowList = (server: string) => boolean;

interface Entry {
  host: string;
  port: number | undefined;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { 'mqtt:': 1883, 'mqtts:': 8883 };

/** Every server when `listed` is unset; otherwise only the listed ones. */
export function brokerAllowList(listed: string | undefined): BrokerAllowList {
  if (listed === undefined || listed.trim() === '') return () => true;
  const entries = commaList(listed).map(entryOf);
  return (server) => {
    let url: URL;
    try {
      url = new URL(server);
    } catch {
      return false;
    }
    const standard = DEFAULT_PORTS[url.protocol];
    if (standard === undefined) return false;
    const host = url.hostname.toLowerCase();
    const port = url.port === '' ? standard : Number(url.port);
    return entries.some((e) => e.host === host && (e.port ?? standard) === port);
  };
}

function entryOf(text: string): Entry {
  let url: URL;
  try {
    url = new URL(`mqtt://${text}`);
  } catch {
    throw new Error(`OVMS_BROKERS: ${text} is not host[:port] (write IPv6 addresses as [::1]:1883)`);
  }
  return { host: url.hostname.toLowerCase(), port: url.port === '' ? undefined : Number(url.port) };
}
