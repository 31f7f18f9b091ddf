/** Redis backend: several server processes may share one Redis; atomic steps are SET NX and Lua. */
import type { Cluster, Redis } from 'ioredis';
import { createStorage, normalizeKey } from 'unstorage';
import { createRequire } from 'node:module';
import type redisDriverType from 'unstorage/drivers/redis';
import { AppError } from '../errors.js';
import type { AtomicKv, UpdateStep } from './atomic-kv.js';

export interface RedisKvOptions {
  /** Prefix of every key (`<base>:<key>`), so one Redis can hold other data too. */
  base?: string;
}

/** A node of a Redis Cluster (or Valkey cluster) to discover the others from. */
export interface ClusterNode {
  host: string;
  port: number;
}

/** Where the Redis backend connects: one server by URL, or a cluster by some of its nodes. */
export type RedisTarget = { url: string } | { cluster: ClusterNode[] };

/** How long a call waits for a (re)connection before failing; the store turns it into a 503. */
const CONNECT_TIMEOUT_MS = 1000;
/** A Redis that accepts the connection but stops answering must not hang requests either. */
const COMMAND_TIMEOUT_MS = 2000;
/** Lost compare-and-swap races before giving up; each round someone else wrote, so this is generous. */
const MAX_UPDATE_ATTEMPTS = 500;

/** Deletes KEYS[1] only when its text is exactly ARGV[1]. */
const DELETE_IF_EQUALS = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0`;

/**
 * Compare-and-swap on the stored text. ARGV[1] is '1' when the key held ARGV[2] at read time and
 * '0' when it was absent; ARGV[3] is 'set' (write ARGV[4], expiring after ARGV[5] ms when it is
 * not empty) or 'del'. Returns 1 when it wrote.
 */
const COMPARE_AND_SET = `
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= ARGV[2] then return 0 end
elseif current then
  return 0
end
if ARGV[3] == 'del' then
  redis.call('DEL', KEYS[1])
elseif ARGV[5] ~= '' then
  redis.call('SET', KEYS[1], ARGV[4], 'PX', ARGV[5])
else
  redis.call('SET', KEYS[1], ARGV[4])
end
return 1`;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function scanAll(node: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

/** The Redis backend: the AtomicKv, and what the Redis directory needs beside it. */
export interface RedisKv extends AtomicKv {
  readonly client: Redis | Cluster;
  /** The key prefix (`<base>`) every key of this store carries. */
  readonly base: string;
  /** Resolves once connected (or rejects within about a second). */
  ready(): Promise<void>;
}

/** How a connection to one Redis server behaves (on its own, or as a cluster's node). */
const CONNECTION = {
  // Fail fast while Redis is away instead of queueing commands until it is back: a request
  // should get a quick 503, and nothing should run late against state it did not see.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  // A command whose reply was lost with the connection may have run: sending it again could
  // report a set-if-absent or compare-and-swap that did apply as lost. Fail it instead.
  autoResendUnfulfilledCommands: false,
  connectTimeout: CONNECT_TIMEOUT_MS,
  commandTimeout: COMMAND_TIMEOUT_MS,
  // Keep reconnecting forever, at most a second apart, so service resumes soon after Redis does.
  retryStrategy: (times: number) => Math.min(times * 100, 1000),
};

/**
 * Plain reads and writes go through unstorage's redis driver; set-if-absent, compare-and-delete
 * and read-modify-write are single commands or Lua scripts on the driver's own connection (no
 * WATCH, so no per-connection state and no second connection). While Redis is unreachable every
 * call fails within about a second, and works again once it is back, without a restart.
 *
 * On a cluster every command names one key (the directory's scripts, several keys of one tenant,
 * share that tenant's hash slot), reads of many keys go key by key, and listing scans every
 * master.
 */
export function createRedisKv(target: string | RedisTarget, options: RedisKvOptions = {}): RedisKv {
  const where: RedisTarget = typeof target === 'string' ? { url: target } : target;
  // The driver strips one trailing ':' and joins with ':'; the raw keys below must match its keys.
  const base = normalizeKey(options.base ?? 'client-reset');
  // Required here, not imported: a server on another backend never loads the Redis client.
  const redisDriver = createRequire(import.meta.url)('unstorage/drivers/redis') as typeof redisDriverType;
  const driver = redisDriver(
    'cluster' in where
      ? {
          base,
          cluster: where.cluster,
          clusterOptions: {
            lazyConnect: true,
            enableOfflineQueue: false,
            redisOptions: CONNECTION,
            clusterRetryStrategy: CONNECTION.retryStrategy,
          },
        }
      : { url: where.url, base, lazyConnect: true, ...CONNECTION },
  );
  const storage = createStorage({ driver });
  const client = driver.getInstance?.() as Redis | Cluster;
  const cluster = 'cluster' in where;
  // Errors reach the caller through the failed command; without a listener ioredis would also
  // print every reconnection failure.
  client.on('error', () => undefined);

  const rawKey = (key: string) => {
    const normal = normalizeKey(key);
    if (!normal) throw new Error(`[redis-kv] Invalid key: ${JSON.stringify(key)}`);
    return base ? `${base}:${normal}` : normal;
  };

  // With the offline queue off, a command sent while connecting fails; wait (briefly) instead.
  let connecting: Promise<void> | null = null;
  const ready = (): Promise<void> => {
    if (client.status === 'ready') return Promise.resolve();
    if (client.status === 'end') return Promise.reject(new Error('[redis-kv] The connection is closed'));
    connecting ??= new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('error', onError);
        client.off('end', onEnd);
        connecting = null;
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => finish();
      const onError = (error: Error) => finish(error);
      const onEnd = () => finish(new Error('[redis-kv] The connection is closed'));
      const timer = setTimeout(
        () => finish(new Error(`[redis-kv] Redis is not reachable (${client.status})`)),
        CONNECT_TIMEOUT_MS,
      );
      client.on('ready', onReady);
      client.on('error', onError);
      client.on('end', onEnd);
      if (client.status === 'wait') client.connect().catch(() => undefined);
    });
    return connecting;
  };

  const kv: RedisKv = {
    backend: 'redis',
    client,
    base,
    ready,

    async get<T>(key: string): Promise<T | null> {
      await ready();
      return ((await storage.getItem(key)) as T | null) ?? null;
    },

    async getMany<T>(keys: string[]): Promise<Array<T | null>> {
      if (keys.length === 0) return [];
      await ready();
      if (cluster) {
        // MGET needs every key in one slot; one GET each (ioredis sends them together per node).
        const texts = await Promise.all(keys.map((key) => client.get(rawKey(key))));
        return texts.map((text) => (text === null ? null : (JSON.parse(text) as T)));
      }
      const items = await storage.getItems(keys);
      const byKey = new Map(items.map((item) => [item.key, item.value as T | null]));
      return keys.map((key) => byKey.get(normalizeKey(key)) ?? null);
    },

    async set<T>(key: string, value: T): Promise<void> {
      await ready();
      await storage.setItem(key, value as never);
    },

    async setIfAbsent<T>(key: string, value: T): Promise<boolean> {
      await ready();
      // Same text unstorage would store for an object, so plain reads parse it the same way.
      return (await client.set(rawKey(key), JSON.stringify(value), 'NX')) === 'OK';
    },

    async delete(key: string): Promise<void> {
      await ready();
      await storage.removeItem(key);
    },

    async deleteIfEquals(key: string, expected: object): Promise<boolean> {
      await ready();
      return (await client.eval(DELETE_IF_EQUALS, 1, rawKey(key), JSON.stringify(expected))) === 1;
    },

    async update<T, R>(key: string, fn: (current: T | null) => UpdateStep<T, R>): Promise<R> {
      const raw = rawKey(key);
      for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
        await ready();
        const text = await client.get(raw);
        const step = fn(text === null ? null : (JSON.parse(text) as T));
        // Nothing to write: the result describes the value as read, a consistent snapshot.
        if (step.value === undefined) return step.result;
        if (step.value === null && text === null) return step.result;
        const wrote = await client.eval(
          COMPARE_AND_SET,
          1,
          raw,
          text === null ? '0' : '1',
          text ?? '',
          step.value === null ? 'del' : 'set',
          step.value === null ? '' : JSON.stringify(step.value),
          step.ttlMs === undefined ? '' : String(Math.max(1, Math.ceil(step.ttlMs))),
        );
        if (wrote === 1) return step.result;
        // Another writer got there first: back off a little (random, so racers spread out) and redo.
        await sleep(Math.random() * Math.min(20, 1 + attempt));
      }
      throw new AppError('conflict');
    },

    async expiresAt(key: string): Promise<number | null> {
      await ready();
      // -1: no time to live, -2: absent.
      const left = await client.pttl(rawKey(key));
      return left > 0 ? Date.now() + left : null;
    },

    async keys(prefix: string): Promise<string[]> {
      await ready();
      if (!cluster) return storage.getKeys(prefix);
      // Each master holds its own slots: scan them all.
      const masters = (client as Cluster).nodes('master');
      const pattern = `${rawKey(prefix).replace(/[*?[\]\\]/g, '\\$&')}:*`;
      const found = await Promise.all(masters.map((node) => scanAll(node, pattern)));
      return found.flat().map((key) => key.slice(base.length + 1));
    },

    async sweepExpired(): Promise<number> {
      // Redis removes expired keys itself.
      return 0;
    },

    async close(): Promise<void> {
      if (client.status === 'ready') {
        try {
          await client.quit();
          return;
        } catch {
          // Fall through: drop the connection without waiting.
        }
      }
      client.disconnect();
    },
  };
  return kv;
}
