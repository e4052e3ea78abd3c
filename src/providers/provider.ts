/**
 * The adapter SPI. A provider has a small mandatory core (identity, health, capabilities), reads
 * catalog signals (core/signal-catalog) together from one look at the car, and has one optional
 * handler per command, discovered at run time by its presence. Providers answer signal bodies in
 * the catalog's metric units and throw core domain errors;
 * scheduling, caching and rate budgets live above them, in vehicles/.
 */
import type {
  CommandArgs, CommandName, DomainError, NotCapableReason, Powertrain, SignalBody,
} from '../core/index.js';

/** What a provider needs to know about the vehicle it is asked about. */
export interface VehicleRef {
  id: string;
  make: string;
  model: string;
  year: number;
  vin: string;
  powertrain: Powertrain;
  /** The provider's own stored state for this vehicle, opaque to everything else. */
  providerState: string;
  /** Version of providerState, for compare-and-set writes. */
  providerStateVersion: number;
}

/** Where a provider keeps per-vehicle state; implemented over the database by vehicles/. */
export interface ProviderStateStore {
  load(vehicleId: string): Promise<{ state: string; version: number } | undefined>;
  /** Writes only if the stored version is still `expectedVersion`; false when someone wrote first. */
  save(vehicleId: string, state: string, expectedVersion: number): Promise<boolean>;
}

export type Support = 'supported' | NotCapableReason;

/** Support of every catalog signal (by code) for one car. */
export type SignalSupport = Readonly<Record<string, Support>>;

export interface CapabilityMatrix {
  signals: SignalSupport;
  commands: Readonly<Record<CommandName, Support>>;
}

/**
 * One signal as a provider answered it: a value with its freshness, or the reason it has none
 * (the last known body may come with the error, as real v3 payloads carry it).
 */
export type SignalOutcome =
  | { status: 'SUCCESS'; body: SignalBody; observedAt: Date; fetchedAt: Date }
  | { status: 'ERROR'; error: DomainError; body?: SignalBody; observedAt?: Date; fetchedAt?: Date };

/** Outcomes by signal code. */
export type SignalReadings = ReadonlyMap<string, SignalOutcome>;

export type CommandHandler<C extends CommandName> = (vehicle: VehicleRef, args: CommandArgs[C]) => Promise<void>;

export type CommandHandlers = { readonly [C in CommandName]?: CommandHandler<C> };

export interface ProviderHealth {
  ok: boolean;
  detail?: string;
}

export interface VehicleProvider {
  /** Stable identifier stored with each vehicle, e.g. `simulator`. */
  readonly name: string;
  health(): Promise<ProviderHealth>;
  /** What this particular car supports (catalog signals by code, commands), and why not where it does not. */
  capabilities(vehicle: VehicleRef): CapabilityMatrix;
  /**
   * Reads the given signals (codes the car supports) together, from one look at the car. A signal
   * that fails alone is an ERROR outcome; the whole read throws only when the car cannot be reached.
   */
  readSignals(vehicle: VehicleRef, codes: readonly string[]): Promise<SignalReadings>;
  readonly commands: CommandHandlers;
  /** Present on providers that serve live mode: their sign-in step in Connect. */
  readonly liveSignIn?: LiveSignIn;
  /** Releases upstream connections when the platform stops. */
  close?(): Promise<void>;
}

/** One input of a provider's own sign-in form; the form is rendered by Connect, never by the provider. */
export interface SignInField {
  name: string;
  label: string;
  type: 'text' | 'password' | 'url';
  /** Shown under the field, e.g. the expected URL form. */
  hint?: string;
}

/** A vehicle found by a live sign-in, with the provider's opaque state (credentials sealed inside). */
export interface LiveVehicle {
  vin: string;
  make: string;
  model: string;
  year: number;
  powertrain: Powertrain;
  providerState: string;
}

export interface LiveAccount {
  /** Stable key of the owner at this provider: the same sign-in reaches the same account. */
  accountKey: string;
  vehicles: LiveVehicle[];
}

/** A sign-in the owner can fix (wrong password, unknown vehicle, server down); the message is shown to them as is. */
export class SignInError extends Error {}

/**
 * Live mode's sign-in, declared by a provider that talks to real cars. Each upstream asks for
 * different things (a carmaker's email and password, a broker URL and a vehicle id), so the provider
 * names its fields and Connect renders them; verifying them is the provider's job alone.
 */
export interface LiveSignIn {
  /** How the provider appears in Connect's brand picker. */
  brand: { make: string; displayName: string };
  fields: readonly SignInField[];
  /** Checks the credentials against the upstream; throws SignInError with a user-facing message. */
  signIn(fields: Readonly<Record<string, string>>): Promise<LiveAccount>;
}
