/** The PostgreSQL AtomicKv: one table of JSON values, written by compare-and-swap on a version that is never reused. */
import { AppError } from '../../errors.js';
import type { AtomicKv, UpdateStep } from '../atomic-kv.js';
import type { PgDatabase } from './database.js';
import { fromJsonText, toJsonText } from './pg-text.js';

/** Lost compare-and-swap races before giving up; each round someone else wrote, so this is generous. */
const MAX_UPDATE_ATTEMPTS = 500;

/** A row whose time to live has passed reads as absent (the sweep removes it later). */
const LIVE = '(expires_at IS NULL OR expires_at > now())';

/** The expiry of a write `$n` milliseconds from now, or NULL (no time to live) when `$n` is NULL. */
const expiry = (n: number) => `now() + $${n}::float8 * interval '1 millisecond'`;

/** Rows an expiry sweep deletes per statement, so no statement outlasts the timeout on a large table. */
const SWEEP_BATCH = 1000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** `LIKE` matches `%`, `_` and `\` literally once escaped (backslash is the default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** The LIKE pattern of every key under `prefix` (`prefix:…`), or of every key for ''. */
function underPrefix(prefix: string): string {
  return prefix === '' ? '%' : `${escapeLike(prefix)}:%`;
}

interface VersionedRow {
  value: string;
  version: string;
  live: boolean;
}

export class PgKv implements AtomicKv {
  readonly backend = 'postgres';

  constructor(private readonly db: PgDatabase) {}

  async get<T>(key: string): Promise<T | null> {
    const { rows } = await this.db.query<{ value: string }>(
      `SELECT value::text AS value FROM kv WHERE key = $1 AND ${LIVE}`,
      [key],
    );
    return rows.length > 0 ? fromJsonText<T>(rows[0].value) : null;
  }

  async getMany<T>(keys: string[]): Promise<Array<T | null>> {
    if (keys.length === 0) return [];
    const { rows } = await this.db.query<{ key: string; value: string }>(
      `SELECT key, value::text AS value FROM kv WHERE key = ANY($1::text[]) AND ${LIVE}`,
      [keys],
    );
    const byKey = new Map(rows.map((row) => [row.key, row.value]));
    return keys.map((key) => {
      const text = byKey.get(key);
      return text === undefined ? null : fromJsonText<T>(text);
    });
  }

  async set<T>(key: string, value: T): Promise<void> {
    await this.db.query(
      `INSERT INTO kv (key, value, version, expires_at) VALUES ($1, $2::jsonb, nextval('kv_version'), NULL)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version, expires_at = NULL`,
      [key, toJsonText(value)],
    );
  }

  async setIfAbsent<T>(key: string, value: T): Promise<boolean> {
    // A row whose time to live has passed is absent: it is taken over in the same statement.
    const { rowCount } = await this.db.query(
      `INSERT INTO kv (key, value, version, expires_at) VALUES ($1, $2::jsonb, nextval('kv_version'), NULL)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version, expires_at = NULL
       WHERE kv.expires_at IS NOT NULL AND kv.expires_at <= now()`,
      [key, toJsonText(value)],
    );
    return rowCount === 1;
  }

  async delete(key: string): Promise<void> {
    await this.db.query('DELETE FROM kv WHERE key = $1', [key]);
  }

  async deleteIfEquals(key: string, expected: object): Promise<boolean> {
    // jsonb equality: the same values, whatever the order of an object's fields.
    const { rowCount } = await this.db.query(
      `DELETE FROM kv WHERE key = $1 AND value = $2::jsonb AND ${LIVE}`,
      [key, toJsonText(expected)],
    );
    return rowCount === 1;
  }

  async update<T, R>(key: string, fn: (current: T | null) => UpdateStep<T, R>): Promise<R> {
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      const { rows } = await this.db.query<VersionedRow>(
        `SELECT value::text AS value, version::text AS version, ${LIVE} AS live FROM kv WHERE key = $1`,
        [key],
      );
      const row = rows.length > 0 ? rows[0] : null;
      const step = fn(row?.live ? fromJsonText<T>(row.value) : null);
      // Nothing to write: the result describes the value as read, a consistent snapshot.
      if (step.value === undefined) return step.result;
      if (step.value === null && !row?.live) return step.result;
      if (await this.compareAndSet(key, row?.version ?? null, step)) return step.result;
      // Another writer got there first: back off a little (random, so racers spread out) and redo.
      await sleep(Math.random() * Math.min(20, 1 + attempt));
    }
    throw new AppError('conflict');
  }

  /**
   * Writes the step's value only if the row is still at `version` (`null`: still absent); an
   * expired row is overwritten by its version like any other. True when it wrote.
   */
  private async compareAndSet<T, R>(
    key: string,
    version: string | null,
    step: UpdateStep<T, R>,
  ): Promise<boolean> {
    if (step.value === null) {
      const { rowCount } = await this.db.query('DELETE FROM kv WHERE key = $1 AND version = $2', [
        key,
        version,
      ]);
      return rowCount === 1;
    }
    const ttlMs = step.ttlMs === undefined ? null : Math.max(1, Math.ceil(step.ttlMs));
    const values = [key, toJsonText(step.value), ttlMs];
    if (version === null) {
      const { rowCount } = await this.db.query(
        `INSERT INTO kv (key, value, version, expires_at)
         VALUES ($1, $2::jsonb, nextval('kv_version'), ${expiry(3)})
         ON CONFLICT (key) DO NOTHING`,
        values,
      );
      return rowCount === 1;
    }
    const { rowCount } = await this.db.query(
      `UPDATE kv SET value = $2::jsonb, version = nextval('kv_version'), expires_at = ${expiry(3)}
       WHERE key = $1 AND version = $4`,
      [...values, version],
    );
    return rowCount === 1;
  }

  async expiresAt(key: string): Promise<number | null> {
    const { rows } = await this.db.query<{ at: number | null }>(
      `SELECT extract(epoch FROM expires_at)::float8 * 1000 AS at FROM kv WHERE key = $1 AND ${LIVE}`,
      [key],
    );
    return rows.length > 0 && rows[0].at !== null ? Math.round(rows[0].at) : null;
  }

  async keys(prefix: string): Promise<string[]> {
    const { rows } = await this.db.query<{ key: string }>(
      `SELECT key FROM kv WHERE key LIKE $1 AND ${LIVE} ORDER BY key`,
      [underPrefix(prefix)],
    );
    return rows.map((row) => row.key);
  }

  async sweepExpired(prefix: string): Promise<number> {
    let removed = 0;
    for (;;) {
      // The outer condition is checked again on a row another writer renewed meanwhile: it stays.
      const { rowCount } = await this.db.query(
        `DELETE FROM kv WHERE key IN (
           SELECT key FROM kv WHERE key LIKE $1 AND expires_at <= now() LIMIT ${SWEEP_BATCH}
         ) AND expires_at <= now()`,
        [underPrefix(prefix)],
      );
      removed += rowCount ?? 0;
      if ((rowCount ?? 0) < SWEEP_BATCH) return removed;
    }
  }

  close(): Promise<void> {
    return this.db.close();
  }
}

export function createPgKv(db: PgDatabase): PgKv {
  return new PgKv(db);
}
