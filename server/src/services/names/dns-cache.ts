/**
 * A bounded map whose entries expire: the DNS client's answers, each kept for its own TTL. When
 * full, the least recently used entry goes first (a hit moves an entry to the back of the
 * `Map`'s insertion order), so a burst of one-off names cannot push out the names asked all the
 * time. Expired entries are dropped when met, or when they become the least recently used.
 */
export class TtlCache<V> {
  private readonly entries = new Map<string, { expires: number; value: V }>();

  constructor(
    /** Most entries kept; 0 keeps nothing. */
    private readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The live value for `key`, now the most recently used; undefined when absent or expired. */
  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expires <= this.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Keeps `value` for `ttlMs` (nothing is kept for 0 or less). */
  set(key: string, value: V, ttlMs: number): void {
    this.entries.delete(key);
    if (this.maxEntries <= 0 || !(ttlMs > 0)) return;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { expires: this.now() + ttlMs, value });
  }

  /** Drops every entry whose key `matches`. */
  deleteWhere(matches: (key: string) => boolean): void {
    for (const key of [...this.entries.keys()]) if (matches(key)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}
