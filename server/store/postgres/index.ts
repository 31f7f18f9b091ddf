/** The PostgreSQL backend: the one store over a key-value table and a directory in the same database, migrated on first use. */
import { KvStore } from '../kv-store.js';
import { PgDatabase, pg, type PgOptions } from './database.js';
import { migrate, type MigrationResult } from './migrations.js';
import { PgDirectory } from './pg-directory.js';
import { PgKv } from './pg-kv.js';

export type PostgresStoreOptions = PgOptions;
export { MIGRATIONS, migrate, type Migration, type MigrationResult } from './migrations.js';

/**
 * A store on the database at `url` (`postgres://user:password@host:5432/database`). Several
 * processes may share it. The schema is brought up to date before its first operation.
 */
export function createPostgresStore(url: string, options: PostgresStoreOptions = {}): KvStore {
  const db = new PgDatabase(url, options);
  return new KvStore(new PgKv(db), new PgDirectory(db));
}

/** Migrates the database at `url` on a connection of its own (`npm run migrate`). */
export async function migrateDatabase(url: string): Promise<MigrationResult> {
  const pool = new (pg().Pool)({ connectionString: url, max: 1, connectionTimeoutMillis: 5000 });
  pool.on('error', () => undefined);
  try {
    return await migrate(pool);
  } finally {
    await pool.end();
  }
}
