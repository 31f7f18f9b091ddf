/**
 * The store backends an API test runs on, as `createTestApp` environments: memory, fs in a fresh
 * temp folder each time, and a real `redis-server` started once for the file. Call inside a
 * `describe` (or at the top of a file): it registers its own start and clean-up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startRedis, type RedisHandle } from './redis-server.js';

export type BackendEnv = [backend: 'memory' | 'fs' | 'redis', env: () => Promise<Record<string, string>>];

export function storeBackends(folderPrefix: string): BackendEnv[] {
  let redis: RedisHandle | null = null;
  const dirs: string[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
    await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return [
    ['memory', async () => ({ STORAGE: 'memory' })],
    [
      'fs',
      async () => {
        const dir = await mkdtemp(join(tmpdir(), `${folderPrefix}-`));
        dirs.push(dir);
        return { STORAGE: 'fs', DATA_DIR: dir };
      },
    ],
    ['redis', async () => ({ STORAGE: 'redis', REDIS_URL: redis!.url })],
  ];
}
