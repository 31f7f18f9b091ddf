/** The store the flows use: named for what they need, not for how a backend keeps it. */
import type { Account, AuditEvent, OutboxMessage, Tenant } from '../domain.js';

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

export interface FailureCount {
  count: number;
  lastAt: number;
}

export interface AttemptReservation {
  allowed: boolean;
  /** When the next attempt is allowed, if this one was refused. */
  retryAt: number | null;
  /** Attempts counted since the last success, including this one when allowed. */
  count: number;
}

export interface Store {
  readonly backend: 'memory' | 'fs' | 'redis';

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
  /** Every account that has `tenantId` among its tenants. */
  listTenantAccounts(tenantId: string): Promise<Account[]>;
  /**
   * Removes an account for good: its record, its tenant memberships and its audit, and frees its
   * email and username for another account at once. False when there was no such account.
   */
  deleteAccount(id: string): Promise<boolean>;

  /** Takes one place in a rolling window if there is room; exact under parallel calls. */
  takeFromWindow(key: string, options: WindowOptions): Promise<WindowTake>;
  /** Gives back a place taken by `takeFromWindow` (the action it paid for failed). */
  giveBackToWindow(key: string, ticket: string): Promise<void>;
  peekWindow(key: string, options: WindowOptions): Promise<WindowState>;

  /**
   * Login throttling, checked and counted in one atomic step before the password is verified (so
   * parallel guesses cannot all slip through): refused while `lastAt + delayAfter(count)` is in the
   * future, else counted. A success clears the count with `clearFailures`.
   */
  reserveAttempt(
    key: string,
    now: number,
    delayAfter: (count: number) => number,
  ): Promise<AttemptReservation>;
  getFailures(key: string): Promise<FailureCount | null>;
  clearFailures(key: string): Promise<void>;
  /**
   * Forgets rate windows and failure counters at once: those whose key (as given to
   * `takeFromWindow` and `reserveAttempt`) is one of `keys` or starts with one of `prefixes`.
   */
  clearCounters(selection: { keys?: string[]; prefixes?: string[] }): Promise<void>;

  appendAudit(event: AuditEvent): Promise<void>;
  /** Newest first. */
  listAudit(clientId: string, limit: number): Promise<AuditEvent[]>;

  addToOutbox(message: OutboxMessage): Promise<void>;
  /** Newest first. */
  listOutbox(limit: number): Promise<OutboxMessage[]>;
  /** Removes every message from the outbox. */
  clearOutbox(): Promise<void>;

  getSetting<T>(name: string): Promise<T | null>;
  putSetting<T>(name: string, value: T): Promise<void>;
  /** Stores `value` unless a value is there already; returns whichever value is kept. */
  setSettingIfAbsent<T>(name: string, value: T): Promise<T>;

  close(): Promise<void>;
}
