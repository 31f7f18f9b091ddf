/** What only the key-value backends (memory, fs, Redis) hold: counters of earlier versions, which had no time to live. */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { AtomicKv } from '../../../server/store/atomic-kv.js';
import { createFsKv } from '../../../server/store/fs-kv.js';
import { KvStore } from '../../../server/store/kv-store.js';
import { createMemoryKv } from '../../../server/store/memory-kv.js';
import { createRedisKv } from '../../../server/store/redis-kv.js';
import { startRedis, type RedisHandle } from '../../helpers/redis-server.js';

let redis: RedisHandle | null = null;
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});

/** A fresh backend of each kind, closed (and its folder removed) after the test. */
const backends: Array<[string, () => Promise<AtomicKv>]> = [
  ['memory', async () => createMemoryKv()],
  [
    'fs',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'kv-legacy-'));
      onTestFinished(() => rm(dir, { recursive: true, force: true }));
      return createFsKv(dir);
    },
  ],
  ['redis', async () => createRedisKv(redis!.url, { base: `test-${randomUUID()}` })],
];

describe.each(backends)('on %s', (_name, makeKv) => {
  it('removes counters of earlier versions, which had no time to live, on its first sweep', async () => {
    const kv = await makeKv();
    const store = new KvStore(kv);
    onTestFinished(() => store.close());
    const now = Date.now();
    // The old login throttle's failure records, and windows stored without their length.
    await kv.set('failures:login%3Aanna', { count: 3, lastAt: now - 1000 });
    await kv.set('window:old', { entries: [{ at: now - 2 * 24 * 3_600_000, ticket: 't1' }] });
    await kv.set('window:recent', { entries: [{ at: now - 1000, ticket: 't2' }] });
    await store.removeExpired();
    expect(await kv.keys('failures')).toEqual([]);
    expect(await kv.keys('window')).toEqual([expect.stringContaining('recent')]);
    // The recent one still counts, and now expires with the longest window.
    expect(await store.peekWindow('recent', { limit: 5, windowMs: 3_600_000, now })).toMatchObject({
      used: 1,
    });
  });
});
