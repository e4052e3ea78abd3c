/**
 * Claiming a delivery asks whether an earlier one of its queue is still pending. Delivered rows
 * accumulate without bound, so that question is answered from an index of pending rows only.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX webhook_outbox_pending ON webhook_outbox (webhook_id, vehicle_id, seq) WHERE status = 'pending'`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('webhook_outbox_pending').execute();
}
