/**
 * A node-local cache of resolved access tokens. Entries live `ttlMs` at most, which bounds how long a
 * revocation made on another node can go unnoticed here; revocations on this node evict at once,
 * through an index by (app, account) so a revocation costs the same however full the cache is.
 */
export class AccessCache<V extends { appId: string; accountId: string }> {
  private readonly entries = new Map<string, { value: V; until: number }>();
  private readonly byAccount = new Map<string, Set<string>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= nowMs) {
      this.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    if (!this.entries.has(key) && this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.delete(oldest.value);
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

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    const account = accountKey(entry.value);
    const keys = this.byAccount.get(account);
    keys?.delete(key);
    if (keys?.size === 0) this.byAccount.delete(account);
  }

  evictAccount(appId: string, accountId: string): void {
    for (const key of this.byAccount.get(accountKey({ appId, accountId })) ?? []) this.entries.delete(key);
    this.byAccount.delete(accountKey({ appId, accountId }));
  }
}

function accountKey(v: { appId: string; accountId: string }): string {
  return `${v.appId}\n${v.accountId}`;
}
