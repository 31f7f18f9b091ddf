/**
 * The SQL of directory searches and counts on PostgreSQL, and which index leads each: a page must
 * cost about the same wherever in the order its matches lie (all the Hugos of 100,000 clients sit
 * together in the middle, and a scan in name order would read half the tenant to reach them).
 */
import { SUBSTRING_MIN, wordsOf, type SearchTerms } from '../directory-text.js';
import { escapeLike } from './pg-kv.js';
import { encodeText } from './pg-text.js';

/** Clients read in name order before a search for longer terms tries its trigram index instead. */
export const WINDOW = 1000;

export interface Sql {
  text: string;
  values: unknown[];
  /** `SET LOCAL` statements to run before it, in the same transaction. */
  settings?: string[];
}

/**
 * Short terms join streams of word starts, each read from its index in name order; merging them
 * stops at the page's end. Without statistics (a tenant provisioned a minute ago, before
 * autovacuum's first ANALYZE) the planner guesses a few rows and picks a nested loop that reads
 * one stream once per row of the other: 330 ms instead of 1 ms at 10k clients.
 */
const MERGE_STREAMS = ['SET LOCAL enable_nestloop = off'];

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

/** The short terms worth a join: a repeated one, or one another extends ("a" beside "an"), adds nothing. */
function neededPrefixes(prefixes: string[]): string[] {
  const unique = [...new Set(prefixes)];
  return unique.filter((prefix) => !unique.some((other) => other !== prefix && other.startsWith(prefix)));
}

/** `LIKE` conditions on `alias.search_text`, one per longer term. */
function likes(p: Params, alias: string, substrings: string[]): string[] {
  return substrings.map((term) => `${alias}.search_text LIKE ${p.add(`%${escapeLike(encodeText(term))}%`)}`);
}

/**
 * A table a search reads, under `alias`: `range` picks a run of its index in name order (tenant,
 * word start, past the cursor), `filter` checks each row of it (longer terms).
 */
interface Source {
  table: 'directory' | 'directory_words';
  alias: string;
  range: string[];
  filter: string[];
}

/**
 * What a search reads. Short terms only: one stream of word starts per term, each out of its index
 * in name order, joined on the sort key (the planner may lead with the rarest and merge). With a
 * longer term: the clients' rows, each checked for every term (the word starts it holds for the
 * short ones), so no term's stream, however common ("c" of every ".com"), is read whole.
 */
function sourcesOf(p: Params, tenantId: string, terms: SearchTerms, after: string | null): Source[] {
  const tenant = p.add(encodeText(tenantId));
  const from = after === null ? null : p.add(encodeText(after));
  const range = (alias: string, extra: string[] = []) => [
    `${alias}.tenant_id = ${tenant}`,
    ...extra,
    ...(from === null ? [] : [`${alias}.sort_key > ${from}`]),
  ];
  const prefixes = neededPrefixes(terms.prefixes);
  if (terms.substrings.length === 0 && prefixes.length > 0) {
    return prefixes.map((prefix, i) => ({
      table: 'directory_words',
      alias: `w${i}`,
      range: range(`w${i}`, [`w${i}.prefix = ${p.add(prefix)}`]),
      filter: [],
    }));
  }
  const filter = likes(p, 'd', terms.substrings);
  if (prefixes.length > 0) filter.push(`d.word_starts @> ${p.add(prefixes)}::text[]`);
  return [{ table: 'directory', alias: 'd', range: range('d'), filter }];
}

/** `FROM` the first source (as `lead`: the table itself, or a window of it), joined with the others. */
function fromClause(lead: string, [first, ...rest]: Source[]): string {
  const joins = rest.map(
    (source) =>
      `JOIN ${source.table} ${source.alias} ON ${[
        `${source.alias}.sort_key = ${first.alias}.sort_key`,
        ...source.range,
        ...source.filter,
      ].join(' AND ')}`,
  );
  return `FROM ${lead} ${first.alias} ${joins.join(' ')}`;
}

const whereClause = (conditions: string[]) =>
  conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';

/**
 * The matching clients' sort keys, at most `limit`: in name order from the indexes (`ordered`: an
 * empty query, short terms only, or a second step the trigram index cannot help), or found
 * first and put in order after (`sparse`, see `searchSteps`); `limit` null counts them instead.
 */
export function matchQuery(
  tenantId: string,
  terms: SearchTerms,
  after: string | null,
  limit: number | null,
  order: 'ordered' | 'sparse' = 'ordered',
): Sql {
  const p = new Params();
  const sources = sourcesOf(p, tenantId, terms, after);
  const [first] = sources;
  const body = `${fromClause(first.table, sources)} ${whereClause([...first.range, ...first.filter])}`;
  const settings = sources.length > 1 ? { settings: MERGE_STREAMS } : {};
  if (limit === null) return { text: `SELECT count(*)::int AS n ${body}`, values: p.values, ...settings };
  // Sorting by an expression keeps the planner off the name-order indexes (see `searchSteps`).
  const by = order === 'ordered' ? `${first.alias}.sort_key` : `${first.alias}.sort_key || ''`;
  return {
    text: `SELECT ${first.alias}.sort_key ${body} ORDER BY ${by} LIMIT ${p.add(limit)}`,
    values: p.values,
    ...settings,
  };
}

/**
 * First step of a search with longer terms: the next `WINDOW` rows of the first source in name
 * order, those of them that match, how many were read and the last one read.
 */
export function windowQuery(tenantId: string, terms: SearchTerms, after: string | null, limit: number): Sql {
  const p = new Params();
  const sources = sourcesOf(p, tenantId, terms, after);
  const [first] = sources;
  const a = first.alias;
  return {
    text: `WITH win AS (
        SELECT * FROM ${first.table} ${a} WHERE ${first.range.join(' AND ')} ORDER BY ${a}.sort_key LIMIT ${WINDOW}
      )
      SELECT (SELECT count(*) FROM win)::int AS scanned, (SELECT max(sort_key) FROM win) AS last,
        ARRAY(SELECT ${a}.sort_key ${fromClause('win', sources)} ${whereClause(first.filter)}
              ORDER BY ${a}.sort_key LIMIT ${p.add(limit)}) AS hits`,
    values: p.values,
  };
}

/**
 * How a search with longer terms goes on past its window. Read in name order, a term whose
 * matches all lie far along (the Hugos of 100,000 clients, together in the middle) would cost a
 * scan of half the tenant, and the planner cannot know that: past a window that did not fill the
 * page, the matches are found by the trigram index and put in order after. A term without three
 * letters or digits in a row gives that index nothing: name order then.
 */
export function searchSteps(terms: SearchTerms): 'ordered' | 'sparse' {
  return terms.substrings.some((term) => /[\p{L}\p{N}]{3}/u.test(term)) ? 'sparse' : 'ordered';
}
