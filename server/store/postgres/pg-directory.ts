/**
 * The directory index of the PostgreSQL backend, in tables beside the key-value one so every
 * server process shares it: a row per client and tenant (sort key, folded text under a trigram
 * index for longer terms), the starts of its words for short ones, each client's tenants and
 * revision, and the marks of writes not yet indexed. Folding, words and sort keys come from
 * `directory-text.ts`, never from SQL, so every backend finds and orders alike; which index
 * leads a search is `pg-directory-query.ts`.
 */
import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { Account } from '../../domain.js';
import type { DirectoryHits, DirectoryIndex } from '../directory-index.js';
import { searchTextOf, sortKeyOf, type SearchTerms } from '../directory-text.js';
import type { PgDatabase } from './database.js';
import {
  matchQuery,
  readsWordStream,
  searchSteps,
  windowQuery,
  wordStartsOf,
  WINDOW,
  type Sql,
} from './pg-directory-query.js';
import { decodeText, encodeText } from './pg-text.js';

/**
 * The first key of the advisory locks that make one client's index changes take turns (the second
 * is a hash of its id; a collision only makes two clients wait for each other). The two-key form
 * never meets the migrations' one-key lock.
 */
const DIRECTORY_LOCK = 1_684_632_165;

/** What the index holds of a client, encoded for its columns. */
interface Entry {
  revision: number;
  tenants: string[];
  sortKey: string;
  text: string;
  starts: string[];
}

/** A `directory_members` row: the client's entry as last indexed. */
interface Member {
  revision: string;
  tenants: string[];
  sort_key: string;
  search_text: string;
}

function entryOf(account: Account): Entry {
  const text = searchTextOf(account);
  return {
    revision: account.revision,
    tenants: [...new Set(account.tenants.map(encodeText))],
    sortKey: encodeText(sortKeyOf(account)),
    text: encodeText(text),
    starts: wordStartsOf(text),
  };
}

/** Whether the index would hold the same rows for `next` as it does now (the revision aside). */
function sameEntry(known: Member, next: Entry): boolean {
  return (
    known.sort_key === next.sortKey &&
    known.search_text === next.text &&
    known.tenants.length === next.tenants.length &&
    known.tenants.every((tenant, i) => tenant === next.tenants[i])
  );
}

export class PgDirectory implements DirectoryIndex {
  constructor(private readonly db: PgDatabase) {}

  async mark(id: string): Promise<void> {
    // Counted, not flagged: parallel writes of one client each clear only their own mark.
    await this.db.query(
      `INSERT INTO directory_marks (account_id, count) VALUES ($1, 1)
       ON CONFLICT (account_id) DO UPDATE SET count = directory_marks.count + 1`,
      [encodeText(id)],
    );
  }

  async put(id: string, account: Account | null): Promise<void> {
    await this.apply(id, account, 1);
  }

  async repair(load: (id: string) => Promise<Account | null>): Promise<void> {
    const { rows } = await this.db.query<{ account_id: string; count: number }>(
      'SELECT account_id, count FROM directory_marks ORDER BY account_id',
    );
    for (const row of rows) {
      const id = decodeText(row.account_id);
      // Only the marks seen here are taken off: a write marked since then waits for its own put.
      await this.apply(id, await load(id), row.count);
    }
  }

  /**
   * In one transaction, with the client's lock held: brings every tenant it was or is in up to
   * this record (an older record than the one indexed changes nothing), then takes `unmark` off
   * its mark.
   */
  private async apply(id: string, account: Account | null, unmark: number): Promise<void> {
    const accountId = encodeText(id);
    const next = account ? entryOf(account) : null;
    await this.db.transaction(async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [DIRECTORY_LOCK, accountId]);
      const { rows } = await client.query<Member>(
        `SELECT revision::text AS revision, tenants, sort_key, search_text
         FROM directory_members WHERE account_id = $1`,
        [accountId],
      );
      const known = rows.length > 0 ? rows[0] : null;
      if (known && next && Number(known.revision) > next.revision) {
        // An older record than the one indexed: nothing to change.
      } else if (known && next && sameEntry(known, next)) {
        // Most writes change nothing a search sees (a password, a link): only the revision moves.
        await client.query(
          `WITH member AS (UPDATE directory_members SET revision = $2 WHERE account_id = $1)
           UPDATE directory SET revision = $2 WHERE tenant_id = ANY($3::text[]) AND account_id = $1`,
          [accountId, next.revision, next.tenants],
        );
      } else {
        await this.replace(client, accountId, known?.tenants ?? [], next);
      }
      // Takes `unmark` off the mark, gone at zero; marks only grow meanwhile (puts hold the lock).
      await client.query(
        `WITH gone AS (DELETE FROM directory_marks WHERE account_id = $1 AND count <= $2 RETURNING 1)
         UPDATE directory_marks SET count = count - $2
         WHERE account_id = $1 AND NOT EXISTS (SELECT 1 FROM gone)`,
        [accountId, unmark],
      );
    });
  }

  /** Replaces the client's rows in each tenant it was in (`before`, encoded) with `next` (none: forgets it). */
  private async replace(
    client: PoolClient,
    accountId: string,
    before: string[],
    next: Entry | null,
  ): Promise<void> {
    if (before.length > 0) {
      // Two tables in one statement: a data-modifying WITH runs on the same snapshot.
      await client.query(
        `WITH words AS (DELETE FROM directory_words WHERE tenant_id = ANY($1::text[]) AND account_id = $2)
         DELETE FROM directory WHERE tenant_id = ANY($1::text[]) AND account_id = $2`,
        [before, accountId],
      );
    }
    if (!next) {
      await client.query('DELETE FROM directory_members WHERE account_id = $1', [accountId]);
      return;
    }
    await client.query(
      `WITH listed AS (
         INSERT INTO directory (tenant_id, account_id, revision, sort_key, search_text, word_starts)
         SELECT t, $2::text, $3::bigint, $4::text, $5::text, $6::text[] FROM unnest($1::text[]) AS t
       ), words AS (
         INSERT INTO directory_words (tenant_id, account_id, prefix, sort_key)
         SELECT t, $2::text, w, $4::text FROM unnest($1::text[]) AS t CROSS JOIN unnest($6::text[]) AS w
       )
       INSERT INTO directory_members (account_id, revision, tenants, sort_key, search_text)
       VALUES ($2, $3, $1::text[], $4, $5)
       ON CONFLICT (account_id) DO UPDATE SET revision = excluded.revision, tenants = excluded.tenants,
         sort_key = excluded.sort_key, search_text = excluded.search_text`,
      [next.tenants, accountId, next.revision, next.sortKey, next.text, next.starts],
    );
  }

  async search(
    tenantId: string,
    terms: SearchTerms,
    after: string | null,
    limit: number,
  ): Promise<DirectoryHits> {
    // One more than asked tells whether another page follows.
    const wanted = limit + 1;
    const keys = readsWordStream(terms)
      ? await this.sortKeys(matchQuery(tenantId, terms, after, wanted))
      : await this.searchRows(tenantId, terms, after, wanted);
    return { keys: keys.slice(0, limit), more: keys.length > limit };
  }

  /** Checking rows: a window in name order, then (for rarer terms) past it, see `searchSteps`. */
  private async searchRows(
    tenantId: string,
    terms: SearchTerms,
    after: string | null,
    wanted: number,
  ): Promise<string[]> {
    const window = windowQuery(tenantId, terms, after, wanted);
    const { rows } = await this.run<{ scanned: number; last: string | null; hits: string[] }>(window);
    const { scanned, last, hits } = rows[0];
    const found = hits.map(decodeText);
    // A full page, or the end of the tenant: nothing past the window to look for.
    if (found.length >= wanted || scanned < WINDOW || last === null) return found;
    const rest = await this.sortKeys(
      matchQuery(tenantId, terms, decodeText(last), wanted - found.length, searchSteps(terms)),
    );
    return [...found, ...rest];
  }

  private async sortKeys(sql: Sql): Promise<string[]> {
    const { rows } = await this.run<{ sort_key: string }>(sql);
    return rows.map((row) => decodeText(row.sort_key));
  }

  async count(tenantId: string, terms: SearchTerms): Promise<number> {
    const { rows } = await this.run<{ n: number }>(matchQuery(tenantId, terms, null, null));
    return rows[0].n;
  }

  /** One query, in a transaction of its own when it comes with settings. */
  private run<R extends QueryResultRow>(sql: Sql): Promise<QueryResult<R>> {
    const { settings } = sql;
    if (!settings?.length) return this.db.query<R>(sql.text, sql.values);
    return this.db.transaction(async (client) => {
      for (const setting of settings) await client.query(setting);
      return client.query<R>(sql.text, sql.values);
    });
  }
}
