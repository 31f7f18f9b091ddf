/** The store contract on a real three-node Redis Cluster: one-key commands, each tenant's directory in one slot. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import { testStore } from '../../../server/store/conformance/index.js';
import { makeAccount } from '../../../server/store/conformance/records.js';
import { createStore } from '../../../server/store/create-store.js';
import { createRedisKv } from '../../../server/store/redis-kv.js';
import { startRedisCluster, type RedisClusterHandle } from '../../helpers/redis-cluster.js';
import { startServerProcess } from '../../helpers/server-process.js';

let cluster: RedisClusterHandle | null = null;
beforeAll(async () => {
  cluster = await startRedisCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const nodes = () => cluster!.nodes.map(({ host, port }) => ({ host, port }));

testStore('a Redis Cluster', async () => {
  const redisBase = `test-${randomUUID()}`;
  return {
    open: () => createStore({ storage: 'redis', redisCluster: nodes(), redisBase }),
    counterRecords: async () => {
      const kv = createRedisKv({ cluster: nodes() }, { base: redisBase });
      try {
        return (await kv.keys('window')).length + (await kv.keys('attempts')).length;
      } finally {
        await kv.close();
      }
    },
  };
});

describe('a Redis Cluster, chosen by configuration', () => {
  it('REDIS_CLUSTER_NODES or a redis+cluster:// URL selects cluster mode; the server starts and works', async () => {
    const list = cluster!.nodes.map(({ host, port }) => `${host}:${port}`).join(',');
    const byList = loadConfig({ STORAGE: 'redis', REDIS_CLUSTER_NODES: list, MAIL: 'outbox' });
    const byUrl = loadConfig({ STORAGE: 'redis', REDIS_URL: `redis+cluster://${list}`, MAIL: 'outbox' });
    expect(byList.redisCluster).toEqual(nodes());
    expect(byUrl.redisCluster).toEqual(nodes());
    const store = createStore({ ...byUrl, redisBase: `test-${randomUUID()}` });
    onTestFinished(() => store.close());
    // Keys of many slots: accounts, their email index, a tenant's directory.
    for (let i = 0; i < 20; i++) {
      await store.createAccount(
        makeAccount({ id: `cl-${i}`, email: `cl${i}@example.com`, tenants: ['acme'] }),
      );
    }
    expect(await store.countClients('acme')).toBe(20);
    expect((await store.findAccount('cl7@example.com'))?.id).toBe('cl-7');
    const page = await store.searchClients('acme', { limit: 50 });
    expect(page.items).toHaveLength(20);
  });

  /** @see issue 10: the server died at start against a cluster (MOVED). */
  it('the server process starts on the cluster and is ready', async () => {
    const server = await startServerProcess({
      DEMO: '0',
      MAIL: 'outbox',
      STORAGE: 'redis',
      REDIS_CLUSTER_NODES: cluster!.nodes.map(({ host, port }) => `${host}:${port}`).join(','),
    });
    onTestFinished(() => server.stop());
    const ready = await fetch(`${server.url}/readyz`);
    expect(await ready.json()).toMatchObject({ ok: true, store: { ok: true, backend: 'redis' } });
  }, 30_000);
});
