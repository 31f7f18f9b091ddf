/**
 * The directory index of the memory and fs backends, kept in this process: per tenant, the names
 * in order, the words (for short terms) and the trigrams (for longer ones). One process owns
 * these backends' data, so the index sees every write; the fs backend rebuilds it from the account
 * records when it opens, so a crash never leaves it behind the data.
 */
import type { Account } from '../domain.js';
import type { DirectoryHits, DirectoryIndex } from './directory-index.js';
import {
  isEmptyQuery,
  matchesTerms,
  searchTextOf,
  sortKeyOf,
  trigramsOf,
  wordsOf,
  type SearchTerms,
} from './directory-text.js';
import { lowerBound, SortedList } from './sorted-list.js';

interface Entry {
  revision: number;
  tenants: string[];
  sortKey: string;
  text: string;
}

class TenantIndex {
  readonly names = new SortedList();
  /** `word \0 sortKey`, so a prefix range yields the clients whose word starts so. */
  readonly words = new SortedList();
  readonly trigrams = new Map<string, Set<string>>();
  readonly texts = new Map<string, string>();

  add(entry: Entry): void {
    this.names.add(entry.sortKey);
    this.texts.set(entry.sortKey, entry.text);
    for (const word of wordsOf(entry.text)) this.words.add(`${word}\u0000${entry.sortKey}`);
    for (const trigram of trigramsOf(entry.text)) {
      let keys = this.trigrams.get(trigram);
      if (!keys) this.trigrams.set(trigram, (keys = new Set()));
      keys.add(entry.sortKey);
    }
  }

  remove(entry: Entry): void {
    this.names.delete(entry.sortKey);
    this.texts.delete(entry.sortKey);
    for (const word of wordsOf(entry.text)) this.words.delete(`${word}\u0000${entry.sortKey}`);
    for (const trigram of trigramsOf(entry.text)) {
      const keys = this.trigrams.get(trigram);
      keys?.delete(entry.sortKey);
      if (keys?.size === 0) this.trigrams.delete(trigram);
    }
  }

  /**
   * The clients that may match, from the most selective term: a substring term's rarest trigram
   * (its other trigrams and terms are checked on each), else a short term's words.
   */
  private candidates(terms: SearchTerms): Iterable<string> {
    let best: Set<string> | null = null;
    for (const term of terms.substrings) {
      for (const trigram of trigramsOf(term)) {
        const keys = this.trigrams.get(trigram) ?? new Set<string>();
        if (!best || keys.size < best.size) best = keys;
      }
    }
    if (best) return best;
    const prefix = terms.prefixes[0];
    return [...this.words.withPrefix(prefix)].map((entry) => entry.slice(entry.indexOf('\u0000') + 1));
  }

  /**
   * The first `limit` matching keys after `after`, in order, and whether more match: one pass that
   * keeps the smallest `limit + 1`, so a term shared by thousands of clients is neither sorted
   * whole nor checked whole (most candidates lose a single comparison).
   */
  firstMatching(terms: SearchTerms, after: string | null, limit: number): DirectoryHits {
    const best: string[] = [];
    for (const key of this.candidates(terms)) {
      if (after !== null && key <= after) continue;
      if (best.length > limit && key >= best[limit]) continue;
      const at = lowerBound(best, key);
      if (best[at] === key || !matchesTerms(this.texts.get(key) ?? '', terms)) continue;
      best.splice(at, 0, key);
      if (best.length > limit + 1) best.pop();
    }
    return { keys: best.slice(0, limit), more: best.length > limit };
  }

  matching(terms: SearchTerms): string[] {
    const found = new Set<string>();
    for (const key of this.candidates(terms)) {
      if (matchesTerms(this.texts.get(key) ?? '', terms)) found.add(key);
    }
    return [...found].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }
}

export class InProcessDirectory implements DirectoryIndex {
  private readonly entries = new Map<string, Entry>();
  private readonly tenants = new Map<string, TenantIndex>();

  private tenant(id: string): TenantIndex {
    let index = this.tenants.get(id);
    if (!index) this.tenants.set(id, (index = new TenantIndex()));
    return index;
  }

  async put(id: string, account: Account | null): Promise<void> {
    this.putNow(id, account);
  }

  /** The same, at once (the fs backend's rebuild at start). */
  putNow(id: string, account: Account | null): void {
    const old = this.entries.get(id);
    if (old && account && account.revision < old.revision) return;
    if (old) for (const tenantId of old.tenants) this.tenant(tenantId).remove(old);
    if (!account) {
      this.entries.delete(id);
      return;
    }
    const entry: Entry = {
      revision: account.revision,
      tenants: account.tenants,
      sortKey: sortKeyOf(account),
      text: searchTextOf(account),
    };
    this.entries.set(id, entry);
    for (const tenantId of entry.tenants) this.tenant(tenantId).add(entry);
  }

  async search(
    tenantId: string,
    terms: SearchTerms,
    after: string | null,
    limit: number,
  ): Promise<DirectoryHits> {
    const index = this.tenants.get(tenantId);
    if (!index) return { keys: [], more: false };
    if (!isEmptyQuery(terms)) return index.firstMatching(terms, after, limit);
    const keys: string[] = [];
    for (const key of index.names.from(after)) {
      keys.push(key);
      if (keys.length > limit) break;
    }
    return { keys: keys.slice(0, limit), more: keys.length > limit };
  }

  async count(tenantId: string, terms: SearchTerms): Promise<number> {
    const index = this.tenants.get(tenantId);
    if (!index) return 0;
    return isEmptyQuery(terms) ? index.names.size : index.matching(terms).length;
  }
}
