/**
 * The few primitives the store needs from a backend. Plain reads and writes go through unstorage;
 * what unstorage cannot promise — atomic read-modify-write, set-if-absent, compare-and-delete — each
 * backend provides its own way (an in-process lock for memory and fs, SET NX and Lua compare-and-swap scripts for Redis).
 */
import { createHash } from 'node:crypto';

/** The storage backends the server ships. */
export type Backend = 'memory' | 'fs' | 'redis' | 'postgres';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * What an `update` callback returns: the new value (`null` deletes, `undefined` leaves it) and a
 * result. With `ttlMs`, the value written reads as absent once that long has passed, and the
 * backend removes it (Redis by itself, memory and fs through `sweepExpired`).
 */
export interface UpdateStep<T, R> {
  value?: T | null;
  result: R;
  ttlMs?: number;
}

/** How a read is made. */
export interface ReadOptions {
  /**
   * A missing record costs what a present one does (a sign-in lookup, whose time must not tell a
   * known name from an unknown one). Only backends where a miss answers sooner need to act on it.
   */
  equalWork?: boolean;
}

/**
 * Values are always JSON objects or arrays, never bare strings or numbers: the Redis backend reads
 * through unstorage's `destr`, which would turn a string id such as "123" into a number.
 */
export interface AtomicKv {
  readonly backend: Backend;
  get<T>(key: string, options?: ReadOptions): Promise<T | null>;
  getMany<T>(keys: string[], options?: ReadOptions): Promise<Array<T | null>>;
  set<T>(key: string, value: T): Promise<void>;
  /** Writes only when the key is absent; true when this call wrote it. */
  setIfAbsent<T>(key: string, value: T): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Deletes only when the stored value equals `expected` (compared as JSON); true when it did. */
  deleteIfEquals(key: string, expected: object): Promise<boolean>;
  /**
   * Atomic read-modify-write of one key. `fn` must be pure and synchronous: a backend may call it
   * again when another writer got there first. An exception thrown by `fn` aborts without writing.
   */
  update<T, R>(key: string, fn: (current: T | null) => UpdateStep<T, R>): Promise<R>;
  /** When the value of `key` expires (epoch ms); null when it never does or is absent. For export. */
  expiresAt(key: string): Promise<number | null>;
  /** Keys under a prefix (`a:b`), returned in full (expired ones may be listed until swept). */
  keys(prefix: string): Promise<string[]>;
  /**
   * Removes the values under `prefix` whose time to live has passed; returns how many. Backends
   * that expire keys themselves (Redis) have nothing to do.
   */
  sweepExpired(prefix: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * The longest segment kept readable. Any value the API accepts (a 320-character email, a long
 * Unicode username percent-encoded to nine bytes a character) must fit every backend's limits,
 * the tightest being a file name of 255 bytes on the fs backend.
 */
const MAX_READABLE_SEGMENT = 200;

/**
 * Makes one key segment safe for every backend (the fs backend maps `:` to folders):
 * letters, digits, `-`, `_`, `.` and `@` pass; anything else is percent-encoded. A segment that
 * would grow longer than 200 characters becomes `~` and the SHA-256 of the raw value (`~` is
 * always encoded otherwise, so the two forms never meet).
 */
export function keySegment(raw: string): string {
  const encoded = raw
    .replace(/[^A-Za-z0-9\-_.@]/g, (ch) =>
      Array.from(
        new TextEncoder().encode(ch),
        (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0'),
      ).join(''),
    )
    .replace(/^\.+/, (dots) => '%2E'.repeat(dots.length));
  if (encoded.length <= MAX_READABLE_SEGMENT) return encoded;
  return '~' + createHash('sha256').update(raw, 'utf8').digest('base64url');
}
