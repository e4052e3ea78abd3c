/**
 * One MQTT connection per (server, username, password), shared by that owner's vehicles. It keeps
 * the last value of each metric of the vehicles it was asked about, in bounded maps, and reconnects
 * on its own; errors are logged (without credentials) and never thrown out of an event handler.
 */
import { randomBytes } from 'node:crypto';
import type { MqttClient } from 'mqtt';
import { BoundedMap, UpstreamError, type Clock } from '../../core/index.js';
import type { MqttConnector } from '../../outbound/index.js';
import type { OvmsCredentials } from './credentials.js';
import { MAX_METRIC_BYTES, MAX_PACKET_BYTES, metricName, topicPrefix, type MetricValue, type Metrics } from './metrics.js';

/** OVMS defines a few hundred standard metrics; vendor ones add some. */
const MAX_METRICS_PER_VEHICLE = 1024;
const MAX_VEHICLES_PER_CONNECTION = 256;
const RECONNECT_MS = 5_000;

export interface OvmsLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface ConnectionOptions {
  clock: Clock;
  log: OvmsLog;
  /** How long a read waits for the broker before giving up. */
  timeoutMs: number;
  /** How long a command waits for the module's reply and for the metric that confirms it. */
  commandTimeoutMs: number;
  /** Opens MQTT connections under the outbound address policy, checked again at every reconnect. */
  mqtt: MqttConnector;
}

/** Rejects with `error` unless `promise` settles within `ms`. */
export function within<T>(promise: Promise<T>, ms: number, error: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(error()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function clientIdOf(purpose: string): string {
  return `carport-${purpose}-${randomBytes(6).toString('hex')}`;
}

export class OvmsConnection {
  private readonly client: MqttClient;
  private readonly vehicles = new BoundedMap<string, { metrics: BoundedMap<string, MetricValue>; subscribed: Promise<void> }>(MAX_VEHICLES_PER_CONNECTION);
  /** Command replies awaited, by response topic. */
  private readonly replies = new Map<string, (text: string) => void>();
  /** Called whenever a metric arrives, so a command can wait for the metric that confirms it. */
  private readonly arrivals = new Set<() => void>();
  private readonly ownerPrefix: string;

  constructor(private readonly credentials: OvmsCredentials, private readonly options: ConnectionOptions) {
    this.ownerPrefix = `ovms/${credentials.username}/`;
    this.client = options.mqtt(credentials.server, {
      username: credentials.username, password: credentials.password, clientId: clientIdOf('read'),
      reconnectPeriod: RECONNECT_MS, connectTimeout: options.timeoutMs, maxPacketBytes: MAX_PACKET_BYTES,
    });
    this.client.on('error', (error) => {
      options.log.warn({ server: credentials.server, code: (error as { code?: unknown }).code }, 'OVMS MQTT connection error');
    });
    this.client.on('message', (topic, payload) => this.receive(topic, payload));
  }

  private receive(topic: string, payload: Buffer): void {
    const reply = this.replies.get(topic);
    if (reply) return reply(payload.toString('utf8'));
    if (!topic.startsWith(this.ownerPrefix)) return;
    const rest = topic.slice(this.ownerPrefix.length);
    const slash = rest.indexOf('/');
    const name = metricName(rest.slice(slash + 1));
    const vehicle = slash > 0 ? this.vehicles.get(rest.slice(0, slash)) : undefined;
    if (!vehicle || !name || payload.length > MAX_METRIC_BYTES) return;
    vehicle.metrics.set(name, { text: payload.toString('utf8'), at: this.options.clock.now() });
    for (const arrived of this.arrivals) arrived();
  }

  /**
   * Runs a shell command on the module (`client/<id>/command/<n>`) and answers its reply text. The
   * reply is free text, so callers confirm the effect with `until`, not by reading it.
   */
  async command(vehicleId: string, line: string): Promise<string> {
    const prefix = `${topicPrefix(this.credentials.username, vehicleId)}client/${this.client.options.clientId}/`;
    const id = randomBytes(6).toString('hex');
    const responseTopic = `${prefix}response/${id}`;
    const noAnswer = () => new UpstreamError('NO_RESPONSE', 'the OVMS module did not answer the command');
    const reply = new Promise<string>((resolve) => this.replies.set(responseTopic, resolve));
    try {
      await within(this.client.subscribeAsync(responseTopic, { qos: 1 }), this.options.timeoutMs, noAnswer);
      await within(this.client.publishAsync(`${prefix}command/${id}`, line, { qos: 1 }), this.options.timeoutMs, noAnswer);
      return await within(reply, this.options.commandTimeoutMs, noAnswer);
    } finally {
      this.replies.delete(responseTopic);
      this.client.unsubscribeAsync(responseTopic).catch(() => {});
    }
  }

  /** Waits until the vehicle's metrics satisfy `done` (checked at once and on every arrival). */
  async until(vehicleId: string, done: (metrics: Metrics) => boolean, error: () => Error): Promise<void> {
    const metrics = await this.metrics(vehicleId);
    if (done(metrics)) return;
    let arrived!: () => void;
    const confirmed = new Promise<void>((resolve) => {
      arrived = () => {
        if (done(metrics)) resolve();
      };
    });
    this.arrivals.add(arrived);
    try {
      await within(confirmed, this.options.commandTimeoutMs, error);
    } finally {
      this.arrivals.delete(arrived);
    }
  }

  /**
   * The vehicle's metrics as of now: subscribes on first use, then makes one round trip to the
   * broker, so everything the broker accepted before this call (retained values included) is in.
   */
  async metrics(vehicleId: string): Promise<Metrics> {
    let vehicle = this.vehicles.get(vehicleId);
    if (!vehicle) {
      const prefix = topicPrefix(this.credentials.username, vehicleId);
      const subscribed = this.client.subscribeAsync(`${prefix}metric/#`).then(() => undefined);
      vehicle = { metrics: new BoundedMap(MAX_METRICS_PER_VEHICLE), subscribed };
      this.vehicles.set(vehicleId, vehicle);
      // A failed subscription is retried by the next read, not remembered.
      subscribed.catch(() => {
        if (this.vehicles.get(vehicleId) === vehicle) this.vehicles.delete(vehicleId);
      });
    }
    const unreachable = () => new UpstreamError('NO_RESPONSE', `the MQTT server ${this.credentials.server} does not answer`);
    await within(vehicle.subscribed, this.options.timeoutMs, unreachable);
    await within(syncWith(this.client, vehicleId), this.options.timeoutMs, unreachable);
    return vehicle.metrics;
  }

  async close(): Promise<void> {
    await this.client.endAsync(true);
  }
}

/**
 * A round trip that orders after every message the broker queued for this client: brokers answer
 * packets in order, and unsubscribing from a topic never subscribed changes nothing.
 */
export async function syncWith(client: MqttClient, tag: string): Promise<void> {
  await client.unsubscribeAsync(`carport/sync/${tag}`);
}
