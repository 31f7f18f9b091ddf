/**
 * `npm run export -- <file>` and `npm run import -- <file>`: move a deployment's data from one
 * store to another (fs or Redis to PostgreSQL, say) without members noticing. Both read the store
 * from the environment, as `npm run serve` does: export with the old configuration, import with
 * the new one. Stop the servers first: an export read while members write misses their writes.
 *
 * An export holds password hashes and the signing keys: it is written with owner-only permissions,
 * never over an existing file, and never to a terminal. Neither command prints a value it moves.
 */
import { createWriteStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { runCommand } from '../command.js';
import { ConfigError, loadConfig } from '../config.js';
import { isAppError } from '../errors.js';
import { createStore } from '../store/create-store.js';
import type { Store } from '../store/store.js';
import { exportStore } from './export-store.js';
import { importStore } from './import-store.js';

const USAGE = `Usage:
  npm run export -- <file>     write every record of the configured store to a new file (- for stdout)
  npm run import -- <file>     read an export into the configured store (- for stdin)
The store is configured as for npm run serve: STORAGE, DATA_DIR, REDIS_URL, DATABASE_URL.`;

class UsageError extends Error {}

function openStore(): Store {
  const config = loadConfig(process.env);
  if (config.storage === 'memory') {
    throw new UsageError(
      'STORAGE=memory lives inside one server process and ends with it: there is nothing to export or import into.',
    );
  }
  return createStore(config);
}

/**
 * Resolves once the stream took the line or, when its buffer is full, has drained; rejects once
 * the stream failed (a full disk), whenever that happened, so the export stops instead of waiting
 * for a drain that never comes.
 */
function writer(stream: Writable): (line: string) => Promise<void> {
  // Kept attached: an error between two writes is read from `errored`, never left unhandled.
  stream.on('error', () => undefined);
  return async (line) => {
    if (stream.errored) throw stream.errored;
    // `once` rejects when the stream emits 'error' while it waits.
    if (!stream.write(line)) await once(stream, 'drain');
    if (stream.errored) throw stream.errored;
  };
}

async function openExportFile(target: string): Promise<Writable> {
  if (target === '-') {
    if (process.stdout.isTTY) {
      throw new UsageError(
        'An export holds password hashes and signing keys: write it to a file (npm run export -- <file>), not to a terminal.',
      );
    }
    return process.stdout;
  }
  // `wx`: never over an existing file; 0600: only its owner reads it.
  const file = createWriteStream(target, { flags: 'wx', mode: 0o600 });
  // Rejects with the error (the file exists, the folder is missing) instead of opening.
  await once(file, 'open');
  return file;
}

async function runExport(target: string): Promise<number> {
  const store = openStore();
  try {
    const out = await openExportFile(target);
    try {
      const counts = await exportStore(store, writer(out), {
        onProgress: (so) => process.stderr.write(`  ${so.accounts} accounts, ${so.records} records…\n`),
      });
      if (out === process.stdout) {
        if (out.writableLength > 0) await once(out, 'drain');
      } else {
        out.end();
        // Rejects when the last bytes could not be written.
        await finished(out);
      }
      process.stderr.write(
        `Exported ${counts.accounts} accounts and ${counts.records} other records from ${store.backend}` +
          `${target === '-' ? '' : ` to ${target}`}.\n`,
      );
      return 0;
    } catch (error) {
      // A part of an export is no export: leave nothing behind that could be mistaken for one.
      if (out !== process.stdout) {
        out.destroy();
        await rm(target, { force: true });
      }
      throw error;
    }
  } finally {
    await store.close();
  }
}

async function runImport(source: string): Promise<number> {
  // Opened first, so a wrong name is said before the store is touched.
  const input = source === '-' ? process.stdin : (await open(source, 'r')).createReadStream();
  const store = openStore();
  try {
    const summary = await importStore(store, createInterface({ input, crlfDelay: Infinity }), {
      onProgress: (done) => process.stderr.write(`  ${done} records…\n`),
    });
    process.stderr.write(
      `Imported an export of ${summary.header.from} (${summary.header.exportedAt}) into ${store.backend}: ` +
        `${summary.added} added, ${summary.replaced} replaced, ${summary.expired} expired counters skipped.\n`,
    );
    if (summary.conflicts.length === 0) return 0;
    process.stderr.write(
      `${summary.conflicts.length} accounts were not imported: another account here holds their email or username.\n` +
        summary.conflicts.map((c) => `  ${c.id} (${c.code})\n`).join('') +
        'Change or remove the accounts holding them, then import again (what is already in is kept).\n',
    );
    return 1;
  } finally {
    await store.close();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, file, ...rest] = argv;
  if (!file || rest.length > 0 || (command !== 'export' && command !== 'import')) {
    throw new UsageError(USAGE);
  }
  return command === 'export' ? runExport(file) : runImport(file);
}

function explain(error: unknown): string {
  if (isAppError(error) && error.code === 'storage_unavailable' && error.cause instanceof Error) {
    // The operator at the console needs the backend's own words (a refused login, a missing
    // permission); they name hosts and roles, never a stored value.
    return `${error.message} The store said: ${error.cause.message}`;
  }
  if (error instanceof UsageError || error instanceof ConfigError || isAppError(error)) return error.message;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'EEXIST') return 'That file exists: an export never overwrites one. Name a new file.';
  if (code === 'ENOENT') return 'No such file.';
  if (code === 'EACCES') return 'Permission denied.';
  return `Failed: ${error instanceof Error ? error.message : String(error)}`;
}

runCommand(() => main(process.argv.slice(2)), explain);
