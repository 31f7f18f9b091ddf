/** The store contract on a real PostgreSQL, and what only a shared database can get wrong (migrations, outages, scale). */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Pool } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.js';
import type { Account } from '../../../server/domain.js';
import { testStore } from '../../../server/store/conformance/index.js';
import { codeOf, raceTwoHandles, untilStoreAnswers } from '../../../server/store/conformance/helpers.js';
import { makeAccount, makeTenant, T0 } from '../../../server/store/conformance/records.js';
import { createStore } from '../../../server/store/create-store.js';
import { matchesTerms, parseQuery, searchTextOf, sortKeyOf } from '../../../server/store/directory-text.js';
import { KvStore } from '../../../server/store/kv-store.js';
import { PgDatabase } from '../../../server/store/postgres/database.js';
import {
  createPostgresStore,
  migrate,
  migrateDatabase,
  MIGRATIONS,
} from '../../../server/store/postgres/index.js';
import { PgDirectory } from '../../../server/store/postgres/pg-directory.js';
import {
  matchQuery,
  searchSteps,
  windowQuery,
  type Sql,
} from '../../../server/store/postgres/pg-directory-query.js';
import { encodeText } from '../../../server/store/postgres/pg-text.js';
import { PgKv } from '../../../server/store/postgres/pg-kv.js';
import type { DirectoryPage } from '../../../server/store/store.js';
import {
  createDatabase,
  interruptPostgres,
  queryPostgres,
  startPostgres,
  type PostgresHandle,
} from '../../helpers/postgres-server.js';
import { seedDirectly } from '../../helpers/postgres-seed.js';
import { freePort, startServerProcess } from '../../helpers/server-process.js';

let postgres: PostgresHandle | null = null;
beforeAll(async () => {
  postgres = await startPostgres();
}, 60_000);
afterAll(async () => {
  await postgres?.stop();
});

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

function track<T extends { close(): Promise<void> }>(closable: T): T {
  cleanups.push(() => closable.close());
  return closable;
}

let databases = 0;
/** A database of its own for each test: nothing one test writes is seen by another. */
async function freshDatabase(): Promise<{ name: string; url: string }> {
  const name = `test_${++databases}`;
  return { name, url: await createDatabase(postgres!, name) };
}

testStore('PostgreSQL', async () => {
  const { name, url } = await freshDatabase();
  return {
    open: () => createStore({ storage: 'postgres', databaseUrl: url }),
    counterRecords: async () =>
      Number(
        await queryPostgres(
          url,
          `SELECT count(*) FROM kv WHERE (key LIKE 'window:%' OR key LIKE 'attempts:%')
             AND (expires_at IS NULL OR expires_at > now())`,
        ),
      ),
    // The stores are closed by now: nothing holds the database open.
    dispose: async () => void (await queryPostgres(postgres!.url, `DROP DATABASE ${name} WITH (FORCE)`)),
  };
});

/** Runs `npm run migrate`'s script with only these variables; resolves with its exit code and output. */
function runMigrate(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/migrate.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('Store on PostgreSQL, migrations and configuration', () => {
  it('applies each migration exactly once when five stores start together on a fresh database', async () => {
    const { url } = await freshDatabase();
    const stores = Array.from({ length: 5 }, () => track(createPostgresStore(url)));
    expect(await Promise.all(stores.map((store) => store.getTenant('acme')))).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    const applied = await queryPostgres(url, 'SELECT version, name FROM schema_migrations ORDER BY version');
    expect(applied).toBe(MIGRATIONS.map((m) => `${m.version}|${m.name}`).join('\n'));

    // The same, without stores: between them the five calls applied each migration once.
    const other = await freshDatabase();
    const results = await Promise.all(Array.from({ length: 5 }, () => migrateDatabase(other.url)));
    expect(results.flatMap((result) => result.applied.map((m) => m.version))).toEqual(
      MIGRATIONS.map((m) => m.version),
    );
    expect(new Set(results.map((result) => result.version))).toEqual(new Set([MIGRATIONS.length]));
  });

  it('`npm run migrate` migrates, then has nothing to do; it fails with exit 1 and a clear message', async () => {
    const { url } = await freshDatabase();
    const first = await runMigrate({ STORAGE: 'postgres', DATABASE_URL: url });
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toMatch(
      /^Schema of 127\.0\.0\.1:\d+\/test_\d+ migrated to version 2: applied 1 \(.+\), 2 \(.+\)\.\n$/,
    );
    const again = await runMigrate({ STORAGE: 'postgres', DATABASE_URL: url });
    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toMatch(/is up to date \(version 2\): nothing to apply\.\n$/);
    expect(await queryPostgres(url, 'SELECT count(*) FROM schema_migrations')).toBe(
      String(MIGRATIONS.length),
    );

    const missing = await runMigrate({ STORAGE: 'postgres' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('STORAGE=postgres needs DATABASE_URL');
    const unreachable = await runMigrate({
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/x`,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toContain('The database could not be migrated');
  });

  it('STORAGE=postgres needs a postgres:// DATABASE_URL; another backend ignores DATABASE_URL', () => {
    expect(() => loadConfig({ STORAGE: 'postgres' })).toThrow(ConfigError);
    expect(() => loadConfig({ STORAGE: 'postgres' })).toThrow(/STORAGE=postgres needs DATABASE_URL/);
    expect(() => loadConfig({ STORAGE: 'postgres', DATABASE_URL: 'mysql://db/x' })).toThrow(
      /DATABASE_URL must be a postgres:\/\//,
    );
    const config = loadConfig({ STORAGE: 'postgres', DATABASE_URL: 'postgresql://u:p@db:5432/reset' });
    expect(config).toMatchObject({ storage: 'postgres', databaseUrl: 'postgresql://u:p@db:5432/reset' });
    expect(loadConfig({ STORAGE: 'memory', DATABASE_URL: 'mysql://db/x' }).storage).toBe('memory');
  });

  it('the server process starts on PostgreSQL and is ready', async () => {
    const { url } = await freshDatabase();
    const server = await startServerProcess({
      DEMO: '0',
      MAIL: 'outbox',
      STORAGE: 'postgres',
      DATABASE_URL: url,
    });
    cleanups.push(() => server.stop());
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, store: { ok: true, backend: 'postgres' } });
  }, 30_000);
});

describe('Store on PostgreSQL, what only a shared database can get wrong', () => {
  it('re-indexes a client whose write landed but whose directory update never did (a process that died)', async () => {
    const { url } = await freshDatabase();
    const db = new PgDatabase(url);
    const kv = new PgKv(db);
    const directory = new PgDirectory(db);
    const first = track(new KvStore(kv, directory));
    // Its own repair at start must be over: one that overlaps the writes below could take their marks.
    await first.countClients('acme');
    const account = await first.createAccount(
      makeAccount({ id: 'x-1', name: 'Before Crash', tenants: ['acme'] }),
    );
    // The process marks the write, writes the record, and dies before the directory hears of it.
    await directory.mark('x-1');
    await kv.set('account:x-1', { ...account, name: 'After Crash', revision: account.revision + 1 });
    expect((await first.searchClients('acme', { q: 'after', limit: 5 })).items).toEqual([]);

    const second = track(createPostgresStore(url));
    const found = await second.searchClients('acme', { q: 'after', limit: 5 });
    expect(found.items.map((item) => item.id)).toEqual(['x-1']);
    expect((await second.searchClients('acme', { q: 'before', limit: 5 })).items).toEqual([]);
    expect(await queryPostgres(url, 'SELECT count(*) FROM directory_marks')).toBe('0');
  });

  it('stays exactly-once across two store instances (two server processes)', async () => {
    const { url } = await freshDatabase();
    const one = track(createPostgresStore(url));
    const two = track(createPostgresStore(url));
    const race = await raceTwoHandles(one, two);
    expect(race.seenByTwo).toEqual(race.account);
    expect(race.consumes).toEqual({ ok: 1, link_used: 49 });
    expect(race.allowed).toBe(5);
    expect(race.increments).toEqual({ ok: 40 });
    expect(race.history).toBe(40);
  });

  it('expired rows read as absent, are taken over by setIfAbsent and update, and swept; keys take a prefix literally', async () => {
    const { url } = await freshDatabase();
    const kv = track(new PgKv(new PgDatabase(url)));
    const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    await kv.update('window:a', () => ({ value: { n: 1 }, ttlMs: 50, result: undefined }));
    await kv.update('window:b', () => ({ value: { n: 1 }, ttlMs: 50, result: undefined }));
    await kv.update('window:kept', () => ({ value: { n: 1 }, ttlMs: 60_000, result: undefined }));
    expect(await kv.get('window:a')).toEqual({ n: 1 });
    await tick(120);
    expect(await kv.getMany(['window:a', 'window:kept'])).toEqual([null, { n: 1 }]);
    expect(await kv.keys('window')).toEqual(['window:kept']);
    // An expired value counts as absent, and is written over.
    expect(await kv.setIfAbsent('window:a', { n: 2 })).toBe(true);
    expect(await kv.setIfAbsent('window:a', { n: 3 })).toBe(false);
    expect(
      await kv.update<{ n: number }, number | null>('window:b', (current) => ({
        value: { n: 9 },
        result: current?.n ?? null,
      })),
    ).toBeNull();
    expect(await kv.getMany(['window:a', 'window:b'])).toEqual([{ n: 2 }, { n: 9 }]);
    await kv.update('window:c', () => ({ value: { n: 1 }, ttlMs: 1, result: undefined }));
    await tick(20);
    expect(await kv.sweepExpired('window')).toBe(1);
    expect(await queryPostgres(url, "SELECT count(*) FROM kv WHERE key LIKE 'window:%'")).toBe('3');

    // LIKE's wildcards in a prefix are plain characters.
    await kv.set('a_b:1', { x: 1 });
    await kv.set('axb:1', { x: 2 });
    await kv.set('a%:1', { x: 3 });
    expect(await kv.keys('a_b')).toEqual(['a_b:1']);
    expect(await kv.keys('a%')).toEqual(['a%:1']);
  });

  it('keeps U+0000 and U+0001 (which PostgreSQL text refuses) in values, ids and names', async () => {
    const { url } = await freshDatabase();
    const db = new PgDatabase(url);
    const kv = track(new PgKv(db));
    const odd = { text: 'a\u0000b\u0001c\\u0000', ['k\u0000']: ['\u0001'] };
    await kv.set('odd:1', odd);
    expect(await kv.get('odd:1')).toEqual(odd);
    expect(await kv.deleteIfEquals('odd:1', { ...odd, text: 'other' })).toBe(false);
    expect(await kv.deleteIfEquals('odd:1', odd)).toBe(true);

    const store = track(createPostgresStore(url));
    await store.createAccount(makeAccount({ id: 'id\u0000two', name: 'Ann \u0001 B', tenants: ['acme'] }));
    await store.createAccount(makeAccount({ id: 'id\u0000one', name: 'Ann', tenants: ['acme'] }));
    const page = await store.searchClients('acme', { q: 'ann', limit: 5 });
    // "ann" sorts before "ann \u0001 b", as by code point on every backend.
    expect(page.items.map((item) => item.id)).toEqual(['id\u0000one', 'id\u0000two']);
  });

  it('fails fast with storage_unavailable while PostgreSQL is down and recovers without a restart', async () => {
    // A server of its own, so stopping it does not disturb the other tests.
    const own = await startPostgres();
    cleanups.push(() => own.stop());
    const store = track(createPostgresStore(own.url));
    await store.putTenant(makeTenant());
    expect(await store.getTenant('acme')).toMatchObject({ id: 'acme' });

    const outage = await interruptPostgres(own);
    for (const call of [
      () => store.getTenant('acme'),
      () => store.takeFromWindow('w', { limit: 1, windowMs: 1000, now: T0 }),
      () => store.createAccount(makeAccount()),
      () => store.searchClients('acme', { q: 'x', limit: 5 }),
    ]) {
      const started = Date.now();
      expect(await codeOf(call())).toBe('storage_unavailable');
      expect(Date.now() - started).toBeLessThan(2500);
    }

    await outage.start();
    await untilStoreAnswers(() => store.putTenant(makeTenant({ name: 'Back' })));
    expect(await store.getTenant('acme')).toMatchObject({ name: 'Back' });
    expect((await store.createAccount(makeAccount({ id: 'after', tenants: ['acme'] }))).id).toBe('after');
    expect(await store.countClients('acme')).toBe(1);
  }, 30_000);
});

describe('Store on PostgreSQL, a directory of 20,000 clients in one tenant', () => {
  let store: KvStore;
  let everyone: Account[];
  let url: string;
  beforeAll(async () => {
    ({ url } = await freshDatabase());
    store = createPostgresStore(url);
    const seeded = await seedDirectly(url, 'acme', 20_000);
    // Through the store as well: what `put` writes and what the seed wrote are searched alike.
    const viaStore = await store.createAccount(
      makeAccount({ id: 'via-store', name: 'Ana Viastore Quimby', email: null, tenants: ['acme'] }),
    );
    everyone = [...seeded, viaStore];
  }, 60_000);
  afterAll(() => store?.close());

  /** The ids `q` finds, in order, by the directory's own rules. */
  const expected = (q: string) =>
    everyone
      .filter((account) => matchesTerms(searchTextOf(account), parseQuery(q)))
      .map((account) => [sortKeyOf(account), account.id])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, id]) => id);

  /** The plan PostgreSQL picks for one of the directory's queries, with statistics as autovacuum keeps them. */
  async function planOf(sql: Sql): Promise<string> {
    const pool = new Pool({ connectionString: url, max: 1 });
    try {
      await pool.query('ANALYZE');
      const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql.text}`, sql.values);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    } finally {
      await pool.end();
    }
  }

  it('finds 3-letter terms as the rules say; listings, short terms and rare terms each read their index, not the tenant (with statistics)', async () => {
    expect(await store.countClients('acme')).toBe(20_001);
    expect(await store.countClients('acme', 'viastore')).toBe(1);
    for (const q of ['ana', 'mar', 'lee', 'kim', 'ber', 'ois', 'hug', 'dan', 'ace', 'xyz', 'ell']) {
      const page = await store.searchClients('acme', { q, limit: 50 });
      expect(
        page.items.map((item) => item.id),
        q,
      ).toEqual(expected(q).slice(0, 50));
    }
    // Speed itself is measured by bench/directory.ts; here, that no query reads the whole tenant.
    const middle = encodeText(sortKeyOf(everyone[10_000]));
    const plans = {
      listing: await planOf(matchQuery('acme', parseQuery(''), null, 50)),
      shortTerm: await planOf(matchQuery('acme', parseQuery('k'), null, 50)),
      rareTerm: await planOf(matchQuery('acme', parseQuery('viastore'), middle, 50, 'sparse')),
      rareShortTerms: await planOf(
        matchQuery('acme', parseQuery('vi qu'), middle, 50, searchSteps(parseQuery('vi qu'))),
      ),
    };
    expect(plans.listing).toContain('directory_by_name');
    expect(plans.shortTerm).toContain('directory_words_by_prefix');
    expect(plans.rareTerm).toContain('directory_by_trigram');
    expect(plans.rareShortTerms).toContain('directory_by_word_starts');
    for (const plan of Object.values(plans)) expect(plan).not.toMatch(/Seq Scan/);
  });

  it('pages through every match and counts them, wherever in the order they lie and whichever index leads', async () => {
    // Late in the order (past the first window), short terms only, short and long together,
    // spread out, and a term the trigram index cannot help with.
    for (const q of ['kai', 'lea berg', 'jonas m', 'i m', 'k', 'ana vi', 'nt19', '1@e']) {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const page: DirectoryPage = await store.searchClients('acme', { q, limit: 300, cursor });
        ids.push(...page.items.map((item) => item.id));
        cursor = page.next;
      } while (cursor);
      const wanted = expected(q);
      expect(wanted.length, q).toBeGreaterThan(0);
      expect(ids, q).toEqual(wanted);
      expect(await store.countClients('acme', q), q).toBe(wanted.length);
    }
  }, 60_000);
});

describe('Store on PostgreSQL, a tenant provisioned a moment ago (before any ANALYZE)', () => {
  it('reads listings, short terms and the first window of a search in index order, not the whole tenant sorted', async () => {
    const { url } = await freshDatabase();
    await migrateDatabase(url);
    // As in the minute after a bulk load, before autovacuum gathers statistics.
    await queryPostgres(
      url,
      'ALTER TABLE directory SET (autovacuum_enabled = off); ALTER TABLE directory_words SET (autovacuum_enabled = off)',
    );
    const seeded = await seedDirectly(url, 'acme', 10_000, { analyze: false });
    const store = createPostgresStore(url);
    cleanups.push(() => store.close());
    const pool = new Pool({ connectionString: url, max: 1 });
    cleanups.push(() => pool.end());
    /** The plan with the settings the store runs the query with. */
    const planOf = async (sql: Sql) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (const setting of sql.settings ?? []) await client.query(setting);
        const { rows } = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql.text}`, sql.values);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      } finally {
        await client.query('ROLLBACK');
        client.release();
      }
    };
    const terms = parseQuery('i l');
    const window = await planOf(windowQuery('acme', terms, null, 51));
    expect(window).toContain('Index Scan using directory_by_name');
    const listing = await planOf(matchQuery('acme', parseQuery(''), encodeText('b'), 51));
    expect(listing).toContain('Index Only Scan using directory_by_name');
    const shortTerm = await planOf(matchQuery('acme', parseQuery('le'), null, 51));
    expect(shortTerm).toContain('Index Only Scan using directory_words_by_prefix');
    // The window's own matches (at most 1,000 rows) are sorted; nothing else is.
    expect(window).not.toMatch(/Bitmap|Seq Scan/);
    for (const plan of [listing, shortTerm]) expect(plan).not.toMatch(/Bitmap|Seq Scan|Sort/);

    const wanted = seeded
      .filter((account) => matchesTerms(searchTextOf(account), terms))
      .map((account) => [sortKeyOf(account), account.id])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, id]) => id);
    const page = await store.searchClients('acme', { q: 'i l', limit: 50 });
    expect(page.items.map((item) => item.id)).toEqual(wanted.slice(0, 50));
  }, 60_000);

  it('a database of the first schema version is brought up to the second, and its clients are found as before', async () => {
    const { url } = await freshDatabase();
    const pool = new Pool({ connectionString: url, max: 1 });
    cleanups.push(() => pool.end());
    await migrate(pool, MIGRATIONS.slice(0, 1));
    const seeded = await seedDirectly(url, 'acme', 300, { migrate: false });
    expect(await queryPostgres(url, "SELECT to_regclass('directory_by_word_starts') IS NULL")).toBe('t');
    const store = createPostgresStore(url);
    cleanups.push(() => store.close());
    const wanted = seeded.filter((account) => matchesTerms(searchTextOf(account), parseQuery('i l')));
    expect(wanted.length).toBeGreaterThan(0);
    expect(await store.countClients('acme', 'i l')).toBe(wanted.length);
    expect(await queryPostgres(url, 'SELECT max(version) FROM schema_migrations')).toBe('2');
    expect(await queryPostgres(url, "SELECT to_regclass('directory_by_word_starts') IS NOT NULL")).toBe('t');
  });
});
