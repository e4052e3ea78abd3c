/**
 * Cache evictions shared by the nodes of one PostgreSQL database through LISTEN/NOTIFY (issue 12 §2):
 * a node that changed what the others may have cached says so once its write has committed, and every
 * node, itself included, drops those entries. On SQLite one process serves a file: there is no one to tell.
 * A notice can be missed (the listening connection dropped, the writer died between commit and notice):
 * the caches' own lifetimes still bound how long an entry lives, and a listener that connects again
 * drops everything it holds, since it cannot know what it missed.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { z } from 'zod';
import { databaseKind, type Db } from './database.js';

export const EVICTION_CHANNEL = 'carport_evict';
/** The listening connection's name in `pg_stat_activity`. */
export const EVICTION_LISTENER_NAME = 'carport evictions';

/** What a notice names: vehicles by id, an app's access on one owner account (`appId accountId`), or single tokens by hash. */
export const EVICTION_KINDS = ['vehicle', 'account', 'token'] as const;
export type EvictionKind = (typeof EVICTION_KINDS)[number];

/** PostgreSQL refuses a payload of 8000 bytes or more; ids are batched into payloads below this. */
const MAX_PAYLOAD_BYTES = 7000;
const MAX_ID_LENGTH = 200;

const noticeSchema = z.object({
  kind: z.enum(EVICTION_KINDS),
  // Each id takes at least a byte of the payload.
  ids: z.array(z.string().max(MAX_ID_LENGTH)).max(MAX_PAYLOAD_BYTES),
});

/** Announces, after a write has committed, the cache entries every node must drop. */
export interface EvictionPublisher {
  publish(kind: EvictionKind, ids: readonly string[]): Promise<void>;
}

export const noEvictions: EvictionPublisher = { publish: async () => {} };

export interface EvictionLog {
  warn(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}

/** The notices announcing `ids`: as few as fit, each payload under PostgreSQL's limit (ids are ASCII). */
export function noticesOf(kind: EvictionKind, ids: readonly string[]): string[] {
  const notices: string[] = [];
  const overhead = JSON.stringify({ kind, ids: [] }).length;
  let batch: string[] = [];
  let size = overhead;
  for (const id of ids) {
    const cost = JSON.stringify(id).length + 1;
    if (batch.length > 0 && size + cost > MAX_PAYLOAD_BYTES) {
      notices.push(JSON.stringify({ kind, ids: batch }));
      batch = [];
      size = overhead;
    }
    batch.push(id);
    size += cost;
  }
  if (batch.length > 0) notices.push(JSON.stringify({ kind, ids: batch }));
  return notices;
}

/**
 * Publishes through the pool, in one statement however many notices. A failure is logged, not
 * thrown: the write it follows has committed, and the cache lifetimes bound what the notice missed.
 */
export function evictionPublisher(db: Db, url: string, log: Pick<EvictionLog, 'warn'>): EvictionPublisher {
  if (databaseKind(url) !== 'postgres') return noEvictions;
  return {
    async publish(kind, ids) {
      if (ids.length === 0) return;
      try {
        await sql`select pg_notify(${EVICTION_CHANNEL}, notice) from unnest(${noticesOf(kind, ids)}::text[]) as notice`.execute(db);
      } catch (error) {
        log.warn({ kind, count: ids.length, err: error }, 'cache eviction not announced to other nodes; their caches expire on their own');
      }
    },
  };
}

/** The caches a listener evicts from. */
export interface EvictionTarget {
  evict(kind: EvictionKind, ids: readonly string[]): void;
  evictAll(): void;
}

export interface EvictionListener {
  close(): Promise<void>;
}

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5000;

/**
 * Listens on one dedicated connection (a pooled one would be handed to queries and miss notices),
 * reconnecting with backoff when it drops; resolves once the first attempt to listen has ended.
 */
export async function listenForEvictions(url: string, target: EvictionTarget, log: EvictionLog): Promise<EvictionListener> {
  if (databaseKind(url) !== 'postgres') return { close: async () => {} };
  let current: pg.Client | null = null;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const deliver = (payload: string | undefined) => {
    let notice: z.infer<typeof noticeSchema>;
    try {
      // The channel is ours; a payload that is not a notice (someone's manual NOTIFY) is ignored.
      const parsed = noticeSchema.safeParse(JSON.parse(payload ?? ''));
      if (!parsed.success) return;
      notice = parsed.data;
    } catch {
      return;
    }
    target.evict(notice.kind, notice.ids);
  };

  const lost = (client: pg.Client, error?: unknown) => {
    if (client !== current || closed) return;
    current = null;
    client.end().catch(() => {});
    if (failures === 0) log.warn({ err: error }, 'cache eviction listener lost its connection; reconnecting');
    const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** failures++);
    retry = setTimeout(() => void connect(), delay);
  };

  const connect = async () => {
    const client = new pg.Client({ connectionString: url, application_name: EVICTION_LISTENER_NAME });
    current = client;
    client.on('notification', (message) => {
      if (message.channel === EVICTION_CHANNEL) deliver(message.payload);
    });
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${EVICTION_CHANNEL}`);
    } catch (error) {
      lost(client, error);
      return;
    }
    if (closed || client !== current) {
      await client.end().catch(() => {});
      return;
    }
    // Whatever changed while nothing listened is unknown here: every cached entry is read anew.
    target.evictAll();
    if (failures > 0) log.info({ attempts: failures }, 'cache eviction listener listening again; caches dropped');
    failures = 0;
  };

  await connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const client = current;
      current = null;
      await client?.end().catch(() => {});
    },
  };
}
