/** A backend that fails on demand, to prove a failed write leaves nothing half done and the server recovers. */
import type { AtomicKv } from '../../server/store/atomic-kv.js';

export type KvOperation =
  'get' | 'getMany' | 'set' | 'setIfAbsent' | 'delete' | 'deleteIfEquals' | 'update' | 'keys';

export interface FaultyKv extends AtomicKv {
  /** Fail these operations (on keys starting with `prefix`, if given) until `heal()`. */
  fail(operations: KvOperation[], prefix?: string): void;
  heal(): void;
  failures: number;
}

export function faultyKv(inner: AtomicKv): FaultyKv {
  let failing = new Set<KvOperation>();
  let failingPrefix = '';
  const state = { failures: 0 };
  const check = (operation: KvOperation, key: string) => {
    if (failing.has(operation) && key.startsWith(failingPrefix)) {
      state.failures++;
      throw new Error(`injected ${operation} failure`);
    }
  };
  return {
    backend: inner.backend,
    get failures() {
      return state.failures;
    },
    set failures(value: number) {
      state.failures = value;
    },
    fail(operations, prefix = '') {
      failing = new Set(operations);
      failingPrefix = prefix;
    },
    heal() {
      failing = new Set();
    },
    async get(key) {
      check('get', key);
      return inner.get(key);
    },
    async getMany(keys) {
      keys.forEach((key) => check('getMany', key));
      return inner.getMany(keys);
    },
    async set(key, value) {
      check('set', key);
      return inner.set(key, value);
    },
    async setIfAbsent(key, value) {
      check('setIfAbsent', key);
      return inner.setIfAbsent(key, value);
    },
    async delete(key) {
      check('delete', key);
      return inner.delete(key);
    },
    async deleteIfEquals(key, expected) {
      check('deleteIfEquals', key);
      return inner.deleteIfEquals(key, expected);
    },
    async update(key, fn) {
      check('update', key);
      return inner.update(key, fn);
    },
    async keys(prefix) {
      check('keys', prefix);
      return inner.keys(prefix);
    },
    expiresAt: (key) => inner.expiresAt(key),
    sweepExpired: (prefix) => inner.sweepExpired(prefix),
    close: () => inner.close(),
  };
}
