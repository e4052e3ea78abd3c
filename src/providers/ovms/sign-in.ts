/**
 * OVMS sign-in: connect with the owner's credentials on a connection of its own, subscribe to the
 * vehicle's metrics, and succeed when the module's retained metrics arrive — proof that the
 * credentials are good and that a module publishes as that user and vehicle id.
 *
 * The broker is the owner's to name, so it is dialled under the outbound address policy (a refused
 * address is never contacted and reads exactly like a closed port or an unknown host), and what it
 * sends is bounded: packets, the number of metrics kept and each metric's size.
 */
import type { MqttConnector } from '../../outbound/index.js';
import { SignInError, type LiveVehicle } from '../provider.js';
import { clientIdOf, syncWith, within, type OvmsLog } from './connection.js';
import type { OvmsCredentials } from './credentials.js';
import { MAX_METRIC_BYTES, MAX_PACKET_BYTES, metricName, topicPrefix } from './metrics.js';
import { cannotReach, signInErrorOf } from './mqtt-errors.js';
import { identify } from './vehicle-identity.js';

/** SUBACK's failure code (MQTT 3.1.1 §3.9.3): the broker's ACL refused the subscription. */
const SUBSCRIPTION_REFUSED = 128;

/** OVMS defines a few hundred standard metrics; the sign-in needs only the few that name the car. */
export const MAX_SIGN_IN_METRICS = 512;

export interface SignInTimings {
  /** For connecting and each broker round trip. */
  timeoutMs: number;
  /** How long to wait for a first live metric when the broker holds no retained ones. */
  firstMetricMs: number;
}

export interface SignInContext {
  timings: SignInTimings;
  /** Opens MQTT connections under the outbound address policy. */
  mqtt: MqttConnector;
  log: OvmsLog;
}

/**
 * The first metrics a broker sends, at most `maxCount` names of at most `maxBytes` each: retained
 * values come first, and they hold what the sign-in needs. Later values of a kept name replace it.
 */
export class MetricBuffer {
  readonly metrics = new Map<string, string>();
  constructor(private readonly maxCount = MAX_SIGN_IN_METRICS, private readonly maxBytes = MAX_METRIC_BYTES) {}

  /** False when the metric was dropped. */
  add(name: string, payload: Buffer): boolean {
    if (payload.length > this.maxBytes) return false;
    if (!this.metrics.has(name) && this.metrics.size >= this.maxCount) return false;
    this.metrics.set(name, payload.toString('utf8'));
    return true;
  }
}

/** The vehicle's current metrics, or a SignInError saying what is wrong. */
export async function fetchModuleMetrics(credentials: OvmsCredentials, context: SignInContext): Promise<Map<string, string>> {
  const { server, username, password, vehicleId } = credentials;
  const { timings } = context;
  const prefix = topicPrefix(username, vehicleId);
  const buffer = new MetricBuffer();
  const client = context.mqtt(server, {
    username, password, clientId: clientIdOf('sign-in'), reconnectPeriod: 0, connectTimeout: timings.timeoutMs, maxPacketBytes: MAX_PACKET_BYTES,
  });
  // Whatever breaks the connection ends the sign-in at once, in any step.
  const broken = new Promise<never>((_, reject) => {
    client.on('error', reject);
    client.on('close', () => reject(cannotReach(server)));
  });
  broken.catch(() => {});
  const step = <T>(promise: Promise<T>, ms: number, error: () => Error) => within(Promise.race([promise, broken]), ms, error);
  let firstMetric = () => {};
  const arrived = new Promise<void>((resolve) => {
    firstMetric = resolve;
  });
  client.on('message', (topic, payload) => {
    const name = topic.startsWith(prefix) ? metricName(topic.slice(prefix.length)) : undefined;
    if (name && buffer.add(name, payload)) firstMetric();
  });
  try {
    // Not connecting in time reads like not connecting at all: the owner learns nothing more of an address.
    await step(new Promise<void>((resolve) => client.once('connect', () => resolve())), timings.timeoutMs, () => cannotReach(server));
    const unanswered = () => new SignInError(`The MQTT server at ${server} stopped answering.`);
    const granted = await step(client.subscribeAsync(`${prefix}metric/#`), timings.timeoutMs, unanswered);
    if (granted.some((g) => g.qos === SUBSCRIPTION_REFUSED)) {
      throw new SignInError(`The MQTT server does not let ${username} read ${prefix}metric/.`);
    }
    await step(syncWith(client, vehicleId), timings.timeoutMs, unanswered);
    if (buffer.metrics.size === 0) {
      await step(arrived, timings.firstMetricMs, () => new SignInError(`No OVMS module publishes as ${username}/${vehicleId} on that server.`));
    }
    return buffer.metrics;
  } catch (error) {
    const answer = signInErrorOf(error, server);
    if (!(error instanceof SignInError)) {
      context.log.warn({ server, code: (error as { code?: unknown } | null)?.code, err: (error as Error | null)?.message }, 'OVMS sign-in: the MQTT server failed');
    }
    throw answer;
  } finally {
    client.end(true);
  }
}

export async function signInVehicle(
  credentials: OvmsCredentials, context: SignInContext, now: Date, state: string,
): Promise<LiveVehicle> {
  const metrics = await fetchModuleMetrics(credentials, context);
  return { ...identify(metrics, credentials.vehicleId, now), providerState: state };
}
