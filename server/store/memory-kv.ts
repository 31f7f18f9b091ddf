/** In-process backend (tests, single-process demos): unstorage's memory driver plus a per-key lock. */
import { createStorage, type Storage } from 'unstorage';
import type { AtomicKv, ReadOptions, UpdateStep } from './atomic-kv.js';
import { KeyedMutex } from './keyed-mutex.js';

/**
 * A value written with a time to live is kept wrapped with its expiry (real time, like Redis's).
 * The field names cannot clash with a record's: records never start a field with `__`.
 */
interface Expiring {
  __expiresAt: number;
  __value: unknown;
}

function isExpiring(stored: unknown): stored is Expiring {
  return typeof stored === 'object' && stored !== null && '__expiresAt' in stored && '__value' in stored;
}

/** The value a stored item stands for: unwrapped, or null once its time to live has passed. */
function live<T>(stored: unknown, now = Date.now()): T | null {
  if (stored === null || stored === undefined) return null;
  if (!isExpiring(stored)) return stored as T;
  return stored.__expiresAt > now ? (stored.__value as T) : null;
}

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

  /**
   * Records are kept as JSON text and parsed with `JSON.parse`. unstorage's own `getItem` runs
   * `destr`, whose checks of every text took a tenth of a login's main-thread time on the memory
   * store, and whose leniency would hand a damaged record back as a string (here it fails the
   * call: `storage_unavailable`). The options reach the driver (the fs driver acts on `equalWork`).
   */
  private async read(key: string, options?: ReadOptions): Promise<unknown> {
    const text = await this.storage.getItemRaw<string>(key, options);
    return typeof text === 'string' ? (JSON.parse(text) as unknown) : null;
  }

  private write(key: string, value: unknown): Promise<void> {
    return this.storage.setItemRaw(key, JSON.stringify(value));
  }

  async get<T>(key: string, options?: ReadOptions): Promise<T | null> {
    return live<T>(await this.read(key, options));
  }

  async getMany<T>(keys: string[], options?: ReadOptions): Promise<Array<T | null>> {
    const values = await Promise.all(keys.map((key) => this.read(key, options)));
    const now = Date.now();
    return values.map((value) => live<T>(value, now));
  }

  set<T>(key: string, value: T): Promise<void> {
    return this.locks.run(key, () => this.write(key, value));
  }

  setIfAbsent<T>(key: string, value: T): Promise<boolean> {
    return this.locks.run(key, async () => {
      if (live(await this.read(key)) !== null) return false;
      await this.write(key, value);
      return true;
    });
  }

  delete(key: string): Promise<void> {
    return this.locks.run(key, () => this.storage.removeItem(key));
  }

  deleteIfEquals(key: string, expected: object): Promise<boolean> {
    return this.locks.run(key, async () => {
      const stored = live(await this.read(key));
      if (stored === null || JSON.stringify(stored) !== JSON.stringify(expected)) return false;
      await this.storage.removeItem(key);
      return true;
    });
  }

  update<T, R>(key: string, fn: (current: T | null) => UpdateStep<T, R>): Promise<R> {
    return this.locks.run(key, async () => {
      const step = fn(live<T>(await this.read(key)));
      if (step.value === null) await this.storage.removeItem(key);
      else if (step.value !== undefined) {
        const stored: unknown =
          step.ttlMs === undefined
            ? step.value
            : ({ __expiresAt: Date.now() + step.ttlMs, __value: step.value } satisfies Expiring);
        await this.write(key, stored);
      }
      return step.result;
    });
  }

  async expiresAt(key: string): Promise<number | null> {
    const stored = await this.read(key);
    return isExpiring(stored) && live(stored) !== null ? stored.__expiresAt : null;
  }

  async keys(prefix: string): Promise<string[]> {
    return this.storage.getKeys(prefix);
  }

  async sweepExpired(prefix: string): Promise<number> {
    let removed = 0;
    for (const key of await this.storage.getKeys(prefix)) {
      await this.locks.run(key, async () => {
        const stored = await this.read(key);
        if (isExpiring(stored) && live(stored) === null) {
          await this.storage.removeItem(key);
          removed++;
        }
      });
    }
    return removed;
  }

  async close(): Promise<void> {
    await this.storage.dispose();
  }
}

export function createMemoryKv(): AtomicKv {
  return new LockedKv('memory', createStorage());
}
