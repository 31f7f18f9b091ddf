/**
 * What staff search the directory by, the same on every backend: a client's name, email and
 * username, with accents and case ignored. A term of three characters or more matches anywhere
 * (as staff type part of a name or an address); a shorter one matches the start of a word (so
 * "al" finds Alice and Al Smith, not every name with an "al" inside). Every term must match.
 */
import type { Account } from '../domain.js';

/** Accents and case dropped, compatibility forms unified (ﬁ → fi, full-width → plain), spaces collapsed. */
export function foldForSearch(value: string): string {
  return (
    value
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      // Control characters (U+0000 separates a sort key's name from its id) count as spaces.
      .replace(/\p{Cc}+/gu, ' ')
      .toLowerCase()
      .replace(/\s+/gu, ' ')
      .trim()
  );
}

/** The folded text a client is found by: name, email, username, one space apart. */
export function searchTextOf(account: Pick<Account, 'name' | 'email' | 'username'>): string {
  return [account.name, account.email, account.username]
    .filter((field): field is string => Boolean(field))
    .map(foldForSearch)
    .join(' ');
}

/** The words a short term may start: runs of letters and digits. */
export function wordsOf(text: string): string[] {
  return [...new Set(text.match(/[\p{L}\p{N}]+/gu) ?? [])];
}

/** Every run of three characters within a space-separated token, for substring search. */
export function trigramsOf(text: string): string[] {
  const found = new Set<string>();
  for (const token of text.split(' ')) {
    const chars = [...token];
    for (let i = 0; i + 3 <= chars.length; i++) found.add(chars.slice(i, i + 3).join(''));
  }
  return [...found];
}

/** Terms shorter than this match the start of a word; longer ones match anywhere. */
export const SUBSTRING_MIN = 3;

export interface SearchTerms {
  /** Matched anywhere in the text. */
  substrings: string[];
  /** Matched at the start of a word. */
  prefixes: string[];
}

/** What staff typed, as terms; none lists everyone. */
export function parseQuery(q: string | undefined): SearchTerms {
  const terms = foldForSearch(q ?? '')
    .split(' ')
    .filter(Boolean);
  const substrings = terms.filter((term) => [...term].length >= SUBSTRING_MIN);
  // A short term is matched by its letters and digits ("o'" finds O'Brien by "o").
  const prefixes = terms
    .filter((term) => [...term].length < SUBSTRING_MIN)
    .map((term) => (term.match(/[\p{L}\p{N}]+/gu) ?? []).join(''))
    .filter(Boolean);
  return { substrings, prefixes };
}

export function isEmptyQuery(terms: SearchTerms): boolean {
  return terms.substrings.length === 0 && terms.prefixes.length === 0;
}

/** Whether a client with this folded text matches every term. */
export function matchesTerms(text: string, terms: SearchTerms): boolean {
  if (!terms.substrings.every((term) => text.includes(term))) return false;
  if (terms.prefixes.length === 0) return true;
  const words = wordsOf(text);
  return terms.prefixes.every((prefix) => words.some((word) => word.startsWith(prefix)));
}

/**
 * The order of the directory: by folded name, then id, as one string that sorts by code point
 * (the separator sorts before any character a name can hold).
 */
export function sortKeyOf(account: Pick<Account, 'id' | 'name'>): string {
  return `${foldForSearch(account.name)}\u0000${account.id}`;
}

/** The id at the end of a sort key. */
export function idOfSortKey(key: string): string {
  return key.slice(key.indexOf('\u0000') + 1);
}
