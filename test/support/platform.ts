/** Starts a real carport on an ephemeral port for a test file, with helpers to get apps and tokens. */
import { Writable } from 'node:stream';
import { createTestToken, type TestTokenRequest } from '../../src/cli/tokens.js';
import { loadConfig, type ConfigInput } from '../../src/config.js';
import type { Clock } from '../../src/core/index.js';
import type { CreatedApp } from '../../src/oauth/index.js';
import { createPlatform, type Platform } from '../../src/server.js';
import { testDatabase } from './database.js';

export const ALL_SCOPES = [
  'read_vehicle_info', 'read_vin', 'read_odometer', 'read_location', 'read_fuel', 'read_battery', 'read_charge',
  'read_tires', 'read_engine_oil', 'read_security', 'read_diagnostics', 'read_service_history',
  'control_security', 'control_charge', 'control_navigation',
].join(' ');

/** One sealing key for every test node, so nodes sharing a database can read each other's sealed values. */
export const TEST_SECRET_KEY = Buffer.alloc(32, 7).toString('base64');

export interface TestPlatform {
  baseUrl: string;
  /** The database it runs on; pass it as `databaseUrl` to start a second node on the same data. */
  databaseUrl: string;
  platform: Platform;
  app: CreatedApp;
  /** Every log line written so far. */
  logs: string[];
  token(request?: Partial<TestTokenRequest>): ReturnType<typeof createTestToken>;
  close(): Promise<void>;
}

/** Real time plus an offset the test moves forward. */
export class MovableClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

export async function startPlatform(overrides: ConfigInput = {}, options: { clock?: Clock } = {}): Promise<TestPlatform> {
  const shared = typeof overrides.databaseUrl === 'string';
  const db = shared ? { url: overrides.databaseUrl as string, drop: async () => {} } : await testDatabase();
  const config = loadConfig({}, {
    databaseUrl: db.url, port: 0, rateLimits: 'off', logLevel: 'info', secretKey: TEST_SECRET_KEY, ...overrides,
  });
  const logs: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const platform = await createPlatform(config, { logStream, clock: options.clock });
  await platform.app.listen({ port: 0, host: '127.0.0.1' });
  const address = platform.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const app = await platform.services.apps.create({ name: 'Test app', redirectUris: ['https://app.example.com/callback'] });
  return {
    baseUrl: `${config.tlsCertFile ? 'https' : 'http'}://127.0.0.1:${port}`,
    databaseUrl: db.url,
    platform,
    app,
    logs,
    token: (request = {}) => createTestToken(platform.services, {
      clientId: app.clientId, scope: ALL_SCOPES, make: 'TESLA', vehicles: 1, ...request,
    }),
    async close() {
      await platform.close();
      await db.drop();
    },
  };
}

/** Points the official SDK at a platform; the SDK reads these on every call. */
export function pointSdkAt(baseUrl: string): void {
  process.env.SMARTCAR_API_ORIGIN = baseUrl;
  process.env.SMARTCAR_AUTH_ORIGIN = baseUrl;
  process.env.SMARTCAR_MANAGEMENT_API_ORIGIN = baseUrl;
}
