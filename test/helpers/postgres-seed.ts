/** Fills a PostgreSQL store's tables with many clients at once, for tests of the directory at scale. */
import { Pool } from 'pg';
import type { Account } from '../../server/domain.js';
import { keySegment } from '../../server/store/atomic-kv.js';
import { makeAccount } from '../../server/store/conformance/records.js';
import { searchTextOf, sortKeyOf } from '../../server/store/directory-text.js';
import { migrateDatabase } from '../../server/store/postgres/index.js';
import { wordStartsOf } from '../../server/store/postgres/pg-directory-query.js';
import { encodeText } from '../../server/store/postgres/pg-text.js';
import { FIRST_NAMES as FIRST, LAST_NAMES as LAST } from './people.js';

/**
 * Writes `count` clients straight into the tables, rows computed as `PgDirectory.put` computes
 * them (a put each would take a quarter of a minute): the records, the directory, the words.
 */
export async function seedDirectly(
  url: string,
  tenantId: string,
  count: number,
  /**
   * `analyze: false` leaves the tables without statistics, as in the minute after a bulk load;
   * `migrate: false` fills a schema migrated by the caller (an older version, say).
   */
  options: { analyze?: boolean; migrate?: boolean } = {},
): Promise<Account[]> {
  if (options.migrate !== false) await migrateDatabase(url);
  const pool = new Pool({ connectionString: url, max: 1 });
  const all: Account[] = [];
  try {
    for (let start = 0; start < count; start += 5000) {
      const accounts: Account[] = Array.from({ length: Math.min(5000, count - start) }, (_, i) => {
        const n = start + i;
        return makeAccount({
          id: `c-${n}`,
          name: `${FIRST[n % FIRST.length]} ${LAST[Math.floor(n / FIRST.length) % LAST.length]}`,
          email: `client${n}@example.com`,
          username: null,
          tenants: [tenantId],
        });
      });
      all.push(...accounts);
      const ids = accounts.map((account) => account.id);
      // Encoded as `put` stores them: PostgreSQL text cannot hold the sort key's U+0000.
      const sortKeys = accounts.map((account) => encodeText(sortKeyOf(account)));
      const words = accounts.flatMap((account, i) =>
        wordStartsOf(searchTextOf(account)).map((start) => [ids[i], start, sortKeys[i]]),
      );
      await pool.query(
        `INSERT INTO kv (key, value, version) SELECT k, v::jsonb, nextval('kv_version')
         FROM unnest($1::text[], $2::text[]) AS x(k, v)`,
        [ids.map((id) => `account:${keySegment(id)}`), accounts.map((account) => JSON.stringify(account))],
      );
      const texts = accounts.map((account) => searchTextOf(account));
      await pool.query(
        `INSERT INTO directory (tenant_id, account_id, revision, sort_key, search_text, word_starts)
         SELECT $1, id, 0, sk, st, string_to_array(ws, ' ')
         FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS x(id, sk, st, ws)`,
        // Word starts are letters and digits: a space joins them.
        [tenantId, ids, sortKeys, texts, texts.map((text) => wordStartsOf(text).join(' '))],
      );
      await pool.query(
        `INSERT INTO directory_words (tenant_id, account_id, prefix, sort_key)
         SELECT $1, id, w, sk FROM unnest($2::text[], $3::text[], $4::text[]) AS x(id, w, sk)`,
        [tenantId, ...[0, 1, 2].map((column) => words.map((row) => row[column]))],
      );
      await pool.query(
        `INSERT INTO directory_members (account_id, revision, tenants, sort_key, search_text)
         SELECT id, 0, ARRAY[$1::text], sk, st FROM unnest($2::text[], $3::text[], $4::text[]) AS x(id, sk, st)`,
        [tenantId, ids, sortKeys, texts],
      );
    }
    if (options.analyze !== false) await pool.query('ANALYZE');
  } finally {
    await pool.end();
  }
  return all;
}
