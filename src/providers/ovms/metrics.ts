/**
 * OVMS "Server V3" metric topics and payloads (firmware ovms_server_v3.cpp): each metric is
 * published retained on `<prefix>metric/<name with . → />` as text in its native unit, booleans as
 * yes/no, with no timestamp — so when a value arrived is the best age there is.
 */
import { UpstreamError } from '../../core/index.js';

export interface MetricValue {
  text: string;
  /** When carport received it. */
  at: Date;
}

export type Metrics = ReadonlyMap<string, MetricValue>;

/**
 * A metric's text is a number, a yes/no or a short list; a longer payload is no metric carport
 * reads, and is dropped so that a hostile broker cannot fill memory with it.
 */
export const MAX_METRIC_BYTES = 1024;

/** The largest MQTT packet carport accepts from a broker: a metric or a command's reply with its topic. */
export const MAX_PACKET_BYTES = 64 * 1024;

/** The firmware's default prefix; a configured `topic.prefix` is not supported yet. */
export function topicPrefix(user: string, vehicleId: string): string {
  return `ovms/${user}/${vehicleId}/`;
}

export function metricName(topicAfterPrefix: string): string | undefined {
  return topicAfterPrefix.startsWith('metric/') ? topicAfterPrefix.slice('metric/'.length).replaceAll('/', '.') : undefined;
}

/** A metric that must be there: a module that never published it leaves the data point unreadable. */
export function required(metrics: Metrics, name: string): MetricValue {
  const value = metrics.get(name);
  if (!value || value.text === '') throw new UpstreamError('INVALID_DATA', `the OVMS module has not published ${name}`);
  return value;
}

export function numberOf(metric: MetricValue, name: string): number {
  const value = Number(metric.text);
  if (metric.text.trim() === '' || !Number.isFinite(value)) throw new UpstreamError('INVALID_DATA', `OVMS metric ${name} is not a number`);
  return value;
}

export function booleanOf(metric: MetricValue, name: string): boolean {
  const text = metric.text.trim().toLowerCase();
  if (text === 'yes' || text === '1' || text === 'true') return true;
  if (text === 'no' || text === '0' || text === 'false') return false;
  throw new UpstreamError('INVALID_DATA', `OVMS metric ${name} is not yes or no`);
}

/**
 * Reads the metrics one signal is made of and remembers each it used, so the oldest of them can
 * date the signal. A metric that is required but unpublished, or not of its type, throws
 * INVALID_DATA; an optional one that is unpublished is undefined.
 */
export class MetricReader {
  readonly used: MetricValue[] = [];

  constructor(private readonly metrics: Metrics) {}

  /** The metric's text, or undefined when the module has not published it (or published it empty). */
  optionalText(name: string): string | undefined {
    const metric = this.metrics.get(name);
    if (!metric || metric.text.trim() === '') return undefined;
    this.used.push(metric);
    return metric.text.trim();
  }

  text(name: string): string {
    return this.optionalText(name) ?? this.missing(name);
  }

  optionalNumber(name: string): number | undefined {
    const metric = this.metrics.get(name);
    if (!metric || metric.text.trim() === '') return undefined;
    this.used.push(metric);
    return numberOf(metric, name);
  }

  number(name: string): number {
    return this.optionalNumber(name) ?? this.missing(name);
  }

  optionalBoolean(name: string): boolean | undefined {
    const metric = this.metrics.get(name);
    if (!metric || metric.text.trim() === '') return undefined;
    this.used.push(metric);
    return booleanOf(metric, name);
  }

  boolean(name: string): boolean {
    return this.optionalBoolean(name) ?? this.missing(name);
  }

  /** A comma-separated vector metric (`v.t.pressure`) as numbers. */
  numbers(name: string): number[] {
    const text = this.text(name);
    return text.split(',').map((item) => numberOf({ text: item, at: new Date(0) }, name));
  }

  missing(name: string): never {
    throw new UpstreamError('INVALID_DATA', `the OVMS module has not published ${name}`);
  }
}
