/**
 * `carport tokens create`: a test-mode owner account with simulated vehicles (or an existing
 * simulated vehicle), granted to an app, and a token pair for it — the developer's shortcut past Connect.
 */
import type { Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { parseScope } from '../core/index.js';
import { simulator } from '../providers/index.js';
import type { Mode } from '../oauth/index.js';
import type { Services } from '../server.js';
import { testAccountKey } from '../vehicles/index.js';
import { withServices } from './context.js';

/** One owner's fleet from the command line; more is a load test, better made with several owners. */
export const MAX_CLI_VEHICLES = 100;

export interface TestTokenRequest {
  clientId: string;
  scope: string;
  make: string;
  vehicles: number;
  /** Only this model of the make, e.g. `Volt`. */
  model?: string;
  /** Grant this existing vehicle (e.g. from `carport sim create`) instead of creating an owner. */
  vehicleId?: string;
  /** Same app, email and make → the same simulated account and vehicles. */
  email?: string;
}

export async function createTestToken(services: Services, request: TestTokenRequest) {
  const app = await services.apps.find(request.clientId);
  if (!app) throw new Error(`no application with client id ${request.clientId}`);
  const { permissions, unknown } = parseScope(request.scope);
  if (unknown.length > 0) throw new Error(`unknown permission(s): ${unknown.join(', ')}`);
  if (permissions.length === 0) throw new Error('--scope needs at least one permission');
  if (request.vehicleId) {
    const vehicle = await services.vehicles.find(request.vehicleId.toLowerCase());
    if (!vehicle) throw new Error(`no vehicle ${request.vehicleId}`);
    const { accessToken, refreshToken, expiresIn } = await services.tokens.grant({
      appId: app.id, accountId: vehicle.accountId, mode: vehicle.mode as Mode, vehicleIds: [vehicle.id], scopes: permissions,
    });
    return { accessToken, refreshToken, expiresIn, userId: vehicle.accountId, vehicleIds: [vehicle.id] };
  }
  const make = request.make.toUpperCase();
  if (!simulator.findBrand(make)) {
    throw new Error(`unknown make ${request.make}; known: ${simulator.BRANDS.map((b) => b.make).join(', ')}`);
  }
  const models = simulator.modelsOf(make).map((m) => m.model);
  if (request.model && !models.some((m) => m.toLowerCase() === request.model?.trim().toLowerCase())) {
    throw new Error(`unknown ${make} model ${request.model}; known: ${models.join(', ')}`);
  }
  if (!Number.isInteger(request.vehicles) || request.vehicles < 1 || request.vehicles > MAX_CLI_VEHICLES) {
    throw new Error(`--vehicles must be an integer from 1 to ${MAX_CLI_VEHICLES}`);
  }
  const accountKey = testAccountKey(make, request.email ?? `cli-${randomUUID()}`, { appId: app.id, model: request.model });
  const account = await services.vehicles.ensureSimulatedAccount({
    mode: 'test', make, accountKey, vehicleCount: request.vehicles, model: request.model,
  });
  const vehicleIds = account.vehicles.map((v) => v.id);
  const { accessToken, refreshToken, expiresIn } = await services.tokens.grant({
    appId: app.id, accountId: account.accountId, mode: 'test', vehicleIds, scopes: permissions,
  });
  return { accessToken, refreshToken, expiresIn, userId: account.accountId, vehicleIds };
}

export function registerTokensCommands(program: Command): void {
  const tokens = program.command('tokens').description('developer tokens (test mode)');
  tokens.command('create')
    .description('create a test-mode owner with simulated vehicles, grant them to an app, print a token pair')
    .requiredOption('--client-id <id>', 'the application')
    .requiredOption('--scope <permissions>', 'space-separated permissions, e.g. "read_odometer control_security"')
    .option('--make <make>', 'vehicle brand', 'TESLA')
    .option('--model <model>', 'only this model of the make, e.g. "Model 3"')
    .option('--vehicles <n>', `number of vehicles (1 to ${MAX_CLI_VEHICLES})`, (v) => Number(v), 1)
    .option('--vehicle-id <id>', 'grant this existing vehicle (from `carport sim create`) instead of creating an owner')
    .option('--email <email>', 'owner email: for one app, the same email and make always yield the same account and vehicles')
    .option('--json', 'print JSON')
    .action(async (opts: { clientId: string; scope: string; make: string; model?: string; vehicles: number; vehicleId?: string; email?: string; json?: boolean }, command: Command) => {
      const result = await withServices(command, (s) => createTestToken(s, opts));
      if (opts.json) {
        console.log(JSON.stringify(result, null, 2));
        return;
      }
      console.log(`access token:  ${result.accessToken}
refresh token: ${result.refreshToken}
expires in:    ${result.expiresIn} s
user id:       ${result.userId}
vehicle ids:   ${result.vehicleIds.join(' ')}`);
    });
}
