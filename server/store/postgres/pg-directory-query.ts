/**
 * The SQL of directory searches and counts on PostgreSQL, and which index leads each: a page must
 * cost about the same wherever in the order its matches lie (all the Hugos of 100,000 clients sit
 * together in the middle, and a scan in name order would read half the tenant to reach them).
 */
import { SUBSTRING_MIN, wordsOf, type SearchTerms } from '../directory-text.js';
import { escapeLike } from './pg-kv.js';
import { encodeText } from './pg-text.js';

/** Clients read in name order before a search that checks rows tries an index instead. */
export const WINDOW = 1000;

export interface Sql {
  text: string;
  values: unknown[];
  /** `SET LOCAL` statements to run before it, in the same transaction. */
  settings?: string[];
}

/**
 * For a read in name order that stops at a page's end: from the name-order index, whatever the
 * planner believes. Without statistics (a tenant provisioned a minute ago, before autovacuum's
 * first ANALYZE) it would read every matching row through a bitmap and sort them all instead.
 */
const IN_INDEX_ORDER = ['SET LOCAL enable_bitmapscan = off'];

/** Numbered parameters, as they are added. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * The starts of a text's words that a short term can be (one letter, two letters): a short term
 * matches a client when one of its words starts so, so it is looked up by equality, and the
 * clients of one start come out of the index in name order.
 */
export function wordStartsOf(text: string): string[] {
  const starts = new Set<string>();
  for (const word of wordsOf(text)) {
    const chars = [...word];
    for (let n = 1; n < SUBSTRING_MIN && n <= chars.length; n++) starts.add(chars.slice(0, n).join(''));
  }
  return [...starts];
}

/** The short terms that narrow a search: a repeated one, or one another extends ("a" beside "an"), adds nothing. */
function neededPrefixes(prefixes: string[]): string[] {
  const unique = [...new Set(prefixes)];
  return unique.filter((prefix) => !unique.some((other) => other !== prefix && other.startsWith(prefix)));
}

/**
 * Whether a search reads one short term's stream of word starts, in name order, where every row
 * is a match. Any other search reads the clients' rows and checks each (`LIKE` for longer terms,
 * the word starts for short ones), through a window in name order and then an index.
 */
export function readsWordStream(terms: SearchTerms): boolean {
  return terms.substrings.length === 0 && neededPrefixes(terms.prefixes).length === 1;
}

/** The table a search reads under `alias`, the run of its name-order index, and the checks on each row. */
interface Source {
  table: 'directory' | 'directory_words';
  alias: string;
  range: string[];
  filter: string[];
}

function sourceOf(p: Params, tenantId: string, terms: SearchTerms, after: string | null): Source {
  const range = (alias: string, extra: string[] = []) => [
    `${alias}.tenant_id = ${p.add(encodeText(tenantId))}`,
    ...extra,
    ...(after === null ? [] : [`${alias}.sort_key > ${p.add(encodeText(after))}`]),
  ];
  const prefixes = neededPrefixes(terms.prefixes);
  if (readsWordStream(terms)) {
    return {
      table: 'directory_words',
      alias: 'w',
      range: range('w', [`w.prefix = ${p.add(prefixes[0])}`]),
      filter: [],
    };
  }
  const filter = terms.substrings.map(
    (term) => `d.search_text LIKE ${p.add(`%${escapeLike(encodeText(term))}%`)}`,
  );
  if (prefixes.length > 0) filter.push(`d.word_starts @> ${p.add(prefixes)}::text[]`);
  return { table: 'directory', alias: 'd', range: range('d'), filter };
}

const whereClause = (conditions: string[]) =>
  conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';

/**
 * The matching clients' sort keys, at most `limit`: in name order from the indexes (`ordered`: an
 * empty query, one short term, or a second step no other index can help), or found first and put
 * in order after (`sparse`, see `searchSteps`); `limit` null counts them instead.
 */
export function matchQuery(
  tenantId: string,
  terms: SearchTerms,
  after: string | null,
  limit: number | null,
  order: 'ordered' | 'sparse' = 'ordered',
): Sql {
  const p = new Params();
  const { table, alias, range, filter } = sourceOf(p, tenantId, terms, after);
  const body = `FROM ${table} ${alias} ${whereClause([...range, ...filter])}`;
  if (limit === null) return { text: `SELECT count(*)::int AS n ${body}`, values: p.values };
  // Sorting by an expression keeps the planner off the name-order indexes (see `searchSteps`).
  const by = order === 'ordered' ? `${alias}.sort_key` : `${alias}.sort_key || ''`;
  return {
    text: `SELECT ${alias}.sort_key ${body} ORDER BY ${by} LIMIT ${p.add(limit)}`,
    values: p.values,
    ...(order === 'ordered' ? { settings: IN_INDEX_ORDER } : {}),
  };
}

/**
 * First step of a search that checks rows: the next `WINDOW` rows in name order, those of them
 * that match, how many were read and the last one read.
 */
export function windowQuery(tenantId: string, terms: SearchTerms, after: string | null, limit: number): Sql {
  const p = new Params();
  const { range, filter } = sourceOf(p, tenantId, terms, after);
  return {
    text: `WITH win AS (
        SELECT * FROM directory d WHERE ${range.join(' AND ')} ORDER BY d.sort_key LIMIT ${WINDOW}
      )
      SELECT (SELECT count(*) FROM win)::int AS scanned, (SELECT max(sort_key) FROM win) AS last,
        ARRAY(SELECT d.sort_key FROM win d ${whereClause(filter)} ORDER BY d.sort_key LIMIT ${p.add(limit)}) AS hits`,
    values: p.values,
    settings: IN_INDEX_ORDER,
  };
}

/**
 * How a search that checks rows goes on past its window. Read in name order, a term whose
 * matches all lie far along (the Hugos of 100,000 clients, together in the middle) would cost a
 * scan of half the tenant, and the planner cannot know that: past a window that did not fill the
 * page, the matches are found by an index (trigrams for longer terms, word starts for several
 * short ones) and put in order after. A term without three letters or digits in a row gives the
 * trigram index nothing: name order then, unless short terms can lead.
 */
export function searchSteps(terms: SearchTerms): 'ordered' | 'sparse' {
  const trigrams = terms.substrings.some((term) => /[\p{L}\p{N}]{3}/u.test(term));
  return trigrams || neededPrefixes(terms.prefixes).length > 0 ? 'sparse' : 'ordered';
}
