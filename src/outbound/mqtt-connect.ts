/**
 * MQTT clients for connections made on an owner's behalf (OVMS brokers). MQTT.js dials with its own
 * `net.connect` and no lookup hook, so the stream is built here: an IP literal is checked before
 * dialling and a name on every address it resolves to (the same policy as HTTP), for `mqtt:` and
 * `mqtts:` alike. A broker may also not send packets larger than `maxPacketBytes`: MQTT 3.1.1 has
 * no way to say so, and MQTT.js buffers a whole packet (up to 256 MB) before looking at it, so the
 * fixed headers are read as bytes arrive and the connection is dropped at the first oversized one.
 */
import { Socket, isIP, connect as netConnect } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { MqttClient, type IClientOptions } from 'mqtt';
import type { AddressPolicy } from './address-policy.js';

export class MqttPacketTooLargeError extends Error {
  readonly code = 'EMQTTPACKETTOOLARGE';
  constructor(limit: number) {
    super(`the MQTT server sent a packet larger than ${limit} bytes`);
  }
}

export interface MqttConnectOptions extends Omit<IClientOptions, 'host' | 'port' | 'protocol' | 'hostname' | 'servers'> {
  /** The largest packet the server may send, fixed header included. */
  maxPacketBytes: number;
}

export type MqttConnector = (server: string, options: MqttConnectOptions) => MqttClient;

/** A connector for `mqtt://host[:port]` and `mqtts://host[:port]` URLs under `policy`. */
export function outboundMqtt(policy: AddressPolicy): MqttConnector {
  return (server, options) => {
    const url = new URL(server);
    const secure = url.protocol === 'mqtts:';
    if (!secure && url.protocol !== 'mqtt:') throw new Error(`not an MQTT URL: ${url.protocol}`);
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = Number(url.port || (secure ? 8883 : 1883));
    const { maxPacketBytes, ...clientOptions } = options;
    const build = () => {
      let socket: Socket;
      try {
        policy.checkLiteral(host);
        socket = secure
          ? tlsConnect({ host, port, servername: isIP(host) === 0 ? host : undefined, lookup: policy.lookup, rejectUnauthorized: true })
          : netConnect({ host, port, lookup: policy.lookup });
      } catch (error) {
        socket = new Socket();
        process.nextTick(() => socket.destroy(error as Error));
        return socket;
      }
      guardPacketSize(socket, maxPacketBytes);
      return socket;
    };
    const client = new MqttClient(build, { ...clientOptions, protocol: secure ? 'mqtts' : 'mqtt' });
    // As mqtt.connect does: an error nobody listens for must not crash the process.
    client.on('error', () => {});
    return client;
  };
}

/** Destroys `socket` as soon as a packet header announces more than `limit` bytes. */
export function guardPacketSize(socket: Socket, limit: number): void {
  const scan = packetScanner(limit);
  socket.on('data', (chunk: Buffer) => {
    if (!scan(chunk)) socket.destroy(new MqttPacketTooLargeError(limit));
  });
}

/**
 * Follows MQTT framing over a byte stream (a type byte, a 1–4 byte remaining length, then the
 * body); answers false once a packet would be larger than `limit`.
 */
export function packetScanner(limit: number): (chunk: Buffer) => boolean {
  let skip = 0; // body bytes of the current packet still to pass
  let header: number[] | null = null; // bytes of the fixed header read so far (type byte first)
  return (chunk) => {
    let i = 0;
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      header ??= [];
      header.push(chunk[i]!);
      i += 1;
      if (header.length === 1) continue;
      const last = header[header.length - 1]!;
      if (last & 0x80) {
        if (header.length === 5) return false; // a remaining length longer than 4 bytes is malformed
        continue;
      }
      let length = 0;
      for (let k = header.length - 1; k >= 1; k -= 1) length = length * 128 + (header[k]! & 0x7f);
      if (header.length + length > limit) return false;
      skip = length;
      header = null;
    }
    return true;
  };
}
