/**
 * Every state write looks up the written vehicle's event subscriptions, to evaluate them in its own
 * transaction: index the subscriptions by vehicle.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('webhook_subscriptions_vehicle').on('webhook_subscriptions').column('vehicle_id').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('webhook_subscriptions_vehicle').execute();
}
