/**
 * The PostgreSQL schema as versioned migrations, applied in order, each once, by whichever
 * process gets there first (`npm run migrate`, or any server before its first operation).
 */
import type { Pool, PoolClient } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Never edit a migration that has shipped: add the next one. Every text column the store sorts or
 * ranges over is COLLATE "C" (by code point, as the other backends order, and whatever the
 * database's locale): key prefixes (`LIKE 'window:%'`), sort keys and words.
 */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'key-value table and directory index',
    sql: `
      CREATE EXTENSION IF NOT EXISTS pg_trgm;

      -- Every write of the key-value table takes a new version, never reused (even after a delete),
      -- so a compare-and-swap on it cannot mistake a recreated row for the one it read.
      CREATE SEQUENCE kv_version AS bigint;
      CREATE TABLE kv (
        key text COLLATE "C" PRIMARY KEY,
        value jsonb NOT NULL,
        version bigint NOT NULL,
        expires_at timestamptz NULL
      );

      -- One row per client and tenant: the order (sort key) and what a search matches (folded text,
      -- and the starts of its words, checked here when a short term comes with a longer one).
      CREATE TABLE directory (
        tenant_id text COLLATE "C" NOT NULL,
        account_id text COLLATE "C" NOT NULL,
        revision bigint NOT NULL,
        sort_key text COLLATE "C" NOT NULL,
        search_text text COLLATE "C" NOT NULL,
        word_starts text[] NOT NULL,
        PRIMARY KEY (tenant_id, account_id)
      );
      CREATE INDEX directory_by_name ON directory (tenant_id, sort_key);
      CREATE INDEX directory_by_trigram ON directory USING gin (search_text gin_trgm_ops);

      -- For short terms (the start of a word, one or two letters): the starts of each client's words,
      -- so a term is one equality and its clients come out in name order.
      CREATE TABLE directory_words (
        tenant_id text COLLATE "C" NOT NULL,
        account_id text COLLATE "C" NOT NULL,
        prefix text COLLATE "C" NOT NULL,
        sort_key text COLLATE "C" NOT NULL,
        PRIMARY KEY (tenant_id, account_id, prefix)
      );
      CREATE INDEX directory_words_by_prefix ON directory_words (tenant_id, prefix, sort_key);

      -- Which tenants list each client, as of which revision (an older record changes nothing), and
      -- what they hold of it (a write that changes none of it only moves the revision).
      CREATE TABLE directory_members (
        account_id text COLLATE "C" PRIMARY KEY,
        revision bigint NOT NULL,
        tenants text[] NOT NULL,
        sort_key text COLLATE "C" NOT NULL,
        search_text text COLLATE "C" NOT NULL
      );

      -- Account writes announced and not yet indexed: what the repair re-indexes.
      CREATE TABLE directory_marks (
        account_id text COLLATE "C" PRIMARY KEY,
        count integer NOT NULL
      );
    `,
  },
  {
    version: 2,
    name: 'word starts index, directory indexes without pending lists, prompt statistics',
    sql: `
      -- Several short terms ("i b") are looked up together here: a stream per term, read in name
      -- order, cost a scan of the tenant when their matches lie far along.
      CREATE INDEX directory_by_word_starts ON directory USING gin (word_starts) WITH (fastupdate = off);

      -- GIN's pending list (fastupdate) defers each insert to a list every search then reads whole,
      -- up to 4 MB after a bulk provisioning, and makes the planner shun the index meanwhile: the
      -- directory's inserts update the index at once instead.
      ALTER INDEX directory_by_trigram SET (fastupdate = off);
      SELECT gin_clean_pending_list('directory_by_trigram'::regclass);

      -- A tenant provisioned in bulk is planned from statistics; gather them after 2 % of changes
      -- (the default waits for 10 %), so its searches find their indexes within a minute.
      ALTER TABLE directory SET (autovacuum_analyze_scale_factor = 0.02);
      ALTER TABLE directory_words SET (autovacuum_analyze_scale_factor = 0.02);
    `,
  },
];

/** The advisory lock every migrating process takes: an arbitrary constant of this project's own. */
const MIGRATION_LOCK = '7163412376529806196';

export interface MigrationResult {
  /** What this call applied, in order; empty when the schema was up to date. */
  applied: Migration[];
  /** The schema's version now. */
  version: number;
}

const latest = (migrations: Migration[]) => Math.max(0, ...migrations.map((m) => m.version));

/** The highest version applied, 0 on a database never migrated. */
async function currentVersion(client: PoolClient): Promise<number> {
  const { rows } = await client.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  );
  if (!rows[0].present) return 0;
  const max = await client.query<{ version: number | null }>(
    'SELECT max(version) AS version FROM schema_migrations',
  );
  return max.rows[0].version ?? 0;
}

async function appliedVersions(client: PoolClient): Promise<Set<number>> {
  const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
  return new Set(rows.map((row) => row.version));
}

/**
 * Applies the migrations the database lacks, in order, each in its own transaction, under an
 * advisory lock, so processes starting together apply each exactly once (the others wait, then
 * find nothing to do). Safe to run on every start: an up-to-date schema costs one query and no
 * lock. Give it a pool without statement timeouts: a migration may build an index on a large table.
 */
export async function migrate(pool: Pool, migrations: Migration[] = MIGRATIONS): Promise<MigrationResult> {
  const client = await pool.connect();
  try {
    const current = await currentVersion(client);
    if (current >= latest(migrations)) return { applied: [], version: current };
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
      const done = await appliedVersions(client);
      const applied: Migration[] = [];
      for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
        if (done.has(migration.version)) continue;
        await client.query('BEGIN');
        try {
          await client.query(migration.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            migration.version,
            migration.name,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`Migration ${migration.version} (${migration.name}) failed: ${messageOf(error)}`, {
            cause: error,
          });
        }
        applied.push(migration);
      }
      return { applied, version: Math.max(0, ...done, ...applied.map((m) => m.version)) };
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    // Never back into the pool: the session may still hold the lock if the unlock failed.
    client.release(true);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
