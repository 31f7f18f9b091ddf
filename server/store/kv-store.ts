/**
 * The store over any AtomicKv backend. Every guarantee the flows rely on is built from the
 * backend's atomic primitives: an account is one key written by compare-and-swap on its
 * `revision`, so consuming a link, changing a password and revoking sessions happen together or
 * not at all; rate windows and failure counters are single-key read-modify-writes.
 */
import { randomUUID } from 'node:crypto';
import type { Account, AuditEvent, OutboxMessage, Tenant } from '../domain.js';
import { AppError, isAppError } from '../errors.js';
import { normaliseIdentifier } from '../identifiers.js';
import { keySegment, type AtomicKv } from './atomic-kv.js';
import type {
  AttemptOutcome,
  AttemptReservation,
  AttemptRules,
  AuditOptions,
  Store,
  WindowOptions,
  WindowState,
  WindowTake,
} from './store.js';

/** Staff, provisioning and system events kept per client. */
const AUDIT_KEEP = 500;
/** Member events kept per client, in a list of their own. */
const MEMBER_AUDIT_KEEP = 200;
const OUTBOX_KEEP = 500;
const MAX_ACCOUNT_RETRIES = 100;
/** For window records written before they carried their length: the longest window the server uses. */
const DEFAULT_WINDOW_TTL_MS = 24 * 60 * 60 * 1000;
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
interface WindowEntry {
  at: number;
  ticket: string;
}
interface WindowRecord {
  entries: WindowEntry[];
  /** The window's length, so that a give-back keeps the record's time to live. */
  windowMs?: number;
}
/** A password-check counter: consecutive failures, and the attempts in flight holding places. */
interface AttemptRecord {
  failures: number;
  lastFailureAt: number;
  pending: WindowEntry[];
}
interface MemberList {
  ids: string[];
}
interface AuditList {
  events: AuditEvent[];
}
interface SettingBox<T> {
  value: T;
}

let outboxSequence = 0;
function nextOutboxSequence(): number {
  outboxSequence = (outboxSequence + 1) % 1e12;
  return outboxSequence;
}

const keys = {
  tenant: (id: string) => `tenant:${keySegment(id)}`,
  account: (id: string) => `account:${keySegment(id)}`,
  email: (email: string) => `index:email:${keySegment(normaliseIdentifier(email))}`,
  username: (username: string) => `index:username:${keySegment(normaliseIdentifier(username))}`,
  members: (tenantId: string) => `members:${keySegment(tenantId)}`,
  windowPrefix: 'window',
  window: (key: string) => `window:${keySegment(key)}`,
  attemptsPrefix: 'attempts',
  attempts: (key: string) => `attempts:${keySegment(key)}`,
  audit: (clientId: string) => `audit:${keySegment(clientId)}`,
  memberAudit: (clientId: string) => `member-audit:${keySegment(clientId)}`,
  health: 'health:probe',
  outboxPrefix: 'outbox',
  // The per-process sequence keeps mails of one millisecond in the order they were sent.
  outbox: (message: OutboxMessage) =>
    `outbox:${String(message.at).padStart(15, '0')}-${String(nextOutboxSequence()).padStart(12, '0')}-${keySegment(message.id)}`,
  setting: (name: string) => `setting:${keySegment(name)}`,
};

/** Backend failures become one clear, retryable error; refusals thrown by callers pass through. */
async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isAppError(error)) throw error;
    throw new AppError('storage_unavailable', { cause: error });
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The newest entry leaves the window this long from now; the record goes with it. */
function windowTtl(entries: WindowEntry[], options: WindowOptions): number {
  const newest = entries.reduce((max, entry) => Math.max(max, entry.at), options.now);
  return Math.max(1, newest + options.windowMs - options.now);
}

/** The counter as it stands at `now`: leases past their time are gone, failures past the window forgotten. */
function liveAttempts(current: AttemptRecord | null, now: number, rules: AttemptRules): AttemptRecord {
  const pending = (current?.pending ?? []).filter((entry) => entry.at > now - rules.leaseMs);
  if (!current || current.lastFailureAt <= now - rules.memoryMs)
    return { failures: 0, lastFailureAt: 0, pending };
  return { failures: current.failures, lastFailureAt: current.lastFailureAt, pending };
}

/** Kept while failures are remembered or an attempt may still settle. */
function attemptTtl(record: AttemptRecord, now: number, rules: AttemptRules): number {
  const untilForgotten = record.failures > 0 ? record.lastFailureAt + rules.memoryMs - now : 0;
  const untilLeasesEnd = Math.max(0, ...record.pending.map((entry) => entry.at + rules.leaseMs - now));
  return Math.max(1, untilForgotten, untilLeasesEnd);
}

/** Two audit events that say the same thing (merged when repeated). */
function sameKind(a: AuditEvent, b: AuditEvent): boolean {
  return (
    a.action === b.action &&
    a.outcome === b.outcome &&
    a.actor === b.actor &&
    JSON.stringify(a.detail ?? {}) === JSON.stringify(b.detail ?? {})
  );
}

function prune(entries: WindowEntry[], options: WindowOptions): WindowEntry[] {
  return entries.filter((entry) => entry.at > options.now - options.windowMs);
}

function windowState(entries: WindowEntry[], options: WindowOptions): WindowState {
  const used = entries.length;
  const remaining = Math.max(0, options.limit - used);
  const oldest = entries.reduce((min, entry) => Math.min(min, entry.at), Infinity);
  return {
    used,
    remaining,
    retryAt: remaining > 0 || !Number.isFinite(oldest) ? null : oldest + options.windowMs,
  };
}

/** How often expired counters are swept from backends that do not expire keys themselves. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

export class KvStore implements Store {
  private readonly sweeper: ReturnType<typeof setInterval> | null;

  constructor(private readonly kv: AtomicKv) {
    // Redis expires keys itself; memory and fs are swept in the background (never on a request).
    this.sweeper =
      kv.backend === 'redis'
        ? null
        : setInterval(() => void this.removeExpired().catch(() => undefined), SWEEP_EVERY_MS).unref();
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
        for (const tenantId of account.tenants) await this.addMember(tenantId, account.id);
        const created = await this.kv.setIfAbsent(keys.account(account.id), account);
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
          for (const tenantId of planned.tenants) {
            if (!before.tenants.includes(tenantId)) await this.addMember(tenantId, id);
          }
          written = await this.kv.update<Account, Account | null>(keys.account(id), (current) => {
            if (!current || current.revision !== before.revision) return { result: null };
            const next: Account = { ...planned, id, revision: before.revision + 1 };
            return { value: next, result: next };
          });
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
        // repaired by later writers (see `claim`, `listTenantAccounts`).
        await this.afterWrite(before, written).catch(() => undefined);
        return written;
      }
      throw new AppError('conflict');
    });
  }

  listTenantAccounts(tenantId: string): Promise<Account[]> {
    return guard(async () => {
      const list = await this.kv.get<MemberList>(keys.members(tenantId));
      const ids = list?.ids ?? [];
      const accounts = await this.kv.getMany<Account>(ids.map((id) => keys.account(id)));
      return accounts.filter(
        (account): account is Account => account !== null && account.tenants.includes(tenantId),
      );
    });
  }

  deleteAccount(id: string): Promise<boolean> {
    return guard(async () => {
      const removed = await this.removeAccountRecord(id);
      if (removed) {
        // Compared by value: once the record is gone a writer may take a value over (see `claim`),
        // and its entry must stay.
        await this.giveBack(removed.entries);
        for (const tenantId of removed.account.tenants) await this.removeMember(tenantId, id);
      }
      await Promise.all([this.kv.delete(keys.audit(id)), this.kv.delete(keys.memberAudit(id))]);
      return removed !== null;
    });
  }

  takeFromWindow(key: string, options: WindowOptions): Promise<WindowTake> {
    return guard(() =>
      this.kv.update<WindowRecord, WindowTake>(keys.window(key), (current) => {
        const entries = prune(current?.entries ?? [], options);
        if (entries.length >= options.limit) {
          return {
            value: { entries, windowMs: options.windowMs },
            ttlMs: windowTtl(entries, options),
            result: { ...windowState(entries, options), allowed: false, ticket: null },
          };
        }
        const ticket = randomUUID();
        const next = [...entries, { at: options.now, ticket }];
        return {
          value: { entries: next, windowMs: options.windowMs },
          ttlMs: windowTtl(next, options),
          result: { ...windowState(next, options), allowed: true, ticket },
        };
      }),
    );
  }

  giveBackToWindow(key: string, ticket: string): Promise<void> {
    return guard(() =>
      this.kv.update<WindowRecord, void>(keys.window(key), (current) => {
        if (!current) return { result: undefined };
        const entries = current.entries.filter((entry) => entry.ticket !== ticket);
        if (entries.length === 0) return { value: null, result: undefined };
        // No clock here: a whole window from now outlives every entry kept, and is gone soon after.
        const windowMs = current.windowMs ?? DEFAULT_WINDOW_TTL_MS;
        return { value: { entries, windowMs }, ttlMs: windowMs, result: undefined };
      }),
    );
  }

  peekWindow(key: string, options: WindowOptions): Promise<WindowState> {
    return guard(async () => {
      const current = await this.kv.get<WindowRecord>(keys.window(key));
      return windowState(prune(current?.entries ?? [], options), options);
    });
  }

  reserveAttempt(key: string, now: number, rules: AttemptRules): Promise<AttemptReservation> {
    return guard(() =>
      this.kv.update<AttemptRecord, AttemptReservation>(keys.attempts(key), (current) => {
        const record = liveAttempts(current, now, rules);
        const { failures, pending } = record;
        if (failures >= rules.free) {
          const retryAt = record.lastFailureAt + rules.delayAfter(failures);
          if (retryAt > now) return { result: { status: 'refused', retryAt } };
          // Past the free failures, one check at a time: each one's outcome decides the next delay.
          if (pending.length > 0) return { result: { status: 'busy' } };
        } else if (failures + pending.length >= rules.free) {
          return { result: { status: 'busy' } };
        }
        const ticket = randomUUID();
        const next = { ...record, pending: [...pending, { at: now, ticket }] };
        return { value: next, ttlMs: attemptTtl(next, now, rules), result: { status: 'allowed', ticket } };
      }),
    );
  }

  settleAttempt(
    key: string,
    ticket: string,
    outcome: AttemptOutcome,
    now: number,
    rules: AttemptRules,
  ): Promise<void> {
    return guard(() =>
      this.kv.update<AttemptRecord, void>(keys.attempts(key), (current) => {
        const record = liveAttempts(current, now, rules);
        const pending = record.pending.filter((entry) => entry.ticket !== ticket);
        let next: AttemptRecord;
        if (outcome === 'success') next = { failures: 0, lastFailureAt: 0, pending };
        else if (outcome === 'failure')
          next = {
            failures: record.failures + 1,
            lastFailureAt: Math.max(now, record.lastFailureAt),
            pending,
          };
        else next = { ...record, pending };
        if (next.failures === 0 && next.pending.length === 0) return { value: null, result: undefined };
        return { value: next, ttlMs: attemptTtl(next, now, rules), result: undefined };
      }),
    );
  }

  clearCounters(counterKeys: string[]): Promise<void> {
    return guard(async () => {
      const stored = counterKeys.flatMap((key) => [keys.window(key), keys.attempts(key)]);
      await Promise.all(stored.map((key) => this.kv.delete(key)));
    });
  }

  removeExpired(): Promise<number> {
    return guard(async () => {
      let removed = 0;
      for (const prefix of [keys.windowPrefix, keys.attemptsPrefix])
        removed += await this.kv.sweepExpired(prefix);
      return removed;
    });
  }

  appendAudit(event: AuditEvent, options: AuditOptions = {}): Promise<void> {
    const member = event.actor === 'member';
    const keep = member ? MEMBER_AUDIT_KEEP : AUDIT_KEEP;
    const mergeWithinMs = member ? options.mergeWithinMs : undefined;
    return guard(() =>
      this.kv.update<AuditList, void>(
        member ? keys.memberAudit(event.clientId) : keys.audit(event.clientId),
        (current) => {
          const events = current?.events ?? [];
          if (mergeWithinMs !== undefined) {
            const index = events.findIndex((old) => sameKind(old, event));
            const similar = events[index];
            if (similar && event.at - similar.at < mergeWithinMs) {
              const merged = { ...similar, count: (similar.count ?? 1) + 1, lastAt: event.at };
              const rest = events.filter((_, i) => i !== index);
              return { value: { events: [merged, ...rest] }, result: undefined };
            }
          }
          return { value: { events: [event, ...events].slice(0, keep) }, result: undefined };
        },
      ),
    );
  }

  listAudit(clientId: string, limit: number): Promise<AuditEvent[]> {
    return guard(async () => {
      const [staff, member] = await this.kv.getMany<AuditList>([
        keys.audit(clientId),
        keys.memberAudit(clientId),
      ]);
      const latest = (event: AuditEvent) => event.lastAt ?? event.at;
      // Each list is newest first already; a stable sort keeps that order among equal times.
      return [...(staff?.events ?? []), ...(member?.events ?? [])]
        .sort((a, b) => latest(b) - latest(a))
        .slice(0, limit);
    });
  }

  addToOutbox(message: OutboxMessage): Promise<void> {
    return guard(async () => {
      await this.kv.set(keys.outbox(message), message);
      const all = (await this.kv.keys(keys.outboxPrefix)).sort();
      const excess = all.slice(0, Math.max(0, all.length - OUTBOX_KEEP));
      await Promise.all(excess.map((key) => this.kv.delete(key)));
    });
  }

  listOutbox(limit: number): Promise<OutboxMessage[]> {
    return guard(async () => {
      const all = (await this.kv.keys(keys.outboxPrefix)).sort().reverse().slice(0, limit);
      const messages = await this.kv.getMany<OutboxMessage>(all);
      return messages.filter((message): message is OutboxMessage => message !== null);
    });
  }

  clearOutbox(): Promise<void> {
    return guard(async () => {
      const all = await this.kv.keys(keys.outboxPrefix);
      await Promise.all(all.map((key) => this.kv.delete(key)));
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

  close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    return this.kv.close();
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
    const id = written.id;
    // Added again after the write: a parallel write that dropped this tenant may have removed the
    // id after our first add, and checked our record (below) before our write landed.
    for (const tenantId of written.tenants) {
      if (!before.tenants.includes(tenantId)) await this.addMember(tenantId, id);
    }
    const removed = before.tenants.filter((tenantId) => !written.tenants.includes(tenantId));
    if (removed.length === 0) return;
    for (const tenantId of removed) await this.removeMember(tenantId, id);
    // A parallel write may have put the tenant back and added the id before our removal; its
    // record then shows the tenant, and the id goes back in.
    const latest = await this.kv.get<Account>(keys.account(id));
    for (const tenantId of removed) {
      if (latest?.tenants.includes(tenantId)) await this.addMember(tenantId, id);
    }
  }

  private addMember(tenantId: string, id: string): Promise<void> {
    return this.kv.update<MemberList, void>(keys.members(tenantId), (current) => {
      const ids = current?.ids ?? [];
      return { value: ids.includes(id) ? undefined : { ids: [...ids, id] }, result: undefined };
    });
  }

  private removeMember(tenantId: string, id: string): Promise<void> {
    return this.kv.update<MemberList, void>(keys.members(tenantId), (current) => ({
      value: current ? { ids: current.ids.filter((member) => member !== id) } : undefined,
      result: undefined,
    }));
  }
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
