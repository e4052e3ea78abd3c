/**
 * Webhook health: how many deliveries in a row were dead-lettered, and when (and why) the webhook
 * was paused for it. A paused webhook still records its events; they wait to be sent until it is
 * resumed. Also an index for paging a webhook's deliveries newest first.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('webhooks').addColumn('dead_streak', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('webhooks').addColumn('paused_at', 'text').execute();
  await db.schema.alterTable('webhooks').addColumn('pause_reason', 'text').execute();
  await db.schema.createIndex('webhook_outbox_history').on('webhook_outbox').columns(['webhook_id', 'created_at', 'seq']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('webhook_outbox_history').execute();
  for (const column of ['pause_reason', 'paused_at', 'dead_streak']) await db.schema.alterTable('webhooks').dropColumn(column).execute();
}
