/**
 * The store over any AtomicKv backend. Every guarantee the flows rely on is built from the
 * backend's atomic primitives: an account is one key written by compare-and-swap on its
 * `revision`, so consuming a link, changing a password and revoking sessions happen together or
 * not at all; rate windows and failure counters are single-key read-modify-writes.
 */
import type { Account, AuditEvent, OutboxMessage, Tenant } from '../domain.js';
import { AppError } from '../errors.js';
import { normaliseIdentifier } from '../identifiers.js';
import type { AtomicKv } from './atomic-kv.js';
import { appendAuditStep, AUDIT_TRAILS, mergedAudit, trailOf, type AuditList } from './kv-audit.js';
import type { DirectoryIndex } from './directory-index.js';
import { idOfSortKey, matchesTerms, parseQuery, searchTextOf, sortKeyOf } from './directory-text.js';
import { guard } from './guard.js';
import { InProcessDirectory } from './in-process-directory.js';
import { keys, OUTBOX_KEEP } from './kv-keys.js';
import { exportKv, importKvRecord } from './kv-transfer.js';
import {
  giveBackStep,
  reserveAttemptStep,
  settleAttemptStep,
  takeFromWindowStep,
  upgradeLegacyWindowStep,
  windowState,
  type WindowRecord,
} from './kv-counters.js';
import type {
  AttemptOutcome,
  AttemptReservation,
  AttemptRules,
  AuditOptions,
  DirectoryPage,
  DirectoryQuery,
  ImportOutcome,
  Store,
  StoreRecord,
  WindowOptions,
  WindowState,
  WindowTake,
} from './store.js';

/** Accounts read at once while the fs backend's directory is rebuilt at start. */
const REBUILD_BATCH = 500;
const MAX_ACCOUNT_RETRIES = 100;
const MAX_CLAIM_ATTEMPTS = 200;
/**
 * How long a claim whose record write has not landed is honoured. Such a write normally lands
 * within milliseconds; an older one was left by a crash and may be taken over.
 */
const CLAIM_LEASE_MS = 30_000;

type UniqueCode = 'email_in_use' | 'username_in_use';

/**
 * Owner of a unique email or username. `rev` is the revision the owner's record will have once
 * the write that needs the value lands, so other writers can tell a claim whose write is still
 * on its way (never to be taken over) from one left by a write that lost, failed or crashed.
 * Entries without `rev`/`at` (older data) count as settled.
 */
interface IndexEntry {
  id: string;
  rev?: number;
  at?: number;
}
interface OutboxSlot {
  n: number;
  message: OutboxMessage;
}
interface SettingBox<T> {
  value: T;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How often expired counters are swept from backends that do not expire keys themselves. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

export class KvStore implements Store {
  private readonly sweeper: ReturnType<typeof setInterval> | null;
  private legacyCountersRemoved = false;
  /** Settles once the in-process directory holds every account the backend kept. */
  private directoryReady: Promise<void>;
  private readonly rebuild: boolean;
  private sweeping: Promise<unknown> | null = null;

  /**
   * One sweep at a time (on a large fs store one may outlast the interval): expired counters on
   * the backends that do not expire keys themselves, and directory entries a failed update left.
   */
  private sweepOnce(): Promise<unknown> {
    const work = async () => {
      if (this.kv.backend !== 'redis') await this.removeExpired();
      await this.directory.repair?.((id) => this.kv.get<Account>(keys.account(id)));
    };
    this.sweeping ??= work()
      .catch(() => 0)
      .finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  /**
   * @param directory the index of the directory: in-process for memory and fs (pass `rebuild` for
   *   a backend whose records outlive the process), the Redis one for Redis.
   */
  constructor(
    private readonly kv: AtomicKv,
    private readonly directory: DirectoryIndex = new InProcessDirectory(),
    options: { rebuildDirectory?: boolean } = {},
  ) {
    this.rebuild = options.rebuildDirectory === true;
    this.directoryReady = this.prepareDirectory();
    // In the background, never on a request.
    this.sweeper = setInterval(() => void this.sweepOnce(), SWEEP_EVERY_MS).unref();
  }

  get backend(): AtomicKv['backend'] {
    return this.kv.backend;
  }

  getTenant(id: string): Promise<Tenant | null> {
    return guard(() => this.kv.get<Tenant>(keys.tenant(id)));
  }

  putTenant(tenant: Tenant): Promise<void> {
    return guard(() => this.kv.set(keys.tenant(tenant.id), tenant));
  }

  getAccount(id: string): Promise<Account | null> {
    return guard(() => this.kv.get<Account>(keys.account(id)));
  }

  findAccount(identifier: string): Promise<Account | null> {
    return guard(async () => {
      const wanted = normaliseIdentifier(identifier);
      if (!wanted) return null;
      // An email index entry wins over a username one: login accepts the main email or the username.
      for (const key of [keys.email(wanted), keys.username(wanted)]) {
        const entry = await this.kv.get<IndexEntry>(key);
        if (!entry) continue;
        const account = await this.kv.get<Account>(keys.account(entry.id));
        // An index entry left behind by an interrupted write points at an account that no longer
        // carries that value; it is ignored here and reclaimed by the next writer.
        if (account && (matches(account.email, wanted) || matches(account.username, wanted))) {
          return account;
        }
      }
      return null;
    });
  }

  createAccount(account: Account): Promise<Account> {
    return guard(async () => {
      // Only entries this call wrote are given back on failure: with a duplicate id, the entry
      // found may be the existing account's own.
      const taken: Array<[string, IndexEntry]> = [];
      try {
        for (const [key, code] of this.uniqueKeys(account)) {
          const claim = await this.claim(key, account.id, code, account.revision);
          if (claim !== 'held') taken.push([key, claim]);
        }
        const created = await this.inStep(
          account.id,
          () => this.kv.setIfAbsent(keys.account(account.id), account),
          (wrote) => (wrote ? account : undefined),
        );
        if (!created) throw new AppError('id_in_use');
        return account;
      } catch (error) {
        await this.giveBack(taken);
        throw error;
      }
    });
  }

  updateAccount(id: string, change: (current: Account) => Account): Promise<Account> {
    return guard(async () => {
      for (let attempt = 0; attempt < MAX_ACCOUNT_RETRIES; attempt++) {
        const before = await this.kv.get<Account>(keys.account(id));
        if (!before) throw new AppError('not_found');
        const planned = change(structuredClone(before));

        // Claim new unique values before the write, release old ones after it: a crash in
        // between leaves a stale claim (ignored by findAccount), never two owners.
        const newClaims = this.uniqueKeys(planned).filter(
          ([key]) => !this.uniqueKeys(before).some(([old]) => old === key),
        );
        const taken: Array<[string, IndexEntry]> = [];
        let written: Account | null;
        try {
          for (const [key, code] of newClaims) {
            const claim = await this.claim(key, id, code, before.revision + 1);
            if (claim !== 'held') taken.push([key, claim]);
          }
          written = await this.inStep(
            id,
            () =>
              this.kv.update<Account, Account | null>(keys.account(id), (current) => {
                if (!current || current.revision !== before.revision) return { result: null };
                const next: Account = { ...planned, id, revision: before.revision + 1 };
                return { value: next, result: next };
              }),
            (next) => next ?? undefined,
          );
        } catch (error) {
          await this.giveBack(taken);
          throw error;
        }
        if (!written) {
          await this.giveBack(taken);
          continue;
        }
        // The change is in. Tidying the indexes after it must not report it as failed (the caller
        // would believe nothing changed); what a failure here leaves behind is tolerated and
        // repaired by later writers (see `claim`, and the directory's own repair).
        await this.afterWrite(before, written).catch(() => undefined);
        return written;
      }
      throw new AppError('conflict');
    });
  }

  searchClients(tenantId: string, query: DirectoryQuery): Promise<DirectoryPage> {
    return guard(async () => {
      await this.directoryIsReady();
      const terms = parseQuery(query.q);
      const items: Account[] = [];
      let after = decodeCursor(query.cursor);
      let more = true;
      // An index entry a crash left behind is skipped (the record is the truth); read on until the page is full.
      while (items.length < query.limit && more) {
        const hits = await this.directory.search(tenantId, terms, after, query.limit - items.length);
        const accounts = await this.kv.getMany<Account>(
          hits.keys.map((key) => keys.account(idOfSortKey(key))),
        );
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
    });
  }

  countClients(tenantId: string, q?: string): Promise<number> {
    return guard(async () => {
      await this.directoryIsReady();
      return this.directory.count(tenantId, parseQuery(q));
    });
  }

  deleteAccount(id: string): Promise<boolean> {
    return guard(async () => {
      const removed = await this.inStep(
        id,
        () => this.removeAccountRecord(id),
        (gone) => (gone ? null : undefined),
      );
      if (removed) {
        // Compared by value: once the record is gone a writer may take a value over (see `claim`),
        // and its entry must stay.
        await this.giveBack(removed.entries);
      }
      await Promise.all(AUDIT_TRAILS.map((trail) => this.kv.delete(keys.audit(id, trail))));
      return removed !== null;
    });
  }

  takeFromWindow(key: string, options: WindowOptions): Promise<WindowTake> {
    return guard(() => this.kv.update(keys.window(key), takeFromWindowStep(options)));
  }

  giveBackToWindow(key: string, ticket: string): Promise<void> {
    return guard(() => this.kv.update(keys.window(key), giveBackStep(ticket)));
  }

  peekWindow(key: string, options: WindowOptions): Promise<WindowState> {
    return guard(async () => windowState(await this.kv.get<WindowRecord>(keys.window(key)), options));
  }

  reserveAttempt(key: string, now: number, rules: AttemptRules): Promise<AttemptReservation> {
    return guard(() => this.kv.update(keys.attempts(key), reserveAttemptStep(now, rules)));
  }

  settleAttempt(
    key: string,
    ticket: string,
    outcome: AttemptOutcome,
    now: number,
    rules: AttemptRules,
  ): Promise<void> {
    return guard(() => this.kv.update(keys.attempts(key), settleAttemptStep(ticket, outcome, now, rules)));
  }

  removeExpired(): Promise<number> {
    return guard(async () => {
      let removed = 0;
      if (!this.legacyCountersRemoved) {
        removed += await this.removeLegacyCounters();
        this.legacyCountersRemoved = true;
      }
      for (const prefix of [keys.windowPrefix, keys.attemptsPrefix])
        removed += await this.kv.sweepExpired(prefix);
      return removed;
    });
  }

  appendAudit(event: AuditEvent, options: AuditOptions = {}): Promise<void> {
    const key = keys.audit(event.clientId, trailOf(event, options));
    return guard(() => this.kv.update(key, appendAuditStep(event, options)));
  }

  listAudit(clientId: string, limit: number): Promise<AuditEvent[]> {
    return guard(async () =>
      mergedAudit(
        await this.kv.getMany<AuditList>(AUDIT_TRAILS.map((trail) => keys.audit(clientId, trail))),
        limit,
      ),
    );
  }

  addToOutbox(message: OutboxMessage): Promise<void> {
    return guard(async () => {
      const n = await this.kv.update<{ n: number }, number>(keys.outboxSequence, (current) => {
        const next = (current?.n ?? 0) + 1;
        return { value: { n: next }, result: next };
      });
      await this.kv.set(keys.outboxSlot(n), { n, message });
    });
  }

  listOutbox(limit: number): Promise<OutboxMessage[]> {
    return guard(async () => {
      const last = (await this.kv.get<{ n: number }>(keys.outboxSequence))?.n ?? 0;
      const count = Math.min(limit, OUTBOX_KEEP, last);
      const wanted = Array.from({ length: count }, (_, i) => last - i);
      const slots = await this.kv.getMany<OutboxSlot>(wanted.map((n) => keys.outboxSlot(n)));
      // A slot holds the mail of its sequence number only; a mail still being written is left out.
      return slots
        .filter((slot, i): slot is OutboxSlot => slot !== null && slot.n === wanted[i])
        .map((slot) => slot.message);
    });
  }

  getSetting<T>(name: string): Promise<T | null> {
    return guard(async () => (await this.kv.get<SettingBox<T>>(keys.setting(name)))?.value ?? null);
  }

  putSetting<T>(name: string, value: T): Promise<void> {
    return guard(() => this.kv.set<SettingBox<T>>(keys.setting(name), { value }));
  }

  setSettingIfAbsent<T>(name: string, value: T): Promise<T> {
    return guard(async () => {
      await this.kv.setIfAbsent<SettingBox<T>>(keys.setting(name), { value });
      const kept = await this.kv.get<SettingBox<T>>(keys.setting(name));
      return kept ? kept.value : value;
    });
  }

  ping(): Promise<void> {
    return guard(async () => {
      const at = Date.now();
      await this.kv.update<{ at: number }, void>(keys.health, () => ({
        value: { at },
        ttlMs: 60_000,
        result: undefined,
      }));
      await this.kv.get(keys.health);
    });
  }

  exportRecords(): AsyncIterable<StoreRecord> {
    return exportKv(this.kv);
  }

  importRecord(record: StoreRecord): Promise<ImportOutcome> {
    return importKvRecord(this.kv, this, record);
  }

  close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    return this.kv.close();
  }

  /**
   * Counters written before every counter carried its time to live (they would never go): the
   * old login throttle's failure records, which nothing reads now, and windows without their length.
   */
  private async removeLegacyCounters(): Promise<number> {
    let removed = 0;
    for (const key of await this.kv.keys('failures')) {
      await this.kv.delete(key);
      removed++;
    }
    for (const key of await this.kv.keys(keys.windowPrefix)) {
      removed += await this.kv.update(key, upgradeLegacyWindowStep(Date.now()));
    }
    return removed;
  }

  /**
   * Rebuilds (fs) or repairs (Redis, PostgreSQL) the directory before the first search. A failure
   * shows on the searches (as storage_unavailable) and the next one tries again, so a backend that
   * was down when the server started serves searches once it is back.
   */
  private prepareDirectory(): Promise<void> {
    const ready = this.rebuild
      ? this.rebuildDirectory()
      : (this.directory.repair?.((id) => this.kv.get<Account>(keys.account(id))) ?? Promise.resolve());
    ready.catch(() => undefined);
    return ready;
  }

  private async directoryIsReady(): Promise<void> {
    try {
      await this.directoryReady;
    } catch (error) {
      this.directoryReady = this.prepareDirectory();
      throw error;
    }
  }

  /** The in-process directory of a backend whose records outlive the process (fs), from every account record. */
  private async rebuildDirectory(): Promise<void> {
    const all = await this.kv.keys(keys.accountPrefix);
    for (let start = 0; start < all.length; start += REBUILD_BATCH) {
      const batch = await this.kv.getMany<Account>(all.slice(start, start + REBUILD_BATCH));
      for (const account of batch) if (account) await this.directory.put(account.id, account);
    }
  }

  private uniqueKeys(account: Account): Array<[string, UniqueCode]> {
    const result: Array<[string, UniqueCode]> = [];
    if (account.email) result.push([keys.email(account.email), 'email_in_use']);
    if (account.username) result.push([keys.username(account.username), 'username_in_use']);
    return result;
  }

  /**
   * Takes the unique index entry `key` for account `id`, whose record will have revision `rev`
   * once the write that needs it lands. Returns the entry written, or 'held' when the stored
   * account `id` already holds the value (its write will then fail the revision check, or the id
   * is in use). Throws `code` when another account holds the value or is about to.
   */
  private async claim(key: string, id: string, code: UniqueCode, rev: number): Promise<IndexEntry | 'held'> {
    const mine: IndexEntry = { id, rev, at: Date.now() };
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      if (await this.kv.setIfAbsent<IndexEntry>(key, mine)) return mine;
      const entry = await this.kv.get<IndexEntry>(key);
      if (!entry) continue;
      const owner = await this.kv.get<Account>(keys.account(entry.id));
      if (owner && holds(owner, key)) {
        if (entry.id === id) return 'held';
        throw new AppError(code);
      }
      if (isPending(entry, owner)) {
        // Its write may still land: taking the value over now would give it two owners.
        if (entry.id !== id) throw new AppError(code);
        // A parallel write of this same account: never build on its claim (it may yet fail and
        // give it back); wait until it lands or is given back.
        await sleep(2 + Math.random() * 8);
        continue;
      }
      // Left by a write that lost, failed or crashed: take it over.
      await this.kv.deleteIfEquals(key, entry);
    }
    throw new AppError('conflict');
  }

  /**
   * Deletes the record of account `id` unless a write lands in between (then reads again), and
   * returns it with the index entries it held, read while it still held them.
   */
  private async removeAccountRecord(
    id: string,
  ): Promise<{ account: Account; entries: Array<[string, IndexEntry]> } | null> {
    for (let attempt = 0; attempt < MAX_ACCOUNT_RETRIES; attempt++) {
      const account = await this.kv.get<Account>(keys.account(id));
      if (!account) return null;
      const entries: Array<[string, IndexEntry]> = [];
      for (const [key] of this.uniqueKeys(account)) {
        const entry = await this.kv.get<IndexEntry>(key);
        if (entry?.id === id) entries.push([key, entry]);
      }
      const removed = await this.kv.update<Account, boolean>(keys.account(id), (current) =>
        current?.revision === account.revision ? { value: null, result: true } : { result: false },
      );
      if (removed) return { account, entries };
    }
    throw new AppError('conflict');
  }

  /** Gives back entries this call wrote, compared by value so a takeover by someone else stays. */
  private async giveBack(taken: Array<[string, IndexEntry]>): Promise<void> {
    await Promise.all(taken.map(([key, entry]) => this.kv.deleteIfEquals(key, entry)));
  }

  /** After an account write: release values it gave up, and make tenant lists follow it. */
  private async afterWrite(before: Account, written: Account): Promise<void> {
    const released = this.uniqueKeys(before).filter(
      ([key]) => !this.uniqueKeys(written).some(([kept]) => kept === key),
    );
    await Promise.all(
      released.map(async ([key]) => {
        const entry = await this.kv.get<IndexEntry>(key);
        // A claim made for a later revision belongs to a newer write of this account that wants
        // the value back; leave it.
        if (entry && entry.id === written.id && (entry.rev ?? 0) <= written.revision) {
          await this.kv.deleteIfEquals(key, entry);
        }
      }),
    );
  }

  /**
   * Runs a write of account `id` with the directory told before it and brought in step after it,
   * from the record as it then is, whatever the write did. A `put` that fails here is left to the
   * directory's repair (the mark stays).
   */
  private async inStep<T>(
    id: string,
    write: () => Promise<T>,
    /** The record the write left, when its result tells (`undefined`: read it). */
    recordAfter: (result: T) => Account | null | undefined,
  ): Promise<T> {
    await this.directory.mark?.(id);
    let after: Account | null | undefined;
    try {
      const result = await write();
      after = recordAfter(result);
      return result;
    } finally {
      if (after === undefined) after = await this.kv.get<Account>(keys.account(id)).catch(() => undefined);
      if (after !== undefined) await this.directory.put(id, after).catch(() => undefined);
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

/** Whether the stored account carries the value of unique index `key`. */
function holds(account: Account, key: string): boolean {
  return (
    (account.email !== null && account.email !== '' && keys.email(account.email) === key) ||
    (account.username !== null && account.username !== '' && keys.username(account.username) === key)
  );
}

/** A claim whose write has not landed yet (and is recent enough that it still may). */
function isPending(entry: IndexEntry, owner: Account | null): boolean {
  if (typeof entry.rev !== 'number') return false;
  if (owner && owner.revision >= entry.rev) return false;
  return Date.now() - (entry.at ?? 0) < CLAIM_LEASE_MS;
}

function matches(value: string | null, wanted: string): boolean {
  return value !== null && normaliseIdentifier(value) === wanted;
}
