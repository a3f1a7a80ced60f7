/** Scenario progress and settings: plain keyed values, one transaction per write. */
import type { LabDB } from './db';

export class KeyValueStore<T = unknown> {
  constructor(
    private readonly db: LabDB,
    private readonly store: 'progress' | 'settings',
  ) {}

  async get<V extends T = T>(key: string): Promise<V | undefined> {
    return (await this.db.get(this.store, key)) as V | undefined;
  }

  async set(key: string, value: T): Promise<void> {
    await this.db.put(this.store, value, key);
  }

  async delete(key: string): Promise<void> {
    await this.db.delete(this.store, key);
  }

  async entries(): Promise<[string, T][]> {
    const tx = this.db.transaction(this.store);
    const [keys, values] = await Promise.all([tx.store.getAllKeys(), tx.store.getAll()]);
    return keys.map((k, i) => [k, values[i] as T]);
  }
}
