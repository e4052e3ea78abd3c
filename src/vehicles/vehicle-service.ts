/**
 * The vehicle service: finds a vehicle's provider, checks the capability matrix, and reads signals
 * or runs commands through it. Everything above it sees one interface whatever the source.
 */
import { randomUUID } from 'node:crypto';
import type { Transaction } from 'kysely';
import {
  BoundedMap, EvictionMarks, NotCapableError, notCapable, nowMs, UpstreamError, type Clock, type CommandArgs, type CommandName, type Powertrain,
} from '../core/index.js';
import {
  simulator, type CapabilityMatrix, type LiveAccount, type ProviderStateStore, type SignalOutcome, type SignalReadings,
  type SignalSupport, type VehicleProvider, type VehicleRef,
} from '../providers/index.js';
import { noEvictions, type Database, type EvictionPublisher, type VehicleRecord, type VehiclesRepository } from '../store/index.js';

export interface Vehicle extends VehicleRef {
  accountId: string;
  mode: string;
  provider: string;
}

export interface NewAccount {
  mode: 'test' | 'simulated';
  make: string;
  /** Stable key of the owner within mode and brand (e.g. the sign-in email); same key, same cars. */
  accountKey: string;
  vehicleCount: number;
  /** Only this model of the make. */
  model?: string;
  /** VINs the vehicles must carry (test mode: Connect's single_select_vin), in order. */
  vins?: string[];
  /** Seed of the generated vehicles; defaults to the account key. */
  seed?: string;
  /** Hash of the account's password, where sign-in must check one (simulated mode). */
  passwordHash?: string;
  /** The app that creates this account through the management API. */
  developerAppId?: string;
}

/** What runs inside a state write's transaction once the write has won: `version` is the state's new one. */
export type AlongsideStateWrite = (trx: Transaction<Database>, state: string, version: number) => Promise<void>;

/**
 * Asked before each provider state write, outside any transaction (on SQLite a transaction holds
 * the only connection, so whatever needs the database first reads it here): answers the work that
 * must commit with the write, or null when nothing needs to.
 */
export type StateWriteHook = (vehicleId: string) => Promise<AlongsideStateWrite | null>;

function toVehicle(r: VehicleRecord): Vehicle {
  return {
    id: r.id, accountId: r.accountId, mode: r.mode, provider: r.provider, make: r.make, model: r.model,
    year: r.year, vin: r.vin, powertrain: r.powertrain as Powertrain, providerState: r.state,
    providerStateVersion: r.stateVersion,
  };
}

/**
 * `cacheMs` is how long this node may reuse a vehicle's record (and provider state) it read. Its own
 * writes evict at once, here and, through `evictions`, on the nodes sharing the database; `cacheMs`
 * bounds how late it sees a change whose notice it missed.
 */
export function vehicleService(
  repo: VehiclesRepository, providers: ReadonlyMap<string, VehicleProvider>, clock: Clock, cacheMs = 0,
  evictions: EvictionPublisher = noEvictions,
) {
  const cache = new BoundedMap<string, { vehicle: Vehicle; until: number }>(50_000);
  const evicted = new EvictionMarks();
  let stateWriteHook: StateWriteHook | null = null;

  function evict(id: string): void {
    cache.delete(id);
    evicted.mark(id);
  }

  /** A vehicle read from the database (it was not cached), cached unless a write evicted it meanwhile. */
  async function findStored(id: string, now: number): Promise<Vehicle | undefined> {
    const readAt = evicted.moment();
    const record = await repo.find(id);
    if (!record) return undefined;
    const vehicle = toVehicle(record);
    // A write that committed during the read evicted before this could cache what it replaced.
    if (cacheMs > 0 && !evicted.evictedSince(id, readAt)) {
      cache.set(id, { vehicle, until: now + cacheMs });
    }
    return vehicle;
  }

  function providerOf(vehicle: Vehicle): VehicleProvider {
    const provider = providers.get(vehicle.provider);
    if (!provider) throw new UpstreamError('NO_RESPONSE', `no provider ${vehicle.provider} on this node`);
    return provider;
  }

  return {
    /** A vehicle by id; a cached one without a promise (a request reads it on every call). */
    find(id: string): Vehicle | Promise<Vehicle | undefined> {
      const now = nowMs(clock);
      const hit = cache.get(id);
      return hit && hit.until > now ? hit.vehicle : findStored(id, now);
    },

    /** Reads many vehicles in one query into this node's cache (a worker about to read them one by one). */
    async warm(ids: string[]): Promise<void> {
      if (cacheMs <= 0 || ids.length === 0) return;
      const until = clock.now().getTime() + cacheMs;
      const readAt = evicted.moment();
      for (const record of await repo.findMany(ids)) {
        if (!evicted.evictedSince(record.id, readAt)) cache.set(record.id, { vehicle: toVehicle(record), until });
      }
    },

    /** Where providers keep per-vehicle state; writes through it evict this node's cached copy. */
    stateStore(): ProviderStateStore {
      return {
        async load(vehicleId) {
          const record = await repo.find(vehicleId);
          return record && { state: record.state, version: record.stateVersion };
        },
        async save(vehicleId, state, expectedVersion) {
          evict(vehicleId);
          const alongside = stateWriteHook ? await stateWriteHook(vehicleId) : null;
          let written: boolean;
          try {
            written = alongside
              ? await repo.compareAndSetState(vehicleId, expectedVersion, state, (trx) => alongside(trx, state, expectedVersion + 1))
              : await repo.compareAndSetState(vehicleId, expectedVersion, state);
          } catch (error) {
            // The work alongside may have read the state under its new version: no other state may ever carry it.
            if (alongside) await repo.skipStateVersion(vehicleId, expectedVersion + 1).catch(() => {});
            throw error;
          } finally {
            // The hook read the vehicle before the write, which may have cached the state it replaces.
            evict(vehicleId);
          }
          if (written) await evictions.publish('vehicle', [vehicleId]);
          return written;
        },
      };
    },

    /** Drops vehicles another node announced it wrote. */
    evict(ids: readonly string[]): void {
      for (const id of ids) evict(id);
    },

    /** Drops every cached vehicle (the eviction listener reconnected and may have missed notices). */
    evictAll(): void {
      cache.clear();
      evicted.markAll();
    },

    /** Sets the work every provider state write carries into its transaction (one hook: the composition root's). */
    onStateWrite(hook: StateWriteHook): void {
      stateWriteHook = hook;
    },

    /** The app that created this vehicle's simulated account through the management API, if any. */
    async developerOf(vehicle: Vehicle): Promise<string | null> {
      return (await repo.findAccountById(vehicle.accountId))?.developerAppId ?? null;
    },

    async findAccount(mode: string, accountKey: string) {
      return repo.findAccount(mode, accountKey);
    },

    async listByDeveloper(appId: string): Promise<Vehicle[]> {
      return (await repo.listByDeveloper(appId)).map(toVehicle);
    },

    async listByMode(mode: string): Promise<Vehicle[]> {
      return (await repo.listByMode(mode)).map(toVehicle);
    },

    async accountVehicles(accountId: string): Promise<Vehicle[]> {
      return (await repo.listByAccount(accountId)).map(toVehicle);
    },

    capabilities(vehicle: Vehicle): CapabilityMatrix {
      return providerOf(vehicle).capabilities(vehicle);
    },

    /** Which catalog signals the car can report (by code), and why not where it cannot. */
    signalSupport(vehicle: Vehicle): SignalSupport {
      return providerOf(vehicle).capabilities(vehicle).signals;
    },

    /**
     * Reads signals together from one look at the car. A code the car does not support answers an
     * ERROR outcome with the reason (never a throw); the read throws only when the car is unreachable.
     */
    async readSignals(vehicle: Vehicle, codes: readonly string[]): Promise<SignalReadings> {
      const provider = providerOf(vehicle);
      const support = provider.capabilities(vehicle).signals;
      const readable = codes.every((code) => support[code] === 'supported') ? codes : codes.filter((code) => support[code] === 'supported');
      const read = readable.length > 0 ? await provider.readSignals(vehicle, readable) : new Map<string, SignalOutcome>();
      // The usual read: every code asked was the car's to answer, and it did.
      if (readable === codes && codes.every((code) => read.has(code))) return read;
      const readings = new Map<string, SignalOutcome>();
      for (const code of codes) readings.set(code, read.get(code) ?? { status: 'ERROR', error: notCapable(support[code]) });
      return readings;
    },

    async command<C extends CommandName>(vehicle: Vehicle, command: C, args: CommandArgs[C]): Promise<void> {
      const provider = providerOf(vehicle);
      const support = provider.capabilities(vehicle).commands[command];
      const handler = provider.commands[command];
      if (support !== 'supported') throw new NotCapableError(support);
      if (!handler) throw new NotCapableError('SMARTCAR_NOT_CAPABLE');
      await handler(vehicle, args);
    },

    /**
     * Records a live sign-in: the provider's account for this key, created on first sign-in; its
     * vehicles matched by VIN get the new provider state (fresh credentials), new ones are added.
     */
    async saveLiveAccount(provider: string, make: string, account: LiveAccount): Promise<string> {
      const now = clock.now();
      const toRecord = (accountId: string, v: LiveAccount['vehicles'][number], i: number): VehicleRecord => ({
        id: randomUUID(), accountId, provider, mode: 'live', make: v.make, model: v.model, year: v.year, vin: v.vin,
        powertrain: v.powertrain, state: v.providerState, stateVersion: 0, createdAt: new Date(now.getTime() + i).toISOString(),
      });
      const existing = await repo.findAccount('live', account.accountKey);
      if (!existing) {
        const accountId = randomUUID();
        await repo.insertAccountWithVehicles(
          { id: accountId, accountKey: account.accountKey, mode: 'live', make, createdAt: now.toISOString(), passwordHash: null, developerAppId: null },
          account.vehicles.map((v, i) => toRecord(accountId, v, i)),
        );
        return accountId;
      }
      const known = await repo.listByAccount(existing.id);
      const added: VehicleRecord[] = [];
      const replaced: string[] = [];
      for (const [i, v] of account.vehicles.entries()) {
        const same = known.find((k) => k.provider === provider && k.vin === v.vin);
        if (same) {
          evict(same.id);
          await repo.replaceState(same.id, v.providerState);
          evict(same.id);
          replaced.push(same.id);
        } else {
          added.push(toRecord(existing.id, v, i));
        }
      }
      await repo.insertVehicles(added);
      await evictions.publish('vehicle', replaced);
      return existing.id;
    },

    /** The simulated owner account for this key, created with its vehicles on first use. */
    async ensureSimulatedAccount(input: NewAccount): Promise<{ accountId: string; vehicles: Vehicle[] }> {
      const existing = await repo.findAccount(input.mode, input.accountKey);
      if (existing) return { accountId: existing.id, vehicles: (await repo.listByAccount(existing.id)).map(toVehicle) };
      const now = clock.now();
      const at = now.toISOString();
      const accountId = randomUUID();
      const fleet = simulator.generateFleet(input.make, input.seed ?? input.accountKey, input.vehicleCount, now, input.model)
        .map((v, i) => ({ ...v, vin: input.vins?.[i] ?? v.vin }));
      const records: VehicleRecord[] = fleet.map((v, i) => ({
        id: randomUUID(), accountId, provider: 'simulator', mode: input.mode, make: v.make, model: v.model,
        year: v.year, vin: v.vin, powertrain: v.powertrain, state: JSON.stringify(v.snapshot), stateVersion: 0,
        // Distinct creation times keep the owner's vehicle order stable.
        createdAt: new Date(now.getTime() + i).toISOString(),
      }));
      await repo.insertAccountWithVehicles(
        {
          id: accountId, accountKey: input.accountKey, mode: input.mode, make: fleet[0]?.make ?? input.make, createdAt: at,
          passwordHash: input.passwordHash ?? null, developerAppId: input.developerAppId ?? null,
        },
        records,
      );
      return { accountId, vehicles: records.map(toVehicle) };
    },
  };
}

export type VehicleService = ReturnType<typeof vehicleService>;
