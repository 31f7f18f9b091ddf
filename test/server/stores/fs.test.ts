/** The store contract on the fs backend, and what only a folder of files can get wrong (crashes, temp files, paths). */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { testStore } from '../../../server/store/conformance/index.js';
import { makeAccount, makeOutboxMessage, makeTenant, T0 } from '../../../server/store/conformance/records.js';
import { createStore } from '../../../server/store/create-store.js';
import { createFsKv } from '../../../server/store/fs-kv.js';
import type { Store } from '../../../server/store/store.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'store-fs-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function track(store: Store): Store {
  cleanups.push(() => store.close());
  return store;
}

testStore('fs', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'store-fs-'));
  const kv = createFsKv(dataDir);
  return {
    open: () => createStore({ storage: 'fs', dataDir }),
    counterRecords: async () => (await kv.keys('window')).length + (await kv.keys('attempts')).length,
    dispose: () => rm(dataDir, { recursive: true, force: true }),
  };
});

describe('Store on fs, what only files can get wrong', () => {
  it('survives a reopen on the same folder', async () => {
    const dataDir = await tempDir();
    const first = createStore({ storage: 'fs', dataDir });
    const account = await first.createAccount(makeAccount({ email: 'kept@example.com' }));
    await first.takeFromWindow('w', { limit: 2, windowMs: 1000, now: T0 });
    await first.close();
    const second = track(createStore({ storage: 'fs', dataDir }));
    expect(await second.getAccount(account.id)).toEqual(account);
    expect(await second.findAccount('KEPT@example.com')).toEqual(account);
    expect(await second.peekWindow('w', { limit: 2, windowMs: 1000, now: T0 })).toMatchObject({
      used: 1,
    });
  });

  it('reports a damaged record as the store failing, never as a record of text', async () => {
    const dataDir = await tempDir();
    const store = track(createStore({ storage: 'fs', dataDir }));
    await store.putTenant(makeTenant({ id: 'studio' }));
    // Edited by hand, or written by something else: not JSON any more.
    await writeFile(join(dataDir, 'tenant', 'studio.json'), 'name=Studio');
    await expect(store.getTenant('studio')).rejects.toMatchObject({ code: 'storage_unavailable' });
  });

  it('ignores leftover temp files and sweeps stale ones on start', async () => {
    const dataDir = await tempDir();
    const first = createStore({ storage: 'fs', dataDir });
    const message = makeOutboxMessage();
    await first.addToOutbox(message);
    await first.close();
    await mkdir(join(dataDir, 'outbox'), { recursive: true });
    const fresh = join(dataDir, 'outbox', `.x.json.999.abc.tmp`);
    const stale = join(dataDir, 'outbox', `.y.json.999.def.tmp`);
    await writeFile(fresh, '{"half":');
    await writeFile(stale, '{"half":');
    const old = new Date(Date.now() - 3_600_000);
    await utimes(stale, old, old);

    const kv = createFsKv(dataDir);
    expect((await kv.keys('')).filter((key) => key.includes('tmp'))).toEqual([]);
    expect(await kv.keys('outbox:slot')).toHaveLength(1);
    const second = track(createStore({ storage: 'fs', dataDir }));
    expect(await second.listOutbox(10)).toEqual([message]);
    await kv.close();
    await expect(stat(stale)).rejects.toMatchObject({ code: 'ENOENT' });
    // A recent one may be a write in progress of another process shutting down: left alone.
    expect((await stat(fresh)).isFile()).toBe(true);
  });

  it('refuses keys that would leave the folder', async () => {
    const kv = createFsKv(await tempDir());
    cleanups.push(() => kv.close());
    await expect(kv.set('a:..:b', { x: 1 })).rejects.toThrow();
    await expect(kv.get('..:x')).rejects.toThrow();
    await expect(kv.set('a:.hidden', { x: 1 })).rejects.toThrow();
  });

  it('never leaves a half-written record when the writer is killed with SIGKILL', async () => {
    const dataDir = await tempDir();
    const script = fileURLToPath(new URL('../../helpers/fs-write-loop.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    cleanups.push(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('writing')) resolve();
      });
      void exited.then(() => reject(new Error(`writer exited early: ${stderr}`)));
    });
    // Let it write for a while, then kill it at an arbitrary point.
    await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 150));
    child.kill('SIGKILL');
    await exited;

    const files = await readdir(join(dataDir, 'crash'));
    const records = files.filter((name) => name.endsWith('.json') && !name.startsWith('.'));
    expect(records.sort()).toEqual(['record-0.json', 'record-1.json', 'record-2.json', 'record-3.json']);
    for (const name of records) {
      const parsed = JSON.parse(await readFile(join(dataDir, 'crash', name), 'utf8')) as {
        round: number;
      };
      expect(parsed.round).toBeGreaterThan(0);
    }
    const kv = createFsKv(dataDir);
    cleanups.push(() => kv.close());
    const keys = await kv.keys('crash');
    expect(keys.sort()).toEqual(['crash:record-0', 'crash:record-1', 'crash:record-2', 'crash:record-3']);
    for (const key of keys)
      expect(await kv.get<{ i: number }>(key)).toMatchObject({ i: Number(key.slice(-1)) });
  });
});
