/** In-process backend (tests, single-process demos): unstorage's memory driver plus a per-key lock. */
import { createStorage, type Storage } from 'unstorage';
import type { AtomicKv, UpdateStep } from './atomic-kv.js';
import { KeyedMutex } from './keyed-mutex.js';

/**
 * An AtomicKv over any unstorage driver that only one process writes to: every write of a key
 * takes that key's lock, so read-modify-write cannot interleave.
 */
export class LockedKv implements AtomicKv {
  private readonly locks = new KeyedMutex();

  constructor(
    readonly backend: 'memory' | 'fs',
    readonly storage: Storage,
  ) {}

  async get<T>(key: string): Promise<T | null> {
    return ((await this.storage.getItem(key)) as T | null) ?? null;
  }

  async getMany<T>(keys: string[]): Promise<Array<T | null>> {
    if (keys.length === 0) return [];
    const items = await this.storage.getItems(keys);
    const byKey = new Map(items.map((item) => [item.key, item.value as T | null]));
    return keys.map((key) => byKey.get(key) ?? null);
  }

  set<T>(key: string, value: T): Promise<void> {
    return this.locks.run(key, () => this.storage.setItem(key, value as never));
  }

  setIfAbsent<T>(key: string, value: T): Promise<boolean> {
    return this.locks.run(key, async () => {
      if ((await this.storage.getItem(key)) !== null) return false;
      await this.storage.setItem(key, value as never);
      return true;
    });
  }

  delete(key: string): Promise<void> {
    return this.locks.run(key, () => this.storage.removeItem(key));
  }

  deleteIfEquals(key: string, expected: object): Promise<boolean> {
    return this.locks.run(key, async () => {
      const stored = await this.storage.getItem(key);
      if (stored === null || JSON.stringify(stored) !== JSON.stringify(expected)) return false;
      await this.storage.removeItem(key);
      return true;
    });
  }

  update<T, R>(key: string, fn: (current: T | null) => UpdateStep<T, R>): Promise<R> {
    return this.locks.run(key, async () => {
      const current = ((await this.storage.getItem(key)) as T | null) ?? null;
      const step = fn(current);
      if (step.value === null) await this.storage.removeItem(key);
      else if (step.value !== undefined) await this.storage.setItem(key, step.value as never);
      return step.result;
    });
  }

  async keys(prefix: string): Promise<string[]> {
    return this.storage.getKeys(prefix);
  }

  async close(): Promise<void> {
    await this.storage.dispose();
  }
}

export function createMemoryKv(): AtomicKv {
  return new LockedKv('memory', createStorage());
}
