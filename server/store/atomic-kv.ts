/**
 * The few primitives the store needs from a backend. Plain reads and writes go through unstorage;
 * what unstorage cannot promise — atomic read-modify-write, set-if-absent, compare-and-delete — each
 * backend provides its own way (an in-process lock for memory and fs, SET NX and Lua compare-and-swap scripts for Redis).
 */
import type { Storage } from 'unstorage';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** What an `update` callback returns: the new value (`null` deletes, `undefined` leaves it) and a result. */
export interface UpdateStep<T, R> {
  value?: T | null;
  result: R;
}

/**
 * Values are always JSON objects or arrays, never bare strings or numbers: unstorage parses stored
 * text with `destr`, which would turn a string id such as "123" into a number.
 */
export interface AtomicKv {
  readonly backend: 'memory' | 'fs' | 'redis';
  /** The unstorage instance behind it, for plain reads and writes. */
  readonly storage: Storage;
  get<T>(key: string): Promise<T | null>;
  getMany<T>(keys: string[]): Promise<Array<T | null>>;
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
  /** Keys under a prefix (`a:b`), returned in full. */
  keys(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * Makes one key segment safe for every backend (the fs backend maps `:` to folders):
 * letters, digits, `-`, `_`, `.` and `@` pass; anything else is percent-encoded.
 */
export function keySegment(raw: string): string {
  return raw
    .replace(/[^A-Za-z0-9\-_.@]/g, (ch) =>
      Array.from(
        new TextEncoder().encode(ch),
        (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0'),
      ).join(''),
    )
    .replace(/^\.+/, (dots) => '%2E'.repeat(dots.length));
}
