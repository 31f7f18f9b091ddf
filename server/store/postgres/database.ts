/** The connection pool the PostgreSQL backend shares between its key-value table and its directory, migrated before first use. */
import { createRequire } from 'node:module';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';

/** Required when first used, not imported: a server on another backend never loads the driver. */
export const pg = () => createRequire(import.meta.url)('pg') as { Pool: typeof Pool };
import { migrate } from './migrations.js';

export interface PgOptions {
  /** Connections kept at most (default 10). */
  max?: number;
  /** How long a call waits for a connection, new or from the pool, before failing (default 1000 ms). */
  connectTimeoutMs?: number;
  /** How long one statement may run (default 2000 ms): the server cancels it, the client gives up soon after. */
  statementTimeoutMs?: number;
}

/** An idle connection that dies (the server restarted) is dropped by the pool; nothing else to do. */
const ignore = (): void => undefined;

export class PgDatabase {
  readonly pool: Pool;
  private migrated: Promise<void> | null = null;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly options: PgOptions = {},
  ) {
    const statementTimeoutMs = options.statementTimeoutMs ?? 2000;
    this.pool = new (pg().Pool)({
      connectionString: url,
      max: options.max ?? 10,
      // While the database is away a call fails within this (a 503), and the next call after it
      // is back opens a fresh connection: service resumes without a restart.
      connectionTimeoutMillis: this.connectTimeoutMs,
      // The server cancels a statement that runs too long; the client stops waiting a little
      // later, for a server that accepted the connection but no longer answers.
      statement_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + 1000,
      keepAlive: true,
      idleTimeoutMillis: 30_000,
    });
    // Without a listener an idle connection's error would crash the process.
    this.pool.on('error', ignore);
  }

  private get connectTimeoutMs(): number {
    return this.options.connectTimeoutMs ?? 1000;
  }

  /**
   * Resolves once the schema is up to date: the first call migrates (on a pool of its own, without
   * statement timeouts, as a migration may build an index), later ones are free. A failure is not
   * kept: the next call tries again.
   */
  ready(): Promise<void> {
    this.migrated ??= this.migrateNow().catch((error: unknown) => {
      this.migrated = null;
      throw error;
    });
    return this.migrated;
  }

  private async migrateNow(): Promise<void> {
    const pool = new (pg().Pool)({
      connectionString: this.url,
      max: 1,
      connectionTimeoutMillis: this.connectTimeoutMs,
    });
    pool.on('error', ignore);
    try {
      await migrate(pool);
    } finally {
      await pool.end();
    }
  }

  async query<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<QueryResult<R>> {
    await this.ready();
    // The pool drops a connection whose query failed, so a timed-out one is never reused.
    return this.pool.query<R>(text, values);
  }

  /** Runs `work` in one transaction on one connection; any failure rolls it back and drops the connection. */
  async transaction<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    await this.ready();
    const client = await this.pool.connect();
    // Checked out, the pool no longer listens: a connection lost between two statements must not crash.
    client.on('error', ignore);
    let failed = false;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failed = true;
      await client.query('ROLLBACK').catch(ignore);
      throw error;
    } finally {
      if (!failed) client.off('error', ignore);
      client.release(failed);
    }
  }

  /** Ends the pool once (a second `end` would throw). */
  close(): Promise<void> {
    this.closing ??= this.pool.end();
    return this.closing;
  }
}
