/** File backend for ONE server process: a JSON file per key, replaced atomically; the lock is in-process. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { createStorage, defineDriver } from 'unstorage';
import type { AtomicKv, ReadOptions } from './atomic-kv.js';
import { LockedKv } from './memory-kv.js';

const RECORD_SUFFIX = '.json';
const TEMP_SUFFIX = '.tmp';
/** A temp file this old can only be a leftover of a crash: no write takes a minute. */
const STALE_TEMP_MS = 60_000;

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/**
 * `a:b:c` → `['a', 'b', 'c']`. Refuses segments that could leave the folder (`..`) or that would
 * be mistaken for a temp file (a leading dot); `keySegment` never produces either.
 */
function segmentsOf(key: string): string[] {
  const segments = key.split(':').filter(Boolean);
  for (const segment of segments) {
    if (segment.startsWith('.') || /[/\\\0]/.test(segment)) {
      throw new Error(`[fs-kv] Invalid key segment ${JSON.stringify(segment)} in ${JSON.stringify(key)}`);
    }
  }
  if (segments.length === 0) throw new Error(`[fs-kv] Empty key`);
  return segments;
}

/** Creates `temp` in `dir`, making the folder only when it is missing (a write usually finds it). */
async function openNew(dir: string, temp: string) {
  try {
    return await open(temp, 'wx', 0o600);
  } catch (error) {
    if (!isMissing(error)) throw error;
    await mkdir(dir, { recursive: true });
    return open(temp, 'wx', 0o600);
  }
}

/** Writes `text` so that readers (and a crash at any point) see either the old file or the new one. */
async function writeAtomically(dir: string, name: string, text: string): Promise<void> {
  // Unique per write; the record name is left out so it does not eat into the 255-byte name limit.
  const temp = join(dir, `.${process.pid}.${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`);
  const handle = await openNew(dir, temp);
  try {
    await handle.writeFile(text, 'utf8');
    // Without the fsync a power loss after the rename can leave an empty or partial file.
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, join(dir, name));
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  // The rename is only durable once the folder is synced: without it a power loss could bring
  // back the previous record, e.g. a used reset link as active again.
  const folder = await open(dir, 'r');
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}

/** Every record file under `dir`, as keys starting with `prefix`; temp files and dot-entries are skipped. */
async function listKeys(dir: string, prefix: string[]): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const keys: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) {
      keys.push(...(await listKeys(join(dir, entry.name), [...prefix, entry.name])));
    } else if (entry.isFile() && entry.name.endsWith(RECORD_SUFFIX)) {
      keys.push([...prefix, entry.name.slice(0, -RECORD_SUFFIX.length)].join(':'));
    }
  }
  return keys;
}

/** Removes temp files left by a crashed process; recent ones may belong to a write in progress. */
async function sweepTempFiles(dir: string, now: number): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.')) {
      await sweepTempFiles(path, now);
    } else if (entry.isFile() && entry.name.startsWith('.') && entry.name.endsWith(TEMP_SUFFIX)) {
      try {
        if (now - (await stat(path)).mtimeMs > STALE_TEMP_MS) await unlink(path);
      } catch {
        // Gone already, or not ours to remove: it is ignored by reads either way.
      }
    }
  }
}

/**
 * What a sign-in lookup's read of a missing record reads instead (`ReadOptions.equalWork`).
 * Without it a miss (one failed open) answers a quarter of a millisecond sooner than a hit (open,
 * stat, read, close, parse), which would tell a name that exists from one that does not by time.
 * The size of a typical record; a dot-file, so listings and exports skip it. Written with the
 * folder's first record, not before: opening a folder (an export, a demo refusing a production
 * folder) writes nothing.
 */
const STAND_IN_NAME = '.missing-record.json';
const STAND_IN_TEXT = JSON.stringify({ standIn: true, text: '.'.repeat(1024) });

/** The unstorage driver: key `a:b:c` ↔ file `<dataDir>/a/b/c.json`. */
export const fsJsonDriver = defineDriver((options: { dataDir: string }) => {
  const root = options.dataDir;
  const fileOf = (key: string) => {
    const segments = segmentsOf(key);
    const name = segments.pop() + RECORD_SUFFIX;
    return { dir: join(root, ...segments), name };
  };
  const sweeping = sweepTempFiles(root, Date.now()).catch(() => undefined);
  const standIn = join(root, STAND_IN_NAME);
  let standInWritten: Promise<void> | null = null;
  /** Once a process, with its first record; a failure is tried again with the next one. */
  const writeStandIn = () =>
    (standInWritten ??= stat(standIn).then(
      () => undefined,
      () =>
        writeAtomically(root, STAND_IN_NAME, STAND_IN_TEXT).catch(() => {
          standInWritten = null;
        }),
    ));
  // Whatever the file holds (nothing yet, or damaged), the read answers: it only spends the time.
  const readStandIn = () =>
    readFile(standIn, 'utf8').then(
      (text) => {
        try {
          JSON.parse(text);
        } catch {
          // A damaged stand-in is read all the same.
        }
      },
      () => undefined,
    );

  return {
    name: 'fs-json',
    options,
    async hasItem(key: string) {
      const { dir, name } = fileOf(key);
      try {
        return (await stat(join(dir, name))).isFile();
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    async getItem(key: string, options?: ReadOptions) {
      const { dir, name } = fileOf(key);
      try {
        return await readFile(join(dir, name), 'utf8');
      } catch (error) {
        if (!isMissing(error)) throw error;
        if (options?.equalWork) await readStandIn();
        return null;
      }
    },
    async setItem(key: string, value: string) {
      const { dir, name } = fileOf(key);
      await writeAtomically(dir, name, value);
      await writeStandIn();
    },
    async removeItem(key: string) {
      const { dir, name } = fileOf(key);
      try {
        await unlink(join(dir, name));
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    },
    async getKeys(base: string) {
      // unstorage passes a segment-aligned base (`a:b:`) and filters the result by it again.
      const prefix = base ? segmentsOf(base) : [];
      return listKeys(join(root, ...prefix), prefix);
    },
    async dispose() {
      // Nothing to release; only let the start-up sweep and the stand-in's write finish, so the
      // folder can be removed.
      await Promise.all([sweeping, standInWritten]);
    },
  };
});

/**
 * Single-process only: atomic read-modify-write comes from `LockedKv`'s in-process per-key lock,
 * so two processes sharing one folder could lose each other's writes (use Redis for that). Each
 * record write is atomic and durable on its own: a reader or a crash sees the old or the new file.
 */
export function createFsKv(dataDir: string): AtomicKv {
  return new LockedKv('fs', createStorage({ driver: fsJsonDriver({ dataDir }) }));
}
