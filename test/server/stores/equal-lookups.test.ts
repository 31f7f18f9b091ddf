/**
 * A login's account lookup does the same store work for a known email, a known username and a
 * name nobody has, so its time cannot tell them apart (SECURITY.md, enumeration). Counted on the
 * key-value layer every backend shares, and on the fs backend's files, where a missing record
 * would otherwise answer sooner than a present one.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as fsPromises from 'node:fs/promises';
import type { AtomicKv, ReadOptions } from '../../../server/store/atomic-kv.js';

// Every file read the fs backend makes, with whether it found the file.
const fileReads = vi.hoisted(() => [] as Array<{ path: string; found: boolean }>);
vi.mock('node:fs/promises', async (original) => {
  const actual = await original<typeof fsPromises>();
  const readFile = (async (...args: Parameters<typeof actual.readFile>) => {
    try {
      const text = await actual.readFile(...args);
      fileReads.push({ path: String(args[0]), found: true });
      return text;
    } catch (error) {
      fileReads.push({ path: String(args[0]), found: false });
      throw error;
    }
  }) as typeof actual.readFile;
  return { ...actual, readFile, default: { ...actual, readFile } };
});

const { makeAccount } = await import('../../../server/store/conformance/records.js');
const { createFsKv } = await import('../../../server/store/fs-kv.js');
const { KvStore } = await import('../../../server/store/kv-store.js');
const { InProcessDirectory } = await import('../../../server/store/in-process-directory.js');
const { createMemoryKv } = await import('../../../server/store/memory-kv.js');
const { keys } = await import('../../../server/store/kv-keys.js');

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/** The reads a key-value store is asked for: how many calls, how many keys, how many found. */
interface Reads {
  calls: number;
  keys: number;
  found: number;
  /** Size of the last record read, as JSON. */
  lastSize: number;
}

function countingKv(kv: AtomicKv): { kv: AtomicKv; reads: Reads } {
  const reads: Reads = { calls: 0, keys: 0, found: 0, lastSize: 0 };
  const counted = Object.create(kv) as AtomicKv;
  counted.get = async <T>(key: string, options?: ReadOptions) => {
    const value = await kv.get<T>(key, options);
    Object.assign(reads, {
      calls: reads.calls + 1,
      keys: reads.keys + 1,
      found: reads.found + (value === null ? 0 : 1),
      lastSize: JSON.stringify(value).length,
    });
    return value;
  };
  counted.getMany = async <T>(keys: string[], options?: ReadOptions) => {
    const values = await kv.getMany<T>(keys, options);
    Object.assign(reads, {
      calls: reads.calls + 1,
      keys: reads.keys + keys.length,
      found: reads.found + values.filter((value) => value !== null).length,
    });
    return values;
  };
  return { kv: counted, reads };
}

describe('looking up a sign-in name', () => {
  it('reads as much for a known email, a known username and an unknown name', async () => {
    const { kv, reads } = countingKv(createMemoryKv());
    const store = new KvStore(kv, new InProcessDirectory());
    cleanups.push(() => store.close());
    const account = makeAccount({ email: 'morgan.ash@example.com', username: 'morgan' });
    // The first account write also writes the stand-in record an unknown name reads.
    await store.createAccount(account);

    const lookup = async (identifier: string) => {
      Object.assign(reads, { calls: 0, keys: 0, found: 0, lastSize: 0 });
      const found = await store.findAccount(identifier);
      return { found: found?.id ?? null, reads: { ...reads } };
    };
    const byEmail = await lookup('morgan.ash@example.com');
    const byUsername = await lookup('morgan');
    const unknown = await lookup('morgan.ashe@example.com');

    expect([byEmail.found, byUsername.found, unknown.found]).toEqual([account.id, account.id, null]);
    // One call for both index entries, then one account-sized record, whatever was found.
    for (const { reads: counted } of [byEmail, byUsername, unknown]) {
      expect({ calls: counted.calls, keys: counted.keys }).toEqual({ calls: 2, keys: 3 });
    }
    expect(unknown.reads.found).toBe(1);
    const accountSize = JSON.stringify(account).length;
    expect(unknown.reads.lastSize).toBeGreaterThan(accountSize / 2);
    expect(unknown.reads.lastSize).toBeLessThan(accountSize * 2);
  });
});

describe('an index entry left behind by an interrupted write', () => {
  it('is passed over for the account that holds the name, or for none', async () => {
    const kv = createMemoryKv();
    const store = new KvStore(kv, new InProcessDirectory());
    cleanups.push(() => store.close());
    const moved = makeAccount({ email: 'new@example.com', username: null });
    const holder = makeAccount({ email: 'holder@example.com', username: 'morgan' });
    await store.createAccount(moved);
    await store.createAccount(holder);
    // Entries naming `moved` for values it no longer holds, as a crash between writes leaves them.
    await kv.set(keys.email('old@example.com'), { id: moved.id });
    await kv.set(keys.email('morgan'), { id: moved.id });

    expect(await store.findAccount('old@example.com')).toBeNull();
    expect((await store.findAccount('morgan'))?.id).toBe(holder.id);
    expect((await store.findAccount('new@example.com'))?.id).toBe(moved.id);
  });
});

describe('the fs backend, a missing record', () => {
  async function fsKv() {
    const dataDir = await mkdtemp(join(tmpdir(), 'equal-lookups-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const kv = createFsKv(dataDir);
    cleanups.push(() => kv.close());
    return { kv, dataDir };
  }

  it('read by a sign-in lookup reads a file as a present one does, and still answers null', async () => {
    const { kv } = await fsKv();
    await kv.set('index:email:present', { id: 'c-1' });
    fileReads.length = 0;
    expect(await kv.get('index:email:present', { equalWork: true })).toEqual({ id: 'c-1' });
    const present = fileReads.splice(0);
    expect(await kv.get('index:email:absent', { equalWork: true })).toBeNull();
    const missing = fileReads.splice(0);
    expect(await kv.get('window:absent')).toBeNull();
    const elsewhere = fileReads.splice(0);

    expect(present.filter((read) => read.found)).toHaveLength(1);
    expect(missing.filter((read) => read.found)).toHaveLength(1);
    // Other reads (rate windows, audit trails) pay nothing for it.
    expect(elsewhere.filter((read) => read.found)).toHaveLength(0);
  });

  it('keeps its stand-in out of the records, and writes it with the first record only', async () => {
    const { kv, dataDir } = await fsKv();
    await kv.get('index:email:absent', { equalWork: true });
    // Opening and reading a folder (an export, a demo refusing it) writes nothing.
    expect(await readdir(dataDir)).toEqual([]);
    await kv.set('index:email:present', { id: 'c-1' });
    expect(await readdir(dataDir)).toContain('.missing-record.json');
    expect(await kv.keys('')).toEqual(['index:email:present']);
  });

  it('still answers when the stand-in is damaged (a crash, a full disk)', async () => {
    const { kv, dataDir } = await fsKv();
    await kv.set('index:email:present', { id: 'c-1' });
    await writeFile(join(dataDir, '.missing-record.json'), '');
    expect(await kv.get('index:email:absent', { equalWork: true })).toBeNull();
    expect(await kv.getMany(['index:email:present', 'index:email:absent'], { equalWork: true })).toEqual([
      { id: 'c-1' },
      null,
    ]);
  });
});
