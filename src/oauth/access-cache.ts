/**
 * A node-local cache of resolved access tokens. Entries live `ttlMs` at most, which bounds how long a
 * revocation made on another node can go unnoticed here; revocations on this node evict at once.
 */
export class AccessCache<V extends { appId: string; accountId: string }> {
  private readonly entries = new Map<string, { value: V; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {}

  get(key: string, nowMs: number): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.until <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: V, nowMs: number): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { value, until: nowMs + this.ttlMs });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  evictAccount(appId: string, accountId: string): void {
    for (const [key, entry] of this.entries) {
      if (entry.value.appId === appId && entry.value.accountId === accountId) this.entries.delete(key);
    }
  }
}
