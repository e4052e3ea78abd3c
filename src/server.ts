/** The composition root: wires config, storage, providers, services and faces into one Fastify app. */
import { randomUUID } from 'node:crypto';
import { pino, type DestinationStream } from 'pino';
import { readFileSync } from 'node:fs';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  clientErrorHandler, frameworkErrorHandler, limitManagementRequests, registerErrorHandling, registerVehicleApi, registerVehicleWebhooks,
  registerCors, rewriteVersion, webhookReaderFor, webhookReadersFor, type V3Deps,
} from './api/index.js';
import { registerCompatibility } from './api/compatibility.js';
import { publicUrlOf, withoutTrailingSlashes, type Config } from './config.js';
import { registerAccountApi, registerAccountPages } from './account/index.js';
import { consoleSessionService, registerConsoleApi, registerConsolePages } from './console/index.js';
import { developerUserService, type DeveloperUserService } from './developers/index.js';
import { memoryRateLimitStore, noRateLimit, systemClock, type Clock, type RateLimiter, type RateLimitStore } from './core/index.js';
import { CompletedRequestsLog, loggerOptions, stdoutLogDestination } from './logger.js';
import { startPurgeSchedule, type PurgeSchedule } from './maintenance/index.js';
import {
  connectFunnel, decorateRequestNotes, funnelDays, requestLogQueries, requestObserver, RequestRecorder,
} from './request-log/index.js';
import { derivedKey, loadSecretKey } from './secret-key.js';
import { connectErrorFace, registerConnect, type BrandChoice } from './connect/index.js';
import {
  registerConnections, registerManagementTokenRotation, registerSimulatorControl, registerWebhookManagement,
} from './management/index.js';
import {
  appService, applicationTokenService, codeService, oauthErrorFace, registerApplicationTokenRoute, registerRevokeRoute, registerTokenRoute, sealer,
  tokenService, type AppService, type ApplicationTokenService, type CodeService, type TokenService,
} from './oauth/index.js';
import {
  countRefusals, databaseChecks, meterProvider, outboxLook, platformMetrics, poolLook, rateLimitStore, readiness as readinessOf,
  registerHealthRoutes, registerMetricsRoute, workerCheck, type PlatformMetrics, type Readiness,
} from './operations/index.js';
import { registerOpenApi } from './openapi/index.js';
import { outboundFrom } from './outbound/index.js';
import { ovms, simulator, type VehicleProvider } from './providers/index.js';
import {
  applicationTokensRepository, appMembersRepository, appsRepository, connectionHistoryRepository, codesRepository, consoleSessionsRepository, developerUsersRepository, connectionsRepository, databaseKind, grantsRepository, interactionsRepository, migrate, openDatabase, requestLogRepository,
  outboxRepository, vehiclesRepository, webhooksRepository, evictionPublisher, listenForEvictions, type Db, type EvictionListener, type EvictionLog,
} from './store/index.js';
import { vehicleService, type VehicleService } from './vehicles/index.js';
import { startWorker, stateWriteEvents, webhookService, type WebhookService, type WorkerDeps } from './webhooks/index.js';

/** Receivers written for Smartcar may check for its user agent's prefix. */
const WEBHOOK_USER_AGENT = 'Smartcar/carport';

export interface Services {
  apps: AppService;
  webhooks: WebhookService;
  /** The simulator's developer controls (scenarios, clock, values) over the cars it serves. */
  simulator: simulator.SimulatorProvider;
  tokens: TokenService;
  /** v3 application tokens (client credentials) and the connections they reach. */
  applicationTokens: ApplicationTokenService;
  codes: CodeService;
  vehicles: VehicleService;
  /** Developer accounts: the console's users and the apps' owners. */
  developers: DeveloperUserService;
}

export interface Platform {
  app: FastifyInstance;
  db: Db;
  services: Services;
  /** Whether this node should get traffic; `drain` makes /readyz answer 503 from then on. */
  readiness: Readiness;
  /**
   * Shutdown for a node behind a load balancer: /readyz turns 503 at once, requests keep being
   * served for `delayMs` (the balancer's time to notice), then the node stops accepting, finishes
   * what is in flight and closes.
   */
  drainAndClose(delayMs: number): Promise<void>;
  close(): Promise<void>;
}

export interface PlatformOptions {
  clock?: Clock;
  /** Where log lines go instead of stdout (tests read them). */
  logStream?: DestinationStream;
}

/** Opens and migrates the database and builds the services, without any HTTP. */
/** Providers log upstream trouble (a broker down) here; never a credential. */
export interface ProviderLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export async function createServices(
  config: Config, clock: Clock = systemClock, log: ProviderLog = pino(loggerOptions(config.logLevel)), metrics?: PlatformMetrics,
): Promise<{ db: Db; services: Services; providers: ReadonlyMap<string, VehicleProvider> }> {
  const db = openDatabase(config.databaseUrl);
  try {
    await migrate(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  // Providers are created after the service that owns their state store (and its cache).
  const providers = new Map<string, VehicleProvider>();
  const evictions = evictionPublisher(db, config.databaseUrl, log);
  const vehicles = vehicleService(vehiclesRepository(db), providers, clock, config.vehicleCacheMs, evictions);
  const simulated = new simulator.SimulatorProvider(vehicles.stateStore(), clock);
  providers.set('simulator', simulated);
  const secrets = sealer(loadSecretKey(config));
  const outbound = outboundFrom(config, log);
  const ovmsProvider = new ovms.OvmsProvider({ sealer: secrets, clock, log, mqtt: outbound.mqtt, brokers: config.ovmsBrokers });
  providers.set(ovmsProvider.name, ovmsProvider);
  if (metrics) for (const provider of providers.values()) meterProvider(provider, metrics);
  const tokens = tokenService(grantsRepository(db), clock, config.authCacheMs, evictions);
  const apps = appService(appsRepository(db), clock, secrets);
  const outbox = outboxRepository(db, databaseKind(config.databaseUrl));
  // Looks webhooks take for their own bookkeeping (at subscribing, of the state a write stores) spend no app's request budget.
  const readerOf = (appId: string, vehicleId: string) => webhookReaderFor(
    { tokens, vehicles, appLimiter: noRateLimit, vehicleLimiter: noRateLimit, clock, commandSyncMs: config.v3CommandSyncMs }, appId, vehicleId,
  );
  const webhooks = webhookService({
    repo: webhooksRepository(db),
    outbox,
    clock,
    managementTokenOf: async (appId) => {
      const app = await apps.find(appId);
      return app ? apps.managementTokenOf(app) : null;
    },
    userAgent: WEBHOOK_USER_AGENT,
    outbound,
    readerOf,
  });
  vehicles.onStateWrite(stateWriteEvents({ webhooks: webhooksRepository(db), outbox, clock, readerOf }));
  return {
    db,
    providers,
    services: {
      apps,
      webhooks,
      simulator: simulated,
      tokens,
      applicationTokens: applicationTokenService(applicationTokensRepository(db), connectionsRepository(db), clock),
      codes: codeService(codesRepository(db), tokens, clock),
      vehicles,
      developers: developerUserService(developerUsersRepository(db), clock),
    },
  };
}

/** Evicts what the other nodes on this PostgreSQL database announce they changed from these services' caches. */
export function listenForCacheEvictions(config: Config, services: Services, log: EvictionLog): Promise<EvictionListener> {
  return listenForEvictions(config.databaseUrl, {
    evict: (kind, ids) => (kind === 'vehicle' ? services.vehicles.evict(ids) : services.tokens.evict(kind, ids)),
    evictAll: () => {
      services.vehicles.evictAll();
      services.tokens.evictAll();
    },
  }, log);
}

/** Live providers with their own sign-in step, as Connect lists them. */
function liveSignInsOf(providers: ReadonlyMap<string, VehicleProvider>) {
  return [...providers.values()].flatMap((p) => (p.liveSignIn ? [{ provider: p.name, signIn: p.liveSignIn }] : []));
}

/**
 * Brands Connect lists for a mode: the simulator serves test and simulated; live lists the live
 * providers' brands, offered everywhere (a broker has no country).
 */
function brandsFor(providers: ReadonlyMap<string, VehicleProvider>, mode: string, country: string | null): BrandChoice[] {
  if (mode === 'live') return liveSignInsOf(providers).map(({ signIn }) => ({ ...signIn.brand, wmis: [] }));
  if (mode !== 'test' && mode !== 'simulated') return [];
  return simulator.BRANDS
    .filter((b) => country === null || b.countries.includes(country))
    .map((b) => ({ make: b.make, displayName: b.displayName, wmis: b.wmis }));
}

/** Fastify's types lack its hop-count form: the first `hops` proxies counted from the socket are trusted. */
function trustProxyOption(trust: Config['trustProxy']): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

export async function createPlatform(config: Config, options: PlatformOptions = {}): Promise<Platform> {
  const clock = options.clock ?? systemClock;
  // Production logs leave the request path through an asynchronous destination, drained on close.
  const stdoutLogs = options.logStream ? null : stdoutLogDestination();
  const logStream = options.logStream ?? stdoutLogs!;
  const providerLog = pino(loggerOptions(config.logLevel), logStream);
  const metrics = platformMetrics();
  const { db, services, providers } = await createServices(config, clock, providerLog, metrics);
  const evictionListener = await listenForCacheEvictions(config, services, providerLog);

  const requestLog = requestLogRepository(db, databaseKind(config.databaseUrl));
  const recorder = config.requestLogDays > 0 ? new RequestRecorder(requestLog, providerLog) : null;

  // Failures on Connect's and the OAuth endpoints' paths answer in their formats; the rest as the API.
  const errorFaces = [connectErrorFace, oauthErrorFace];
  const app = Fastify({
    logger: { ...loggerOptions(config.logLevel), stream: logStream },
    logController: new CompletedRequestsLog(observeRequests(metrics, recorder && requestObserver(recorder, clock, clock === systemClock))),
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    trustProxy: trustProxyOption(config.trustProxy),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    rewriteUrl: (req) => rewriteVersion(req.url ?? '/'),
    frameworkErrors: frameworkErrorHandler(errorFaces),
    clientErrorHandler,
    // A request that reached a closing node on an open connection is served, not refused: the
    // balancer in front already stopped sending new ones.
    return503OnClosing: false,
    ...(config.tlsCertFile && config.tlsKeyFile
      ? { https: { cert: readFileSync(config.tlsCertFile), key: readFileSync(config.tlsKeyFile) } }
      : {}),
  }) as unknown as FastifyInstance;

  // A callback hook: every request would otherwise allocate and await a promise for one header.
  const checks = databaseChecks(db);
  const readiness = readinessOf(checks);
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('sc-request-id', request.id);
    // A draining node asks each client to come back on a new connection, which the balancer sends elsewhere.
    if (readiness.draining) reply.header('connection', 'close');
    done();
  });

  // SDKs send Content-Type: application/json on bodiless DELETEs and POSTs; an empty body is no body.
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    defaultJsonParser(request, text, done);
  });
  // The API takes JSON only; a text body is refused as the wrong media type (415), not parsed.
  app.removeContentTypeParser('text/plain');

  registerErrorHandling(app, errorFaces);

  // Before any route; REQUEST_LOG_DAYS=0 leaves no recorder at all.
  decorateRequestNotes(app);
  recorder?.start();

  const limits = await rateLimitStore(config, providerLog, metrics, clock);
  app.addHook('onClose', () => limits.close());
  const limit = rateLimiter(config, metrics, limits);
  const deps = apiDeps(config, services, clock, limit);
  // CORS only on the API faces (browser apps may call them); never on Connect or the token endpoint.
  await app.register(async (api) => {
    await registerCors(api, config.corsOrigins);
    registerVehicleApi(api, deps);
    limitManagementRequests(api, { limiter: limit('management', config.managementRequestsPerMinute), clock });
    registerManagementTokenRotation(api, { apps: services.apps });
    registerConnections(api, { apps: services.apps, tokens: services.tokens });
    registerCompatibility(api, services.apps);
    registerWebhookManagement(api, { apps: services.apps, webhooks: services.webhooks });
    registerVehicleWebhooks(api, { ...deps, apps: services.apps, webhooks: services.webhooks });
    registerSimulatorControl(api, {
      apps: services.apps, tokens: services.tokens, vehicles: services.vehicles, simulator: services.simulator,
    });
  });
  const interactions = interactionsRepository(db);
  await registerConnect(app, {
    apps: services.apps,
    tokens: services.tokens,
    codes: services.codes,
    vehicles: services.vehicles,
    interactions,
    funnel: connectFunnel(requestLog, clock),
    clock,
    signInLimiter: limit('connect_sign_in', config.tokenRequestsPerMinute),
    startLimiter: limit('connect', config.connectRequestsPerMinute),
    signInAttempts: config.signInAttempts,
    brandsFor: (mode, country) => brandsFor(providers, mode, country),
    liveSignIns: liveSignInsOf(providers),
    issuer: config.publicUrl ? publicUrlOf(config) : null,
    key: derivedKey(loadSecretKey(config), 'connect-cookies').toString('base64url'),
  });
  await app.register(async (auth) => {
    await auth.register(formbody);
    const limiter = limit('token', config.tokenRequestsPerMinute);
    registerTokenRoute(auth, { apps: services.apps, codes: services.codes, tokens: services.tokens, limiter, clock });
    registerRevokeRoute(auth, { apps: services.apps, tokens: services.tokens, limiter, clock });
    registerApplicationTokenRoute(auth, { apps: services.apps, applicationTokens: services.applicationTokens, limiter, clock });
  });
  const consoleKey = derivedKey(loadSecretKey(config), 'console-cookies').toString('base64url');
  await registerConsoleApi(app, {
    developers: services.developers,
    members: appMembersRepository(db),
    sessions: consoleSessionService(consoleSessionsRepository(db), clock, consoleKey),
    apps: services.apps,
    tokens: services.tokens,
    vehicles: services.vehicles,
    webhooks: services.webhooks,
    simulator: services.simulator,
    connectionHistory: connectionHistoryRepository(db),
    signInLimiter: limit('console_sign_in', config.tokenRequestsPerMinute),
    clock,
    signup: config.consoleSignup === 'on',
    key: consoleKey,
    publicOrigin: config.publicUrl ? publicUrlOf(config) : null,
    brandsFor: (mode) => brandsFor(providers, mode, null),
    connectOrigin: config.connectUrl ? withoutTrailingSlashes(config.connectUrl) : null,
    requestLog: requestLogQueries(requestLog, clock),
    funnelOf: (appId, days) => funnelDays(requestLog, clock, appId, days),
    appLimiter: deps.appLimiter,
    appRequestsPerMinute: config.appRequestsPerMinute,
  });
  registerConsolePages(app);
  await registerAccountApi(app, {
    vehicles: services.vehicles,
    tokens: services.tokens,
    liveSignIns: liveSignInsOf(providers),
    signInLimiter: limit('account_sign_in', config.tokenRequestsPerMinute),
    clock,
    key: derivedKey(loadSecretKey(config), 'account-cookies').toString('base64url'),
  });
  registerAccountPages(app);
  registerHealthRoutes(app, readiness);
  registerOpenApi(app);
  registerMetricsRoute(app, metrics, config.metricsToken);
  metrics.watchOutbox(outboxLook(db, clock));
  metrics.watchPool(poolLook(db));

  // The delivery worker brings the purge along; without it, the purge runs on its own.
  let background: { stop(): Promise<void> };
  if (config.webhookWorker === 'on') {
    const worker = startDeliveryWorker(config, db, services, clock, app.log, metrics);
    metrics.watchWorker(worker.inFlight);
    checks.push(workerCheck(worker, config.webhookPollMs));
    background = worker;
  } else {
    background = startPurge(config, db, clock, app.log);
  }
  let closed: Promise<void> | undefined;
  let endDelay: (() => void) | undefined;
  const close = () => {
    endDelay?.();
    closed ??= (async () => {
      readiness.drain();
      // In-flight requests finish before the worker and the database they may use go away.
      await app.close();
      await background.stop();
      // After the server closed: every answered request is in the buffer, and nothing adds to it.
      await recorder?.stop();
      await Promise.allSettled([...providers.values()].map((p) => p.close?.()));
      await evictionListener.close();
      await db.destroy();
      await stdoutLogs?.flush();
    })();
    return closed;
  };
  return {
    app,
    db,
    services,
    readiness,
    async drainAndClose(delayMs) {
      readiness.drain();
      // A close() meanwhile (a second signal) ends the wait.
      if (delayMs > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delayMs);
          endDelay = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      await close();
    },
    close,
  };
}

/** Each rate limit by name, its buckets in `store`, counting its refusals; none with RATE_LIMITS=off. */
function rateLimiter(config: Config, metrics?: PlatformMetrics, store: RateLimitStore = memoryRateLimitStore) {
  return (name: string, perMinute: number): RateLimiter => {
    if (config.rateLimits !== 'on') return noRateLimit;
    const limiter = store.limiter(name, perMinute);
    return metrics ? countRefusals(limiter, name, metrics) : limiter;
  };
}

/** Each finished request counted by its route template, method and status, then shown to the request log's observer. */
function observeRequests(metrics: PlatformMetrics, also: ((request: FastifyRequest, reply: FastifyReply) => void) | null) {
  return (request: FastifyRequest, reply: FastifyReply) => {
    metrics.request(request.routeOptions.url ?? 'unmatched', request.method, reply.statusCode, reply.elapsedTime / 1000);
    if (also !== null) also(request, reply);
  };
}

function apiDeps(config: Config, services: Services, clock: Clock, limit = rateLimiter(config)): V3Deps {
  return {
    tokens: services.tokens,
    vehicles: services.vehicles,
    applicationTokens: services.applicationTokens,
    appLimiter: limit('app', config.appRequestsPerMinute),
    vehicleLimiter: limit('vehicle', config.vehicleRequestsPerMinute),
    clock,
    commandSyncMs: config.v3CommandSyncMs,
  };
}

/** The periodic purge of expired and finished rows (one node at a time: it takes a lease). */
export function startPurge(config: Config, db: Db, clock: Clock, log: WorkerDeps['log']): PurgeSchedule {
  return startPurgeSchedule({ db, kind: databaseKind(config.databaseUrl), clock, retentionDays: config.retentionDays, requestLogDays: config.requestLogDays }, log);
}

/** The webhook delivery worker over these services (in `serve`, or alone in `carport worker`), with the purge beside it. */
export function startDeliveryWorker(
  config: Config, db: Db, services: Services, clock: Clock, log: WorkerDeps['log'], metrics?: PlatformMetrics,
): { stop(): Promise<void>; lastPassAt(): number; inFlight(): number } {
  const purge = startPurge(config, db, clock, log);
  const worker = startDeliveryLoop(config, db, services, clock, log, metrics);
  return {
    async stop() {
      await Promise.all([worker.stop(), purge.stop()]);
    },
    lastPassAt: worker.lastPassAt,
    inFlight: worker.inFlight,
  };
}

function startDeliveryLoop(config: Config, db: Db, services: Services, clock: Clock, log: WorkerDeps['log'], metrics?: PlatformMetrics) {
  const deps = apiDeps(config, services, clock);
  return startWorker({
    db,
    webhooks: webhooksRepository(db),
    outbox: outboxRepository(db, databaseKind(config.databaseUrl)),
    clock,
    managementTokenOf: async (appId) => {
      const owner = await services.apps.find(appId);
      return owner ? services.apps.managementTokenOf(owner) : null;
    },
    readersOf: (pairs) => webhookReadersFor(deps, pairs),
    log,
    ...(metrics && { onAttempt: (outcome: string) => metrics.attempt(outcome) }),
  }, {
    pollMs: config.webhookPollMs, eventPollMs: config.webhookEventPollMs, batchSize: config.webhookBatchSize, leaseMs: config.webhookLeaseMs, retryBaseMs: config.webhookRetryBaseMs,
    appInFlight: config.webhookAppInFlight, pauseAfter: config.webhookPauseAfter,
    horizonMs: config.webhookRetryHorizonMs, userAgent: WEBHOOK_USER_AGENT,
    // A receiver that is down is routine for the worker: its details are info, not warnings.
    outbound: outboundFrom(config, { warn: (details, message) => log.info(details, message) }),
  });
}
