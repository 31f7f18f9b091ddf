/** Proves the throw-away PostgreSQL and Redis Cluster test helpers start, answer, and stop. */
import { createConnection } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createDatabase, queryPostgres, startPostgres } from '../helpers/postgres-server.js';
import { startRedisCluster } from '../helpers/redis-cluster.js';

/** True when something accepts TCP connections on 127.0.0.1:port. */
function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => done(true));
  });
}

describe('startPostgres', () => {
  it('answers SQL, has pg_trgm, creates isolated databases, and stops', async () => {
    const pg = await startPostgres();
    try {
      expect(pg.url).toBe(`postgres://postgres@127.0.0.1:${pg.port}/postgres`);
      expect(await queryPostgres(pg.url, 'SELECT 1')).toBe('1');
      // The product's search relies on trigram indexes; Debian's postgresql package ships them.
      await queryPostgres(pg.url, 'CREATE EXTENSION IF NOT EXISTS pg_trgm');
      expect(await queryPostgres(pg.url, "SELECT similarity('müller', 'mueller') > 0.3")).toBe('t');

      const other = await createDatabase(pg, 'isolated_one');
      expect(other).toBe(`postgres://postgres@127.0.0.1:${pg.port}/isolated_one`);
      await queryPostgres(other, 'CREATE TABLE only_here (x int)');
      expect(await queryPostgres(other, 'SELECT current_database()')).toBe('isolated_one');
      expect(await queryPostgres(pg.url, "SELECT to_regclass('only_here') IS NULL")).toBe('t');
      await expect(createDatabase(pg, 'isolated_one')).rejects.toThrow(/already exists/);
    } finally {
      await pg.stop();
    }
    expect(await isListening(pg.port)).toBe(false);
    // A second stop is harmless, e.g. from both a test and its afterAll.
    await pg.stop();
  }, 30_000);
});

describe('startRedisCluster', () => {
  it('spreads keys over nodes, enforces CROSSSLOT, and stops', async () => {
    const cluster = await startRedisCluster();
    const client = new Redis.Cluster(cluster.nodes);
    try {
      expect(cluster.nodes).toHaveLength(3);
      expect(cluster.url).toBe(
        `redis+cluster://${cluster.nodes.map((n) => `127.0.0.1:${n.port}`).join(',')}`,
      );
      // Bus ports (+10000) must be free too, so the ports are checked together.
      expect(new Set(cluster.nodes.flatMap((n) => [n.port, n.port + 10_000])).size).toBe(6);

      const slotA = await client.cluster('KEYSLOT', '{a}x');
      const slotB = await client.cluster('KEYSLOT', '{b}y');
      expect(slotA).not.toBe(slotB);
      await client.set('{a}x', 'one');
      await client.set('{b}y', 'two');
      expect(await client.get('{a}x')).toBe('one');
      expect(await client.get('{b}y')).toBe('two');
      const holders: number[] = [];
      for (const node of client.nodes('master')) {
        if ((await node.dbsize()) > 0) holders.push(node.options.port ?? 0);
      }
      expect(holders).toHaveLength(2);

      const script = "redis.call('SET', KEYS[1], ARGV[1]); redis.call('SET', KEYS[2], ARGV[1]); return 1";
      await expect(client.eval(script, 2, '{a}1', '{b}2', 'v')).rejects.toThrow(/CROSSSLOT/);
      expect(await client.eval(script, 2, '{t}1', '{t}2', 'v')).toBe(1);
      expect(await client.mget('{t}1', '{t}2')).toEqual(['v', 'v']);

      // ioredis refuses a MULTI spanning nodes itself; across slots of one node, the server says CROSSSLOT.
      await expect(client.multi().set('{a}1', '1').set('{b}2', '2').exec()).rejects.toThrow(/same slot/);
      const slots = await client.cluster('SLOTS');
      const owner = (slot: number) => slots.find(([start, end]) => slot >= start && slot <= end)?.[2][1];
      const slotT = await client.cluster('KEYSLOT', '{t}');
      let neighbour = '';
      for (const tag of 'abcdefghijklmnopqrstuvwxyz') {
        const slot = await client.cluster('KEYSLOT', `{${tag}}`);
        if (slot !== slotT && owner(slot) === owner(slotT)) {
          neighbour = `{${tag}}2`;
          break;
        }
      }
      expect(neighbour).not.toBe('');
      await expect(client.multi().set('{t}1', '1').set(neighbour, '2').exec()).rejects.toThrow(/CROSSSLOT/);
      expect(await client.multi().set('{t}1', '1').incr('{t}n').exec()).toEqual([
        [null, 'OK'],
        [null, 1],
      ]);
    } finally {
      await client.quit();
      await cluster.stop();
    }
    for (const node of cluster.nodes) {
      expect(await isListening(node.port)).toBe(false);
    }
  }, 30_000);
});
