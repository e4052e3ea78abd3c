/**
 * The OVMS provider (live mode): cars whose OVMS module publishes to an MQTT broker ("Server V3").
 * Sign-in verifies the owner's broker credentials against the module's retained metrics; reads
 * take the latest metric values from a connection shared per owner. Charge start and stop go out on
 * `client/<id>/command/<n>` and are confirmed by watching the charge metrics; lock and unlock need the
 * module's PIN and are a later step.
 */
import { BoundedMap, UpstreamError, VehicleStateError, type Clock } from '../../core/index.js';
import type { MqttConnector } from '../../outbound/index.js';
import {
  SignInError, type CapabilityMatrix, type CommandHandlers, type LiveAccount, type LiveSignIn, type SignalReadings,
  type VehicleProvider, type VehicleRef,
} from '../provider.js';
import { brokerAllowList, type BrokerAllowList } from './brokers.js';
import { OVMS_COMMANDS } from './capabilities.js';
import { ConnectionPool } from './connection-pool.js';
import type { OvmsLog } from './connection.js';
import { accountKeyOf, parseCredentials, sealState, unsealState, type OvmsCredentials, type Sealer } from './credentials.js';
import { MetricReader, type Metrics } from './metrics.js';
import { chargeStatus } from './charge-signals.js';
import { signInVehicle, type SignInTimings } from './sign-in.js';
import { ovmsSignalSupport, RECORD_CODES, signalsFromMetrics } from './signals.js';

export interface OvmsOptions {
  sealer: Sealer;
  clock: Clock;
  log?: OvmsLog;
  timings?: Partial<SignInTimings>;
  /** Opens MQTT connections under the outbound address policy. */
  mqtt: MqttConnector;
  /** OVMS_BROKERS: the only brokers owners may name (host[:port], comma-separated); unset allows any. */
  brokers?: string | undefined;
}

const DEFAULT_TIMINGS: SignInTimings = { timeoutMs: 5_000, firstMetricMs: 3_000 };
/** A module on a cellular link can take a while to run a command and report its effect. */
const COMMAND_TIMEOUT_MS = 30_000;

export class OvmsProvider implements VehicleProvider {
  readonly name = 'ovms';
  readonly commands: CommandHandlers;
  readonly liveSignIn: LiveSignIn;
  private readonly pool: ConnectionPool;
  /** Unsealed credentials by vehicle and state version: a version never changes, so neither do they. */
  private readonly credentials = new BoundedMap<string, OvmsCredentials>(10_000);
  private readonly timings: SignInTimings;
  private readonly log: OvmsLog;
  private readonly listedBroker: BrokerAllowList;

  constructor(private readonly options: OvmsOptions) {
    this.timings = { ...DEFAULT_TIMINGS, ...options.timings };
    this.log = options.log ?? { warn() {} };
    this.listedBroker = brokerAllowList(options.brokers);
    this.pool = new ConnectionPool({
      clock: options.clock, log: this.log, timeoutMs: this.timings.timeoutMs, commandTimeoutMs: COMMAND_TIMEOUT_MS, mqtt: options.mqtt,
    });
    this.commands = {
      startCharge: (v) => this.charge(v, true),
      stopCharge: (v) => this.charge(v, false),
    };
    this.liveSignIn = {
      brand: { make: 'OVMS', displayName: 'OVMS (Open Vehicle Monitoring System)' },
      fields: [
        { name: 'server', label: 'MQTT server URL', type: 'url', hint: 'mqtt://host:1883 or mqtts://host:8883' },
        { name: 'username', label: 'Username', type: 'text' },
        { name: 'password', label: 'Password', type: 'password' },
        { name: 'vehicleId', label: 'Vehicle ID', type: 'text' },
      ],
      signIn: (fields) => this.signIn(fields),
    };
  }

  async health() {
    return { ok: true };
  }

  capabilities(vehicle: VehicleRef): CapabilityMatrix {
    return { signals: ovmsSignalSupport(vehicle), commands: OVMS_COMMANDS };
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Every code from one snapshot of the module's metrics; codes the vehicle record answers need no broker. */
  async readSignals(vehicle: VehicleRef, codes: readonly string[]): Promise<SignalReadings> {
    let metrics: Metrics = new Map();
    if (codes.some((code) => !RECORD_CODES.has(code))) {
      const credentials = this.credentialsOf(vehicle);
      metrics = await this.pool.of(credentials).metrics(credentials.vehicleId);
    }
    return signalsFromMetrics(metrics, vehicle, codes, this.options.clock.now());
  }

  private async signIn(fields: Readonly<Record<string, string>>): Promise<LiveAccount> {
    const credentials = parseCredentials(fields);
    if (!this.listedBroker(credentials.server)) throw new SignInError('This carport does not connect to that MQTT server: use one its operator allows.');
    const context = { timings: this.timings, mqtt: this.options.mqtt, log: this.log };
    const vehicle = await signInVehicle(credentials, context, this.options.clock.now(), sealState(this.options.sealer, credentials));
    return { accountKey: accountKeyOf(credentials), vehicles: [vehicle] };
  }

  private credentialsOf(vehicle: VehicleRef): OvmsCredentials {
    const key = `${vehicle.id}:${vehicle.providerStateVersion}`;
    let credentials = this.credentials.get(key);
    if (!credentials) {
      credentials = unsealState(this.options.sealer, vehicle.providerState);
      this.credentials.set(key, credentials);
    }
    return credentials;
  }

  /**
   * `charge start|stop` on the module. Its reply is free text, so the command counts as done when
   * the charge metrics show it; the states Smartcar refuses are refused before anything is sent.
   */
  private async charge(vehicle: VehicleRef, start: boolean): Promise<void> {
    const credentials = this.credentialsOf(vehicle);
    const connection = this.pool.of(credentials);
    const charging = (m: Metrics) => chargeStatus(new MetricReader(m)) === 'CHARGING';
    const now = await connection.metrics(credentials.vehicleId);
    if (start && !new MetricReader(now).boolean('v.c.pilot')) throw new VehicleStateError('CHARGING_PLUG_NOT_CONNECTED');
    if (start && charging(now)) throw new VehicleStateError('CHARGING_IN_PROGRESS');
    await connection.command(credentials.vehicleId, start ? 'charge start' : 'charge stop');
    await connection.until(credentials.vehicleId, (m) => charging(m) === start,
      () => new UpstreamError('UNKNOWN_ISSUE', `the OVMS module took the command but did not report charging ${start ? 'started' : 'stopped'}`));
  }
}
