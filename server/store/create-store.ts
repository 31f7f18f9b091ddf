/** Picks the storage backend from configuration and wraps it in the one `Store` implementation. */
import { InProcessDirectory } from './in-process-directory.js';
import { RedisDirectory } from './redis-directory.js';
import { createFsKv } from './fs-kv.js';
import { KvStore } from './kv-store.js';
import { createMemoryKv } from './memory-kv.js';
import { createRedisKv, type ClusterNode } from './redis-kv.js';
import { createPostgresStore } from './postgres/index.js';
import type { Store } from './store.js';

export interface CreateStoreOptions {
  /** `memory` and `fs` serve one process only; run several processes on `redis` or `postgres`. */
  storage: 'memory' | 'fs' | 'redis' | 'postgres';
  /** Folder of the `fs` backend (default `.data`). */
  dataDir?: string;
  /** `redis://…` URL; for `redis` (or `redisCluster`). */
  redisUrl?: string;
  /** Nodes of a Redis Cluster, instead of `redisUrl`. */
  redisCluster?: ClusterNode[];
  /** Key prefix in Redis (default `client-reset`). */
  redisBase?: string;
  /** `postgres://…` URL; for `postgres`. */
  databaseUrl?: string;
}

export function createStore(options: CreateStoreOptions): Store {
  switch (options.storage) {
    case 'memory':
      return new KvStore(createMemoryKv(), new InProcessDirectory());
    case 'fs':
      // The records outlive the process: the directory is rebuilt from them at start.
      return new KvStore(createFsKv(options.dataDir ?? '.data'), new InProcessDirectory(), {
        rebuildDirectory: true,
      });
    case 'redis': {
      const target = options.redisCluster
        ? { cluster: options.redisCluster }
        : options.redisUrl
          ? { url: options.redisUrl }
          : null;
      if (!target) {
        throw new Error(
          'storage "redis" needs a Redis URL (redisUrl, e.g. redis://127.0.0.1:6379) or redisCluster',
        );
      }
      const kv = createRedisKv(target, options.redisBase ? { base: options.redisBase } : {});
      return new KvStore(kv, new RedisDirectory(kv));
    }
    case 'postgres':
      if (!options.databaseUrl) {
        throw new Error(
          'storage "postgres" needs a database URL (databaseUrl, e.g. postgres://host/database)',
        );
      }
      return createPostgresStore(options.databaseUrl);
    default:
      throw new Error(`Unknown storage backend: ${String(options.storage satisfies never)}`);
  }
}
