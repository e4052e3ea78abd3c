/** `carport sim …`: simulated vehicles — create, list, inspect, put into scenarios, move their clocks. */
import type { Command } from 'commander';
import { simulator } from '../providers/index.js';
import { createSimulatedVehicle, describeVehicle } from '../vehicles/index.js';
import type { Services } from '../server.js';
import { withServices } from './context.js';
import { parseDuration } from './duration.js';
import { simValues } from './sim-values.js';

/** A vehicle the simulator serves (test or simulated mode); never a live one. */
async function simulatedVehicle(services: Services, id: string) {
  const vehicle = await services.vehicles.find(id.toLowerCase());
  if (!vehicle || vehicle.provider !== 'simulator') throw new Error(`no simulated vehicle ${id}`);
  return vehicle;
}

export function registerSimCommands(program: Command): void {
  const sim = program.command('sim').description('simulated-mode vehicles');

  sim.command('create')
    .description('create a simulated vehicle; prints its id, VIN and its owner\'s Connect credentials (shown once)')
    .requiredOption('--make <make>', 'brand, e.g. TESLA')
    .option('--model <model>', 'model of the brand, e.g. "Model 3"')
    .option('--seed <seed>', 'seed of its generated state: the same seed gives the same car')
    .option('--scenario <name>', `start it in a scenario: ${simulator.SCENARIO_NAMES.filter((n) => n !== 'custom').join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (opts: { make: string; model?: string; seed?: string; scenario?: string; json?: boolean }, command: Command) => {
      const make = opts.make.toUpperCase();
      if (!simulator.findBrand(make)) throw new Error(`unknown make ${opts.make}; known: ${simulator.BRANDS.map((b) => b.make).join(', ')}`);
      const models = simulator.modelsOf(make).map((m) => m.model);
      if (opts.model && !models.some((m) => m.toLowerCase() === opts.model?.trim().toLowerCase())) {
        throw new Error(`unknown ${make} model ${opts.model}; known: ${models.join(', ')}`);
      }
      const created = await withServices(command, async (s) => {
        const car = await createSimulatedVehicle(s.vehicles, { make, model: opts.model, seed: opts.seed });
        if (opts.scenario) await s.simulator.setScenario(await simulatedVehicle(s, car.vehicleId), { name: opts.scenario, seed: opts.seed });
        return car;
      });
      if (opts.json) {
        console.log(JSON.stringify(created, null, 2));
        return;
      }
      console.log(`${created.year} ${created.make} ${created.model}  VIN ${created.vin}
vehicle id: ${created.vehicleId}
Connect with mode=simulated and sign in as
  email:    ${created.email}
  password: ${created.password}`);
    });

  sim.command('show')
    .description('the car\'s full internal state now, on its own clock')
    .argument('<vehicle-id>')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      const shown = await withServices(command, async (s) => s.simulator.inspect(await simulatedVehicle(s, id)));
      console.log(JSON.stringify(shown, null, opts.json ? 2 : 1));
    });

  sim.command('scenario')
    .description(`put the car into a scenario: ${simulator.SCENARIO_NAMES.join(', ')}`)
    .argument('<vehicle-id>')
    .argument('<name>')
    .option('--seed <seed>', 'seed of the generated plan (default: the vehicle id)')
    .option('--power <kW>', 'charging: the charger\'s power', (v) => Number(v))
    .option('--dc', 'charging: a DC fast charger')
    .option('--steps <json>', 'custom: the steps, e.g. [{"kind":"drive","to":{"latitude":37.8,"longitude":-122.4},"speedKmh":50}]')
    .option('--json', 'print JSON')
    .action(async (id: string, name: string, opts: { seed?: string; power?: number; dc?: boolean; steps?: string; json?: boolean }, command: Command) => {
      const steps = opts.steps === undefined ? undefined : JSON.parse(opts.steps) as unknown;
      const charger = opts.power === undefined && !opts.dc ? undefined : { powerKw: opts.power ?? (opts.dc ? 150 : 11), dc: Boolean(opts.dc) };
      const state = await withServices(command, async (s) => s.simulator.setScenario(await simulatedVehicle(s, id), { name, seed: opts.seed, charger, steps }));
      console.log(opts.json ? JSON.stringify({ scenario: state.scenario ?? null }, null, 2) : `${id}: ${name}, ${state.scenario?.steps.length ?? 0} steps`);
    });

  sim.command('clock')
    .description('move the car\'s clock forward, or set how fast it runs')
    .argument('<vehicle-id>')
    .option('--advance <duration>', 'e.g. 90s, 15m, 1h, 2d')
    .option('--scale <factor>', 'car seconds per real second (1 = real time, 60 for demos)', (v) => Number(v))
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { advance?: string; scale?: number; json?: boolean }, command: Command) => {
      if (opts.advance === undefined && opts.scale === undefined) throw new Error('give --advance, --scale, or both');
      if (opts.scale !== undefined && !(opts.scale > 0 && opts.scale <= 10_000)) throw new Error('--scale must be a number above 0 and at most 10000');
      const advanceMs = opts.advance === undefined ? 0 : parseDuration(opts.advance);
      const shown = await withServices(command, async (s) => {
        let vehicle = await simulatedVehicle(s, id);
        if (opts.scale !== undefined) {
          await s.simulator.setTimeScale(vehicle, opts.scale);
          vehicle = await simulatedVehicle(s, id);
        }
        if (advanceMs > 0) await s.simulator.advanceClock(vehicle, advanceMs);
        return s.simulator.inspect(await simulatedVehicle(s, id));
      });
      console.log(opts.json ? JSON.stringify(shown, null, 2) : `${id}: car time ${shown.carTime}`);
    });

  sim.command('fault')
    .description(`inject a fault (${simulator.FAULT_KINDS.join(', ')}), or "clear" them all`)
    .argument('<vehicle-id>')
    .argument('<kind>')
    .option('--for <duration>', 'how long, on the car\'s clock (default: until cleared)')
    .option('--probability <p>', 'chance a request meets it, 0–1', (v) => Number(v), 1)
    .option('--json', 'print JSON')
    .action(async (id: string, kind: string, opts: { for?: string; probability: number; json?: boolean }, command: Command) => {
      if (kind !== 'clear' && !simulator.isFaultKind(kind)) throw new Error(`unknown fault ${kind}; known: ${simulator.FAULT_KINDS.join(', ')}, clear`);
      if (!(opts.probability > 0 && opts.probability <= 1)) throw new Error('--probability must be above 0 and at most 1');
      const forMs = opts.for === undefined ? null : parseDuration(opts.for);
      const state = await withServices(command, async (s) => {
        const vehicle = await simulatedVehicle(s, id);
        return kind === 'clear' ? s.simulator.clearFaults(vehicle) : s.simulator.injectFault(vehicle, kind as simulator.FaultKind, forMs, opts.probability);
      });
      console.log(opts.json ? JSON.stringify({ faults: state.faults ?? [] }, null, 2) : `${id}: ${(state.faults ?? []).map((f) => f.kind).join(', ') || 'no faults'}`);
    });

  sim.command('set')
    .description('set values on the car directly')
    .argument('<vehicle-id>')
    .option('--soc <fraction>', 'traction battery state of charge, 0–1', (v) => Number(v))
    .option('--fuel <fraction>', 'fuel level, 0–1', (v) => Number(v))
    .option('--charge-limit <fraction>', '0.5–1', (v) => Number(v))
    .option('--plugged <yes|no>', 'plug in (at the charger given by --charger) or unplug')
    .option('--charger <kW[dc]>', 'charger power, e.g. 11 or 150dc', '11')
    .option('--ambient <°C>', 'outside temperature', (v) => Number(v))
    .option('--realism <on|off>', 'brand command latency and upstream quotas')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: Record<string, string | number | undefined>, command: Command) => {
      const values = simValues(opts);
      const state = await withServices(command, async (s) => s.simulator.setValues(await simulatedVehicle(s, id), values));
      console.log(opts.json ? JSON.stringify(state, null, 2) : `${id}: ${Object.keys(values).join(', ')} set`);
    });

  sim.command('list')
    .description('list simulated vehicles')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const list = (await withServices(command, (s) => s.vehicles.listByMode('simulated'))).map(describeVehicle);
      if (opts.json) console.log(JSON.stringify(list, null, 2));
      else for (const v of list) console.log(`${v.vehicleId}  ${v.year} ${v.make} ${v.model}  ${v.vin}`);
    });
}
