/** The store the flows use: named for what they need, not for how a backend keeps it. */
import type { Account, AuditEvent, OutboxMessage, Tenant } from '../domain.js';
import type { Backend } from './atomic-kv.js';
import type { WebhookStore } from './webhook-store.js';

export interface WindowOptions {
  /** How many entries fit in the rolling window. */
  limit: number;
  windowMs: number;
  now: number;
}

export interface WindowState {
  used: number;
  remaining: number;
  /** When the oldest entry leaves the window (so one more fits), if the window is full. */
  retryAt: number | null;
}

export interface WindowTake extends WindowState {
  allowed: boolean;
  /** Identifies the entry taken, so a failed action can give it back. */
  ticket: string | null;
}

/**
 * How one password-check counter behaves (login throttling). Attempts are reserved before the
 * password is verified, so parallel guesses cannot all slip through, and settled after it.
 */
export interface AttemptRules {
  /**
   * Consecutive failures before delays start. Below it, attempts may run in parallel as long as
   * failures plus attempts in flight stay below it; past it, one at a time after each delay.
   */
  free: number;
  /** The wait after `failures` consecutive failures (0 below `free`). */
  delayAfter(failures: number): number;
  /** Failures are forgotten this long after the last one: the counter's window. */
  memoryMs: number;
  /** An attempt in flight holds its place at most this long, so a crashed server's place frees itself. */
  leaseMs: number;
}

export type AttemptReservation =
  /** Go ahead; settle with this ticket once the password is checked. */
  | { status: 'allowed'; ticket: string }
  /** Places are all held by attempts in flight: try again in a moment (never an answer to the caller). */
  | { status: 'busy' }
  /** Refused until `retryAt` by the delay that consecutive failures earned. */
  | { status: 'refused'; retryAt: number };

/** How a reserved attempt ended: the password was right, wrong, or never checked. */
export type AttemptOutcome = 'success' | 'failure' | 'cancelled';

/**
 * Which of a client's bounded trails an event goes to, so that no kind of traffic can push
 * another kind's events out: `member` (what the member did, and what was refused to whoever
 * typed their name), `staff` (staff of the client's companies, provisioning, the system), and
 * `foreign` (what staff of another company learnt about the client, which changed nothing).
 */
export type AuditTrail = 'member' | 'staff' | 'foreign';

export interface AuditOptions {
  /** By default `member` for member events, else `staff`. */
  trail?: AuditTrail;
  /**
   * Not on the staff trail: an event like the newest one of its action, actor, outcome and
   * detail, within this many ms of that one's first occurrence, is counted on it instead of added
   * (so repeated traffic is one record per window).
   */
  mergeWithinMs?: number;
}

export interface DirectoryQuery {
  /** What staff typed; empty or absent lists every client. */
  q?: string;
  limit: number;
  /** `next` of the previous page. */
  cursor?: string | null;
}

export interface DirectoryPage {
  items: Account[];
  /** Where the next page starts; null on the last page. Opaque; refused (`invalid_request`) when mangled. */
  next: string | null;
}

/**
 * One record of an export (`npm run export`): an account, or any other record under the key the
 * store keeps it by, with when it expires (epoch ms; null: never).
 */
export type StoreRecord =
  | { kind: 'account'; account: Account }
  | { kind: 'record'; key: string; value: unknown; expiresAt: number | null };

/** What importing a record did: wrote it, replaced the account with its id, or skipped it (its time had passed). */
export type ImportOutcome = 'added' | 'replaced' | 'expired';

export interface Store {
  readonly backend: Backend;
  /** Webhook endpoints and their delivery queues. */
  readonly webhooks: WebhookStore;

  getTenant(id: string): Promise<Tenant | null>;
  putTenant(tenant: Tenant): Promise<void>;

  getAccount(id: string): Promise<Account | null>;
  /** By email or username, case-insensitive; null when nothing matches. */
  findAccount(identifier: string): Promise<Account | null>;
  /** Throws `id_in_use`, `email_in_use` or `username_in_use`. */
  createAccount(account: Account): Promise<Account>;
  /**
   * Atomic read-modify-write of an account. `change` is pure and synchronous and may run more
   * than once; it may throw an AppError to refuse. Email and username stay unique (`email_in_use`,
   * `username_in_use`); tenant membership indexes follow `tenants`. Throws `not_found`.
   */
  updateAccount(id: string, change: (current: Account) => Account): Promise<Account>;
  /**
   * Removes an account for good: its record, its place in the directory and its audit, and frees
   * its email and username for another account at once. False when there was no such account.
   */
  deleteAccount(id: string): Promise<boolean>;

  /**
   * A page of the tenant's clients matching what staff typed (see `directory-text.ts`), ordered by
   * name then id; `next` continues after the last one. O(log n + page) in the tenant's size for a
   * listing; a search also reads the candidates of its most selective term. Reflects every write
   * that has returned.
   */
  searchClients(tenantId: string, query: DirectoryQuery): Promise<DirectoryPage>;
  /** How many of the tenant's clients match (all of them without `q`). */
  countClients(tenantId: string, q?: string): Promise<number>;

  /** Takes one place in a rolling window if there is room; exact under parallel calls. */
  takeFromWindow(key: string, options: WindowOptions): Promise<WindowTake>;
  /** Gives back a place taken by `takeFromWindow` (the action it paid for failed). */
  giveBackToWindow(key: string, ticket: string): Promise<void>;
  peekWindow(key: string, options: WindowOptions): Promise<WindowState>;

  /** Reserves one password check on the counter `key`, under `rules`; exact under parallel calls. */
  reserveAttempt(key: string, now: number, rules: AttemptRules): Promise<AttemptReservation>;
  /** Ends a reserved attempt: a success clears the failures, a failure counts one, a cancel only frees the place. */
  settleAttempt(
    key: string,
    ticket: string,
    outcome: AttemptOutcome,
    now: number,
    rules: AttemptRules,
  ): Promise<void>;
  /**
   * Removes counters whose window has passed; the server calls it at start (its first call also
   * removes counters of earlier versions that had no time to live) and now and then after (Redis
   * expires them itself).
   */
  removeExpired(): Promise<number>;
  /** Removes the rate windows and attempt counters under these keys (an erased client's). */
  removeCounters(counterKeys: string[]): Promise<void>;

  /** Appends to one of the client's trails (see `AuditTrail`), each bounded on its own. */
  appendAudit(event: AuditEvent, options?: AuditOptions): Promise<void>;
  /** Newest first (by each event's latest occurrence), every trail together. */
  listAudit(clientId: string, limit: number): Promise<AuditEvent[]>;

  /** Keeps the message among the last 500 (older ones make room); O(1), no listing. */
  addToOutbox(message: OutboxMessage): Promise<void>;
  /** Newest first, at most `limit`; O(limit). */
  listOutbox(limit: number): Promise<OutboxMessage[]>;

  getSetting<T>(name: string): Promise<T | null>;
  putSetting<T>(name: string, value: T): Promise<void>;
  /** Stores `value` unless a value is there already; returns whichever value is kept. */
  setSettingIfAbsent<T>(name: string, value: T): Promise<T>;

  /**
   * Every record, accounts first, read in batches as the caller consumes them. Not a snapshot:
   * what changes while it runs may or may not be in it (stop the writers first).
   */
  exportRecords(): AsyncIterable<StoreRecord>;
  /**
   * Writes one exported record; what the export holds replaces what is here, so an import run
   * twice leaves the same store. Throws `email_in_use` / `username_in_use` when another account
   * holds the account's email or username, `invalid_request` for a record no store keeps.
   */
  importRecord(record: StoreRecord): Promise<ImportOutcome>;

  /** One write and read round trip, for readiness checks; throws `storage_unavailable` when the backend fails. */
  ping(): Promise<void>;

  close(): Promise<void>;
}
