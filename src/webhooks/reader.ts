/**
 * What webhooks read a vehicle through: one app's grant on one car, injected by the composition
 * root (webhooks/ knows no v2 endpoint and no error catalog; the reader translates both).
 */
import type { SignalBody } from '../core/index.js';

/** An error a signal's read answered, in the terms of Smartcar's error catalog. */
export interface SignalError {
  type: string;
  code: string | null;
  description: string;
  docURL: string;
  resolution: { type: string | null };
  suggestedUserMessage?: string;
}

/** One catalog signal as read: its body and times (epoch ms), or the error it answered. */
export type SignalRead =
  | { status: 'SUCCESS'; body: SignalBody; oemUpdatedAt: number; retrievedAt: number }
  | { status: 'ERROR'; error: SignalError };

/** The `payload.vehicles[]` entry of a v2.0 delivery: the webhook's data points answered as batch items. */
export interface VehicleData {
  data: { path: string; code: number; body: unknown; headers?: Record<string, string> }[];
}

export interface VehicleReader {
  mode: string;
  /** Whose car and which car: `data.user` and `data.vehicle` of a v4.0 event. */
  owner: { user: { id: string }; vehicle: { id: string; make: string; model: string; year: number } };
  /** v2 data points answered exactly as a batch answers them (a v2.0 payload's `data[]` mirrors batch items). */
  data(paths: string[]): Promise<VehicleData>;
  /**
   * Catalog signals under the app's grant, from one look at the car: every code is answered, a
   * signal the grant does not cover with a PERMISSION error and no read.
   */
  signals(codes: readonly string[]): Promise<ReadonlyMap<string, SignalRead>>;
  /** The catalog codes a webhook's data entries name: a code itself, or a v2 data path for the codes it shows. */
  codesOf(entries: readonly string[]): string[];
  /** The same grant over the state a write is storing: its reads derive from that state alone. */
  at(state: string, version: number): VehicleReader;
}
