/**
 * One outbound address policy for every connection carport opens on someone's behalf: webhook
 * VERIFY and deliveries (HTTP), OVMS brokers (MQTT), and any provider to come.
 */
import type { Agent } from 'undici';
import { addressPolicy, defaultAllowCidrs, type AddressPolicy, type OutboundLog } from './address-policy.js';
import { outboundDispatcher } from './http-dispatcher.js';
import { outboundMqtt, type MqttConnector } from './mqtt-connect.js';

export { addressPolicy, defaultAllowCidrs, embeddedIPv4, OutboundRefusedError, REFUSED_CIDRS, type AddressPolicy, type OutboundLog } from './address-policy.js';
export { outboundDispatcher } from './http-dispatcher.js';
export { guardPacketSize, MqttPacketTooLargeError, outboundMqtt, packetScanner, type MqttConnectOptions, type MqttConnector } from './mqtt-connect.js';

/** How long an outbound HTTP connection may take to open; receivers get the same to answer. */
export const OUTBOUND_CONNECT_TIMEOUT_MS = 15_000;

export interface Outbound {
  policy: AddressPolicy;
  /** undici dispatcher for HTTP on a developer's behalf. */
  http: Agent;
  /** MQTT clients on an owner's behalf. */
  mqtt: MqttConnector;
  log: OutboundLog;
}

/** The policy from `OUTBOUND_ALLOW_CIDRS`, or from `HOST` when that is unset. */
export function outboundFrom(config: { outboundAllowCidrs?: string | undefined; host: string }, log: OutboundLog): Outbound {
  const policy = addressPolicy({ allowCidrs: config.outboundAllowCidrs ?? defaultAllowCidrs(config.host), log });
  return { policy, http: outboundDispatcher(policy, { connectTimeoutMs: OUTBOUND_CONNECT_TIMEOUT_MS }), mqtt: outboundMqtt(policy), log };
}
