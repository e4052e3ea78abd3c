/** The composition root: wires config, storage, providers, services and faces into one Fastify app. */
import { randomUUID } from 'node:crypto';
import type { DestinationStream } from 'pino';
import { readFileSync } from 'node:fs';
import cors from '@fastify/cors';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerErrorHandling, registerVehicleApi, rewriteVersion, type ApiDeps } from './api/index.js';
import type { Config } from './config.js';
import { systemClock, type Clock } from './core/index.js';
import { loggerOptions } from './logger.js';
import { appService, tokenService, type AppService, type TokenService } from './oauth/index.js';
import { simulator, type VehicleProvider } from './providers/index.js';
import { appsRepository, grantsRepository, migrate, openDatabase, vehiclesRepository, type Db } from './store/index.js';
import {
  noRateLimit, providerStateStore, tokenBucketLimiter, vehicleService, type VehicleService,
} from './vehicles/index.js';

export interface Services {
  apps: AppService;
  tokens: TokenService;
  vehicles: VehicleService;
}

export interface Platform {
  app: FastifyInstance;
  db: Db;
  services: Services;
  close(): Promise<void>;
}

export interface PlatformOptions {
  clock?: Clock;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: DestinationStream;
}

/** Opens and migrates the database and builds the services, without any HTTP. */
export async function createServices(config: Config, clock: Clock = systemClock): Promise<{ db: Db; services: Services }> {
  const db = openDatabase(config.databaseUrl);
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const vehiclesRepo = vehiclesRepository(db);
  const providers = new Map<string, VehicleProvider>([
    ['simulator', new simulator.SimulatorProvider(providerStateStore(vehiclesRepo), clock)],
  ]);
  return {
    db,
    services: {
      apps: appService(appsRepository(db), clock),
      tokens: tokenService(grantsRepository(db), clock, config.authCacheMs),
      vehicles: vehicleService(vehiclesRepo, providers, clock),
    },
  };
}

function corsOriginOption(origins: string): string | string[] {
  return origins.trim() === '*' ? '*' : origins.split(',').map((o) => o.trim()).filter(Boolean);
}

export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  const { db, services } = await createServices(config, clock);

  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), ...(options.logStream && { stream: options.logStream }) },
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    rewriteUrl: (req) => rewriteVersion(req.url ?? '/'),
    ...(config.tlsCertFile && config.tlsKeyFile
      ? { https: { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } }
      : {}),
  }) as unknown as FastifyInstance;

  app.addHook('onRequest', async (request, reply) => {
    reply.header('sc-request-id', request.id);
  });

  // SDKs send Content-Type: application/json on bodiless DELETEs and POSTs; an empty body is no body.
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    defaultJsonParser(request, text, done);
  });

  await app.register(cors, {
    origin: corsOriginOption(config.corsOrigins),
    credentials: false,
    methods: ['GET', 'POST', 'DELETE'],
    allowedHeaders: ['authorization', 'content-type', 'sc-unit-system'],
    exposedHeaders: ['sc-request-id', 'sc-data-age', 'sc-fetched-at', 'sc-unit-system', 'retry-after'],
  });

  registerErrorHandling(app);

  const limitsOn = config.rateLimits === 'on';
  const deps: ApiDeps = {
    tokens: services.tokens,
    vehicles: services.vehicles,
    appLimiter: limitsOn ? tokenBucketLimiter(config.appRequestsPerMinute) : noRateLimit,
    vehicleLimiter: limitsOn ? tokenBucketLimiter(config.vehicleRequestsPerMinute) : noRateLimit,
    clock,
  };
  registerVehicleApi(app, deps);
  app.get('/healthz', async () => ({ status: 'ok' }));

  return {
    app,
    db,
    services,
    async close() {
      await app.close();
      await db.destroy();
    },
  };
}
