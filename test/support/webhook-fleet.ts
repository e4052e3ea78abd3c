/**
 * Cars subscribed to one verified scheduled webhook of one app, on a database the test made: what
 * the delivery worker's tests deliver to a receiver.
 */
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config.js';
import { createServices, type Services } from '../../src/server.js';
import { createTestToken } from '../../src/cli/tokens.js';
import type { CreatedApp } from '../../src/oauth/index.js';
import type { Db } from '../../src/store/index.js';
import { TEST_SECRET_KEY } from './platform.js';
import type { Receiver } from './receiver.js';

export interface WebhookFleet {
  db: Db;
  services: Services;
  app: CreatedApp;
  webhookId: string;
  vehicleIds: string[];
  close(): Promise<void>;
}

/** `vehicles` cars (owners of up to 100 each, as a test token grants) subscribed to a webhook sending `/odometer` to `receiver`. */
export async function subscribedFleet(databaseUrl: string, receiver: Receiver, vehicles: number, appHolder: { app?: CreatedApp }): Promise<WebhookFleet> {
  const config = loadConfig({}, { databaseUrl, secretKey: TEST_SECRET_KEY, logLevel: 'silent' });
  const { db, services } = await createServices(config);
  const app = await services.apps.create({ name: 'Fleet', redirectUris: ['https://fleet.example/cb'] });
  appHolder.app = app;
  const { webhook } = await services.webhooks.create(app.clientId, { name: 'fleet', url: receiver.url, type: 'scheduled', intervalSeconds: 3600, data: ['/odometer'] });
  assert.equal(webhook.status, 'active');
  const vehicleIds: string[] = [];
  for (let left = vehicles; left > 0; left -= 100) {
    const token = await createTestToken(services, { clientId: app.clientId, scope: 'read_odometer', make: 'TESLA', vehicles: Math.min(100, left) });
    vehicleIds.push(...token.vehicleIds);
  }
  for (const vehicleId of vehicleIds) await services.webhooks.subscribe(app.clientId, webhook.id, vehicleId);
  return { db, services, app, webhookId: webhook.id, vehicleIds, close: () => db.destroy() };
}

/** Every one of `count` deliveries was attempted exactly once, and by both of two workers between them. */
export async function assertOneAttemptEachByTwoWorkers(db: Db, count: number): Promise<void> {
  const attempts = await db.selectFrom('webhook_attempts').select(['outbox_id', 'worker']).execute();
  assert.equal(attempts.length, count, 'one attempt per delivery');
  assert.equal(new Set(attempts.map((a) => a.outbox_id)).size, count);
  assert.equal(new Set(attempts.map((a) => a.worker)).size, 2, 'both workers took part');
}
