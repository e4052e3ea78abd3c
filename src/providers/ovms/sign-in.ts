/**
 * OVMS sign-in: connect with the owner's credentials on a connection of its own, subscribe to the
 * vehicle's metrics, and succeed when the module's retained metrics arrive — proof that the
 * credentials are good and that a module publishes as that user and vehicle id.
 */
import mqtt from 'mqtt';
import { SignInError, type LiveVehicle } from '../provider.js';
import { clientIdOf, syncWith, within } from './connection.js';
import type { OvmsCredentials } from './credentials.js';
import { metricName, topicPrefix } from './metrics.js';
import { signInErrorOf } from './mqtt-errors.js';
import { identify } from './vehicle-identity.js';

/** SUBACK's failure code (MQTT 3.1.1 §3.9.3): the broker's ACL refused the subscription. */
const SUBSCRIPTION_REFUSED = 128;

export interface SignInTimings {
  /** For connecting and each broker round trip. */
  timeoutMs: number;
  /** How long to wait for a first live metric when the broker holds no retained ones. */
  firstMetricMs: number;
}

/** The vehicle's current metrics, or a SignInError saying what is wrong. */
export async function fetchModuleMetrics(credentials: OvmsCredentials, timings: SignInTimings): Promise<Map<string, string>> {
  const { server, username, password, vehicleId } = credentials;
  const prefix = topicPrefix(username, vehicleId);
  const metrics = new Map<string, string>();
  const client = mqtt.connect(server, {
    username, password, clientId: clientIdOf('sign-in'), reconnectPeriod: 0, connectTimeout: timings.timeoutMs,
  });
  // Errors arrive through the promises below; this listener keeps an emitted one from being unhandled.
  client.on('error', () => {});
  let firstMetric = () => {};
  const arrived = new Promise<void>((resolve) => {
    firstMetric = resolve;
  });
  client.on('message', (topic, payload) => {
    const name = topic.startsWith(prefix) ? metricName(topic.slice(prefix.length)) : undefined;
    if (!name) return;
    metrics.set(name, payload.toString('utf8'));
    firstMetric();
  });
  try {
    await within(new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
      client.once('close', () => reject(new SignInError(`Cannot reach the MQTT server at ${server}.`)));
    }), timings.timeoutMs, () => new SignInError(`The MQTT server at ${server} does not answer.`));
    const unanswered = () => new SignInError(`The MQTT server at ${server} stopped answering.`);
    const granted = await within(client.subscribeAsync(`${prefix}metric/#`), timings.timeoutMs, unanswered);
    if (granted.some((g) => g.qos === SUBSCRIPTION_REFUSED)) {
      throw new SignInError(`The MQTT server does not let ${username} read ${prefix}metric/.`);
    }
    await within(syncWith(client, vehicleId), timings.timeoutMs, unanswered);
    if (metrics.size === 0) await within(arrived, timings.firstMetricMs, () => new SignInError(`No OVMS module publishes as ${username}/${vehicleId} on that server.`));
    return metrics;
  } catch (error) {
    throw signInErrorOf(error, server);
  } finally {
    client.end(true);
  }
}

export async function signInVehicle(
  credentials: OvmsCredentials, timings: SignInTimings, now: Date, state: string,
): Promise<LiveVehicle> {
  const metrics = await fetchModuleMetrics(credentials, timings);
  return { ...identify(metrics, credentials.vehicleId, now), providerState: state };
}
