/** Interleavings of KvStore's multi-key steps that parallel calls hit only rarely, forced in order. */
import { describe, expect, it } from 'vitest';
import type { AtomicKv } from '../../server/store/atomic-kv.js';
import { KvStore } from '../../server/store/kv-store.js';
import { createMemoryKv } from '../../server/store/memory-kv.js';
import { idsIn } from '../../server/store/conformance/helpers.js';
import { makeAccount } from '../../server/store/conformance/records.js';

/** A memory AtomicKv whose next matching call can be held back or made to fail once. */
function gatedKv() {
  const inner = createMemoryKv();
  let hold: {
    match: (method: string, key: string) => boolean;
    reached: () => void;
    open: Promise<void>;
  } | null = null;
  let failOnce: ((method: string, key: string) => boolean) | null = null;

  const before = async (method: string, key: string) => {
    if (failOnce?.(method, key)) {
      failOnce = null;
      throw new Error('simulated storage failure');
    }
    if (hold?.match(method, key)) {
      const gate = hold;
      hold = null;
      gate.reached();
      await gate.open;
    }
  };
  const kv: AtomicKv = {
    backend: 'memory',
    get: (key) => inner.get(key),
    getMany: (keys) => inner.getMany(keys),
    set: async (key, value) => (await before('set', key), inner.set(key, value)),
    setIfAbsent: async (key, value) => (await before('setIfAbsent', key), inner.setIfAbsent(key, value)),
    delete: async (key) => (await before('delete', key), inner.delete(key)),
    deleteIfEquals: async (key, expected) => (
      await before('deleteIfEquals', key),
      inner.deleteIfEquals(key, expected)
    ),
    update: async (key, fn) => (await before('update', key), inner.update(key, fn)),
    keys: (prefix) => inner.keys(prefix),
    expiresAt: (key) => inner.expiresAt(key),
    sweepExpired: (prefix) => inner.sweepExpired(prefix),
    close: () => inner.close(),
  };
  return {
    kv,
    /** Holds the next matching call until `open()`; resolves `reached` when it arrives. */
    holdNext(method: string, keyPrefix: string) {
      let reached!: () => void;
      let open!: () => void;
      const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
      const openPromise = new Promise<void>((resolve) => (open = resolve));
      hold = { match: (m, k) => m === method && k.startsWith(keyPrefix), reached, open: openPromise };
      return { reached: reachedPromise, open };
    },
    failNext(method: string, keyPrefix: string) {
      failOnce = (m, k) => m === method && k.startsWith(keyPrefix);
    },
  };
}

describe('KvStore races', () => {
  it('keeps the directory on the newest write when an older write finishes its tidying last', async () => {
    const gated = gatedKv();
    const store = new KvStore(gated.kv);
    const a = await store.createAccount(makeAccount({ email: 'first@example.com', tenants: ['base', 't1'] }));

    // Write 1 leaves t1 and moves the email; hold the release of the old email (its tidying,
    // before the directory hears of it) until write 2 has put t1 back and finished.
    const gate = gated.holdNext('deleteIfEquals', 'index:email:first');
    const leaving = store.updateAccount(a.id, (current) => ({
      ...current,
      email: 'second@example.com',
      tenants: ['base'],
    }));
    await gate.reached;
    await store.updateAccount(a.id, (current) => ({ ...current, tenants: ['base', 't1'] }));
    gate.open();
    await leaving;

    expect((await store.getAccount(a.id))?.tenants).toEqual(['base', 't1']);
    expect(await idsIn(store, 't1')).toEqual([a.id]);
  });

  it('keeps the new email indexed when tidying up after a successful write fails', async () => {
    const gated = gatedKv();
    const store = new KvStore(gated.kv);
    const a = await store.createAccount(makeAccount({ email: 'old@example.com' }));

    // Releasing the old address fails (storage hiccup); the change itself already landed.
    gated.failNext('deleteIfEquals', 'index:email:old');
    const updated = await store.updateAccount(a.id, (current) => ({ ...current, email: 'new@example.com' }));
    expect(updated.email).toBe('new@example.com');
    expect(await store.getAccount(a.id)).toEqual(updated);
    expect(await store.findAccount('new@example.com')).toEqual(updated);
    // The leftover entry for the old address does not block anyone.
    expect(await store.findAccount('old@example.com')).toBeNull();
    const b = await store.createAccount(makeAccount({ email: 'old@example.com' }));
    expect(await store.findAccount('old@example.com')).toEqual(b);
  });

  it('does not let another account take an address whose owner is still being written', async () => {
    const gated = gatedKv();
    const store = new KvStore(gated.kv);
    // Hold the first create between its email claim and its record write.
    const gate = gated.holdNext('setIfAbsent', 'account:');
    const first = store.createAccount(makeAccount({ id: 'first', email: 'race@example.com' }));
    await gate.reached;
    await expect(
      store.createAccount(makeAccount({ id: 'second', email: 'race@example.com' })),
    ).rejects.toMatchObject({
      code: 'email_in_use',
    });
    gate.open();
    await first;
    expect((await store.findAccount('race@example.com'))?.id).toBe('first');
  });
});
