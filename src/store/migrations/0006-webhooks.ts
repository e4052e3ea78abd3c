/** Webhooks: definitions, vehicle subscriptions, the durable outbox, and every delivery attempt. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // Deliveries are signed with the management token, so it is kept sealed (encrypted) beside its hash.
  await db.schema.alterTable('apps').addColumn('management_token_sealed', 'text').execute();

  await db.schema.createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('app_id', 'text', (c) => c.notNull().references('apps.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('interval_seconds', 'integer')
    .addColumn('triggers', 'text', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema.createTable('webhook_subscriptions')
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id'))
    .addColumn('vehicle_id', 'text', (c) => c.notNull().references('vehicles.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    /** When the next scheduled delivery is due; what the last evaluation saw, for event triggers. */
    .addColumn('next_due_at', 'text')
    .addColumn('last_seen', 'text')
    .addPrimaryKeyConstraint('webhook_subscriptions_pk', ['webhook_id', 'vehicle_id'])
    .execute();

  await db.schema.createTable('webhook_outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('webhook_id', 'text', (c) => c.notNull().references('webhooks.id'))
    .addColumn('vehicle_id', 'text')
    /** Order of events per (webhook, vehicle): delivered strictly in this order. */
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .addColumn('last_error', 'text')
    .execute();
  await db.schema.createIndex('webhook_outbox_due').on('webhook_outbox').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('webhook_outbox_order').on('webhook_outbox').columns(['webhook_id', 'vehicle_id', 'seq']).execute();

  await db.schema.createTable('webhook_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('outbox_id', 'text', (c) => c.notNull().references('webhook_outbox.id'))
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('worker', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('latency_ms', 'integer')
    .addColumn('error', 'text')
    .addColumn('response_snippet', 'text')
    .execute();
  await db.schema.createIndex('webhook_attempts_outbox').on('webhook_attempts').column('outbox_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['webhook_attempts', 'webhook_outbox', 'webhook_subscriptions', 'webhooks']) await db.schema.dropTable(table).execute();
  await db.schema.alterTable('apps').dropColumn('management_token_sealed').execute();
}
