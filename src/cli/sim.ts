/** `carport sim create|list`: simulated-mode vehicles a developer owns, with credentials for Connect. */
import type { Command } from 'commander';
import { simulator } from '../providers/index.js';
import { createSimulatedVehicle, describeVehicle } from '../vehicles/index.js';
import { withServices } from './context.js';

export function registerSimCommands(program: Command): void {
  const sim = program.command('sim').description('simulated-mode vehicles');

  sim.command('create')
    .description('create a simulated vehicle; prints its id, VIN and its owner\'s Connect credentials (shown once)')
    .requiredOption('--make <make>', 'brand, e.g. TESLA')
    .option('--model <model>', 'model of the brand, e.g. "Model 3"')
    .option('--seed <seed>', 'seed of its generated state: the same seed gives the same car')
    .option('--json', 'print JSON')
    .action(async (opts: { make: string; model?: string; seed?: string; json?: boolean }, command: Command) => {
      const make = opts.make.toUpperCase();
      if (!simulator.findBrand(make)) throw new Error(`unknown make ${opts.make}; known: ${simulator.BRANDS.map((b) => b.make).join(', ')}`);
      const models = simulator.modelsOf(make).map((m) => m.model);
      if (opts.model && !models.some((m) => m.toLowerCase() === opts.model?.trim().toLowerCase())) {
        throw new Error(`unknown ${make} model ${opts.model}; known: ${models.join(', ')}`);
      }
      const created = await withServices(command, (s) => createSimulatedVehicle(s.vehicles, { make, model: opts.model, seed: opts.seed }));
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

  sim.command('list')
    .description('list simulated vehicles')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      const list = (await withServices(command, (s) => s.vehicles.listByMode('simulated'))).map(describeVehicle);
      if (opts.json) console.log(JSON.stringify(list, null, 2));
      else for (const v of list) console.log(`${v.vehicleId}  ${v.year} ${v.make} ${v.model}  ${v.vin}`);
    });
}
