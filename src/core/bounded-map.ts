/**
 * A Map that holds at most `max` entries, dropping the oldest-inserted when full: caches and
 * per-key limiters stay bounded without emptying all at once (which would re-parse every snapshot
 * together, or reset every rate limit).
 */
export class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }

  override set(key: K, value: V): this {
    if (!this.has(key) && this.size >= this.max) {
      const oldest = this.keys().next();
      if (!oldest.done) this.delete(oldest.value);
    }
    return super.set(key, value);
  }
}
