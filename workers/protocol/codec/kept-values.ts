/**
 * Values a decoder hands out again and again (a port range, an address match), kept by key so
 * every line naming one shares one object. Bounded, and never stuck: when the newer of two
 * maps is full it becomes the older one and a new one starts, and a value found in the older
 * map moves to the newer. What lines keep naming stays; what they stopped naming (or named
 * once: a list of 10k distinct subnets) is let go, never more than twice `limit` held.
 */
export class KeptValues<K, V> {
  private newer = new Map<K, V>();
  private older = new Map<K, V>();

  constructor(private readonly limit: number) {}

  get(key: K): V | undefined {
    const v = this.newer.get(key);
    if (v !== undefined) return v;
    const old = this.older.get(key);
    if (old !== undefined) this.keep(key, old);
    return old;
  }

  keep(key: K, value: V): void {
    if (this.newer.size >= this.limit) {
      this.older = this.newer;
      this.newer = new Map();
    }
    this.newer.set(key, value);
  }
}
