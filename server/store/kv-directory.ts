/**
 * Keeps a directory index in step with the account records of the key-value store: prepares it
 * before the first search (rebuilt from the records for fs, repaired for Redis and PostgreSQL),
 * tells it of every account write, and checks each hit against its record, so an entry a crash
 * left behind is skipped, never shown.
 */
import type { Account } from '../domain.js';
import { AppError } from '../errors.js';
import type { AtomicKv } from './atomic-kv.js';
import type { DirectoryIndex } from './directory-index.js';
import { idOfSortKey, matchesTerms, parseQuery, searchTextOf, sortKeyOf } from './directory-text.js';
import { keys } from './kv-keys.js';
import type { DirectoryPage, DirectoryQuery } from './store.js';

/** Accounts read at once while the fs backend's directory is rebuilt at start. */
const REBUILD_BATCH = 500;

export class KvDirectory {
  /** Settles once the index holds every account the backend kept. */
  private ready: Promise<void>;

  /**
   * @param index in-process for memory and fs (`rebuild` for a backend whose records outlive the
   *   process), the Redis or PostgreSQL one for those.
   */
  constructor(
    private readonly kv: AtomicKv,
    private readonly index: DirectoryIndex,
    private readonly rebuild: boolean,
  ) {
    this.ready = this.prepare();
  }

  async search(tenantId: string, query: DirectoryQuery): Promise<DirectoryPage> {
    await this.isReady();
    const terms = parseQuery(query.q);
    const items: Account[] = [];
    let after = decodeCursor(query.cursor);
    let more = true;
    // An index entry a crash left behind is skipped (the record is the truth); read on until the page is full.
    while (items.length < query.limit && more) {
      const hits = await this.index.search(tenantId, terms, after, query.limit - items.length);
      const accounts = await this.kv.getMany<Account>(hits.keys.map((key) => keys.account(idOfSortKey(key))));
      hits.keys.forEach((key, i) => {
        const account = accounts[i];
        if (account && account.tenants.includes(tenantId) && sortKeyOf(account) === key) {
          if (matchesTerms(searchTextOf(account), terms)) items.push(account);
        }
      });
      more = hits.more;
      after = hits.keys.at(-1) ?? after;
    }
    const last = items.at(-1);
    return { items, next: more && last ? encodeCursor(sortKeyOf(last)) : null };
  }

  async count(tenantId: string, q?: string): Promise<number> {
    await this.isReady();
    return this.index.count(tenantId, parseQuery(q));
  }

  /**
   * Runs a write of account `id` with the index told before it and brought in step after it,
   * from the record as it then is, whatever the write did. A `put` that fails here is left to the
   * index's repair (the mark stays).
   */
  async inStep<T>(
    id: string,
    write: () => Promise<T>,
    /** The record the write left, when its result tells (`undefined`: read it). */
    recordAfter: (result: T) => Account | null | undefined,
  ): Promise<T> {
    await this.index.mark?.(id);
    let after: Account | null | undefined;
    try {
      const result = await write();
      after = recordAfter(result);
      return result;
    } finally {
      if (after === undefined) after = await this.kv.get<Account>(keys.account(id)).catch(() => undefined);
      if (after !== undefined) await this.index.put(id, after).catch(() => undefined);
    }
  }

  /** Re-indexes accounts whose write was marked and never put (a stopped process, a failed put). */
  async repair(): Promise<void> {
    await this.index.repair?.((id) => this.kv.get<Account>(keys.account(id)));
  }

  /**
   * A failure shows on the searches (as storage_unavailable) and the next one tries again, so a
   * backend that was down when the server started serves searches once it is back.
   */
  private prepare(): Promise<void> {
    const ready = this.rebuild ? this.rebuildFromRecords() : this.repair();
    ready.catch(() => undefined);
    return ready;
  }

  private async isReady(): Promise<void> {
    try {
      await this.ready;
    } catch (error) {
      this.ready = this.prepare();
      throw error;
    }
  }

  private async rebuildFromRecords(): Promise<void> {
    const all = await this.kv.keys(keys.accountPrefix);
    for (let start = 0; start < all.length; start += REBUILD_BATCH) {
      const batch = await this.kv.getMany<Account>(all.slice(start, start + REBUILD_BATCH));
      for (const account of batch) if (account) await this.index.put(account.id, account);
    }
  }
}

function encodeCursor(sortKey: string): string {
  return Buffer.from(sortKey, 'utf8').toString('base64url');
}

/** The sort key a page ends at; a cursor that is not one of ours is refused. */
function decodeCursor(cursor: string | null | undefined): string | null {
  if (!cursor) return null;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!key.includes('\u0000') || encodeCursor(key) !== cursor) {
    throw new AppError('invalid_request', { message: 'The cursor is not valid.' });
  }
  return key;
}
