/**
 * MQTT.js failures in words an owner can act on; nothing here quotes a credential. Whatever keeps
 * carport from reaching the broker — an address the outbound policy refuses, a closed port, an
 * unknown host, a timeout — reads the same, so the form tells nothing of what lies behind carport.
 */
import { SignInError } from '../provider.js';

/** CONNACK return codes 4 (bad username or password) and 5 (not authorized), MQTT 3.1.1 §3.2.2.3. */
const REFUSED_CREDENTIALS = new Set([4, 5, 134, 135]);

export function cannotReach(server: string): SignInError {
  return new SignInError(`Cannot reach the MQTT server at ${server}.`);
}

export function signInErrorOf(error: unknown, server: string): SignInError {
  if (error instanceof SignInError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number' && REFUSED_CREDENTIALS.has(code)) {
    return new SignInError('The MQTT server refused this username and password.');
  }
  if (code === 'EMQTTPACKETTOOLARGE') return new SignInError(`The MQTT server at ${server} sent more than carport accepts.`);
  if (typeof code === 'string' && /CERT|TLS|SSL/.test(code)) {
    return new SignInError(`The TLS certificate of ${server} is not trusted.`);
  }
  return cannotReach(server);
}
