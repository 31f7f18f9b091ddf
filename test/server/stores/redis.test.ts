/** The store contract on Redis, and what only a shared server can get wrong (two processes, Redis going away). */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { testStore } from '../../../server/store/conformance/index.js';
import { codeOf, raceTwoHandles, untilStoreAnswers } from '../../../server/store/conformance/helpers.js';
import { makeAccount, makeTenant, T0 } from '../../../server/store/conformance/records.js';
import { createStore } from '../../../server/store/create-store.js';
import { KvStore } from '../../../server/store/kv-store.js';
import { RedisDirectory } from '../../../server/store/redis-directory.js';
import { createRedisKv } from '../../../server/store/redis-kv.js';
import type { Store } from '../../../server/store/store.js';
import { startRedis, type RedisHandle } from '../../helpers/redis-server.js';

let redis: RedisHandle | null = null;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function track(store: Store): Store {
  cleanups.push(() => store.close());
  return store;
}

testStore('redis', async () => {
  // A key prefix per test keeps tests apart on the shared server.
  const redisBase = `test-${randomUUID()}`;
  return {
    open: () => createStore({ storage: 'redis', redisUrl: redis!.url, redisBase }),
    counterRecords: async () => {
      const kv = createRedisKv(redis!.url, { base: redisBase });
      try {
        return (await kv.keys('window')).length + (await kv.keys('attempts')).length;
      } finally {
        await kv.close();
      }
    },
  };
});

describe('Store on redis, what only a shared server can get wrong', () => {
  it('re-indexes a client whose write landed but whose directory update never did (a process that died)', async () => {
    const redisBase = `test-${randomUUID()}`;
    const kv = createRedisKv(redis!.url, { base: redisBase });
    const directory = new RedisDirectory(kv);
    const first = track(new KvStore(kv, directory));
    const account = await first.createAccount(
      makeAccount({ id: 'x-1', name: 'Before Crash', tenants: ['acme'] }),
    );
    // The process marks the write, writes the record, and dies before the directory hears of it.
    await directory.mark('x-1');
    await kv.set('account:x-1', { ...account, name: 'After Crash', revision: account.revision + 1 });
    expect((await first.searchClients('acme', { q: 'after', limit: 5 })).items).toEqual([]);

    const second = track(createStore({ storage: 'redis', redisUrl: redis!.url, redisBase }));
    const found = await second.searchClients('acme', { q: 'after', limit: 5 });
    expect(found.items.map((item) => item.id)).toEqual(['x-1']);
    expect((await second.searchClients('acme', { q: 'before', limit: 5 })).items).toEqual([]);
  });

  it('stays exactly-once across two store instances (two server processes)', async () => {
    const redisBase = `test-${randomUUID()}`;
    const one = track(createStore({ storage: 'redis', redisUrl: redis!.url, redisBase }));
    const two = track(createStore({ storage: 'redis', redisUrl: redis!.url, redisBase }));
    const race = await raceTwoHandles(one, two);
    expect(race.seenByTwo).toEqual(race.account);
    expect(race.consumes).toEqual({ ok: 1, link_used: 49 });
    expect(race.allowed).toBe(5);
    expect(race.increments).toEqual({ ok: 40 });
    expect(race.history).toBe(40);
  });

  it('fails fast with storage_unavailable while Redis is down and recovers without a restart', async () => {
    // A separate server, so stopping it does not disturb the other tests.
    let own = await startRedis();
    cleanups.push(() => own.stop());
    const store = track(createStore({ storage: 'redis', redisUrl: own.url }));
    await store.putTenant(makeTenant());
    expect(await store.getTenant('acme')).toMatchObject({ id: 'acme' });

    await own.stop();
    for (const call of [
      () => store.getTenant('acme'),
      () => store.takeFromWindow('w', { limit: 1, windowMs: 1000, now: T0 }),
      () => store.createAccount(makeAccount()),
    ]) {
      const started = Date.now();
      expect(await codeOf(call())).toBe('storage_unavailable');
      expect(Date.now() - started).toBeLessThan(2500);
    }

    own = await startRedis({ port: own.port });
    await untilStoreAnswers(() => store.putTenant(makeTenant({ name: 'Back' })));
    expect(await store.getTenant('acme')).toMatchObject({ name: 'Back' });
  });
});
