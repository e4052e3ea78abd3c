/**
 * A node-local cache of resolved access tokens. Entries live `ttlMs` at most, which bounds how long a
 * revocation whose notice this node missed can go unnoticed here; revocations (this node's, or
 * another's announced through the database) evict at once, through an index by (app, account) so a
 * revocation costs the same however full the cache is.
 */
import { EvictionMarks } from '../core/index.js';

export class AccessCache<V extends { appId: string; accountId: string }> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly byAccount = new Map<string, Set<string>>();
  private readonly evictions = new EvictionMarks();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= nowMs) {
      this.remove(key);
      return undefined;
    }
    return entry.value;
  }

  /** Taken before reading a value from the database, and passed to `set` with it. */
  moment(): number {
    return this.evictions.moment();
  }

  /** Keeps a value read at `readAt` (a `moment()`), unless its token or account was evicted since. */
  set(key: string, value: V, nowMs: number, readAt?: number): void {
    if (this.ttlMs <= 0) return;
    if (readAt !== undefined && (this.evictions.evictedSince(key, readAt) || this.evictions.evictedSince(accountKey(value), readAt))) return;
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.remove(oldest.value);
    }
    this.entries.set(key, { value, until: nowMs + this.ttlMs });
    const account = accountKey(value);
    let keys = this.byAccount.get(account);
    if (!keys) {
      keys = new Set();
      this.byAccount.set(account, keys);
    }
    keys.add(key);
  }

  /** Evicts one token. */
  delete(key: string): void {
    this.remove(key);
    this.evictions.mark(key);
  }

  evictAccount(appId: string, accountId: string): void {
    const account = accountKey({ appId, accountId });
    for (const key of this.byAccount.get(account) ?? []) this.entries.delete(key);
    this.byAccount.delete(account);
    this.evictions.mark(account);
  }

  clear(): void {
    this.entries.clear();
    this.byAccount.clear();
    this.evictions.markAll();
  }

  private remove(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const account = accountKey(entry.value);
    const keys = this.byAccount.get(account);
    keys?.delete(key);
    if (keys?.size === 0) this.byAccount.delete(account);
  }
}

/** The index key of an app's access on one owner account; also how notices name it (ids never contain a space). */
export function accountKey(v: { appId: string; accountId: string }): string {
  return `${v.appId} ${v.accountId}`;
}
