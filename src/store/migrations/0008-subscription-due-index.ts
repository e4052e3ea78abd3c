/** The worker looks for due subscriptions every pass: index them by webhook and due time. */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('webhook_subscriptions_due').on('webhook_subscriptions').columns(['webhook_id', 'next_due_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('webhook_subscriptions_due').execute();
}
