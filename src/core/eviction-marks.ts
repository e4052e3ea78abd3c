/**
 * When cache keys were last evicted, so a value read from the database before an eviction is not
 * cached after it: the read raced the write whose eviction (here or from another node) came first,
 * and caching its answer would keep the old value for the cache's whole lifetime.
 */
export class EvictionMarks {
  private count = 0;
  /** Marks older than this were forgotten (the bound) or wiped: a read started before it may have missed one. */
  private forgottenUpTo = 0;
  private readonly marks = new Map<string, number>();

  constructor(private readonly max = 10_000) {}

  /** Taken before a read, to ask `evictedSince` after it. */
  moment(): number {
    return this.count;
  }

  mark(key: string): void {
    // Re-inserted, so the map stays ordered by mark and its first entry is the oldest.
    this.marks.delete(key);
    if (this.marks.size >= this.max) {
      const [oldestKey, oldest] = this.marks.entries().next().value as [string, number];
      this.marks.delete(oldestKey);
      this.forgottenUpTo = oldest;
    }
    this.marks.set(key, ++this.count);
  }

  markAll(): void {
    this.marks.clear();
    this.forgottenUpTo = ++this.count;
  }

  evictedSince(key: string, moment: number): boolean {
    return this.forgottenUpTo > moment || (this.marks.get(key) ?? 0) > moment;
  }
}
