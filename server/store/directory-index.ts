/**
 * The directory index the key-value backends keep beside the account records, so that searching,
 * paging and counting a tenant's clients never reads every account: an in-process one for the
 * memory and fs backends (the fs one rebuilt from the records at start), a Redis one for Redis.
 */
import type { Account } from '../domain.js';
import type { SearchTerms } from './directory-text.js';

export interface DirectoryHits {
  /** Sort keys (`sortKeyOf`) of the matching clients after the cursor, in order, at most `limit`. */
  keys: string[];
  /** Whether more match after the last one. */
  more: boolean;
}

export interface DirectoryIndex {
  /**
   * Notes that the account is about to be written, before the write: a process that stops
   * between the write and `put` leaves it for `repair`. Indexes the process owns need none.
   */
  mark?(id: string): Promise<void>;
  /**
   * Indexes what the account is now (or forgets it, `null` for a deleted one) under each of its
   * tenants. Called after each write; an older revision than the one indexed changes nothing.
   */
  put(id: string, account: Account | null): Promise<void>;
  search(tenantId: string, terms: SearchTerms, after: string | null, limit: number): Promise<DirectoryHits>;
  count(tenantId: string, terms: SearchTerms): Promise<number>;
  /** Re-indexes, from their records, clients marked and never put (a stopped process, a failed `put`). */
  repair?(load: (id: string) => Promise<Account | null>): Promise<void>;
}
