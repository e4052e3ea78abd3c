/**
 * The adapter SPI. A provider has a small mandatory core (identity, health, capabilities) and one
 * optional reader per signal and one optional handler per command, discovered at run time by their
 * presence. Providers return readings in canonical metric units and throw core domain errors;
 * scheduling, caching and rate budgets live above them, in vehicles/.
 */
import type {
  CommandArgs, CommandName, NotCapableReason, Powertrain, Reading, SignalName, SignalValues,
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

export interface CapabilityMatrix {
  signals: Readonly<Record<SignalName, Support>>;
  commands: Readonly<Record<CommandName, Support>>;
}

export type SignalReader<S extends SignalName> = (vehicle: VehicleRef) => Promise<Reading<SignalValues[S]>>;
export type CommandHandler<C extends CommandName> = (vehicle: VehicleRef, args: CommandArgs[C]) => Promise<void>;

export type SignalReaders = { readonly [S in SignalName]?: SignalReader<S> };
export type CommandHandlers = { readonly [C in CommandName]?: CommandHandler<C> };

export interface ProviderHealth {
  ok: boolean;
  detail?: string;
}

export interface VehicleProvider {
  /** Stable identifier stored with each vehicle, e.g. `simulator`. */
  readonly name: string;
  health(): Promise<ProviderHealth>;
  /** What this particular car supports, and why not where it does not. */
  capabilities(vehicle: VehicleRef): CapabilityMatrix;
  readonly readers: SignalReaders;
  readonly commands: CommandHandlers;
}
