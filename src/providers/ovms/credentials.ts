/**
 * What an OVMS owner signs in with, checked before any connection is tried, and kept in the
 * vehicle's provider state only sealed (AES-256-GCM under SECRET_KEY): the password must be read
 * back to reconnect, so it cannot be hashed.
 */
import { createHash } from 'node:crypto';
import { SignInError } from '../provider.js';

export interface OvmsCredentials {
  /** mqtt://host[:port] or mqtts://host[:port], without user info or path. */
  server: string;
  username: string;
  password: string;
  vehicleId: string;
}

/** The sealing port (oauth's sealer fits it); kept structural so providers import nothing of oauth. */
export interface Sealer {
  seal(plaintext: string): string;
  unseal(sealed: string): string;
}

// A topic level must not contain `/`, and `+` or `#` would subscribe to other owners' cars.
const TOPIC_LEVEL = /^[^/+#\s\p{Cc}]{1,64}$/u;

export function parseCredentials(fields: Readonly<Record<string, string>>): OvmsCredentials {
  const raw = (fields.server ?? '').trim();
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SignInError('Enter the MQTT server as mqtt://host:port or mqtts://host:port.');
  }
  if ((url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') || !url.hostname || url.username || url.password
    || (url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) {
    throw new SignInError('Enter the MQTT server as mqtt://host:port or mqtts://host:port.');
  }
  const username = (fields.username ?? '').trim();
  const vehicleId = (fields.vehicleId ?? '').trim();
  const password = fields.password ?? '';
  if (!TOPIC_LEVEL.test(username)) throw new SignInError('Enter the username your OVMS module uses on this server (no /, + or #).');
  if (!TOPIC_LEVEL.test(vehicleId)) throw new SignInError('Enter your OVMS vehicle id (no /, + or #).');
  if (password.length > 1024) throw new SignInError('That password is too long.');
  // Non-special schemes keep the host as typed; hosts are case-insensitive, so one spelling keys one account.
  return { server: `${url.protocol}//${url.host.toLowerCase()}`, username, password, vehicleId };
}

/** One owner per server and username: every vehicle signed in with them joins the same account. */
export function accountKeyOf(credentials: OvmsCredentials): string {
  return createHash('sha256').update(`ovms\n${credentials.server}\n${credentials.username}`).digest('hex');
}

interface StoredState {
  v: 1;
  credentials: string;
}

export function sealState(sealer: Sealer, credentials: OvmsCredentials): string {
  const state: StoredState = { v: 1, credentials: sealer.seal(JSON.stringify(credentials)) };
  return JSON.stringify(state);
}

export function unsealState(sealer: Sealer, providerState: string): OvmsCredentials {
  const state = JSON.parse(providerState) as StoredState;
  return JSON.parse(sealer.unseal(state.credentials)) as OvmsCredentials;
}
