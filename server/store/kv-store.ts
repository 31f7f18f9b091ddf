/**
 * The store over any AtomicKv backend. Every guarantee the flows rely on is built from the
 * backend's atomic primitives: an account is one key written by compare-and-swap on its
 * `revision`, so consuming a link, changing a password and revoking sessions happen together or
 * not at all; rate windows and failure counters are single-key read-modify-writes.
 */
import type { Account, AuditEvent, OutboxMessage, Tenant } from '../domain.js';
import { AppError } from '../errors.js';
import type { AtomicKv } from './atomic-kv.js';
import { KvAuditTrails } from './kv-audit.js';
import type { DirectoryIndex } from './directory-index.js';
import { guard } from './guard.js';
import { InProcessDirectory } from './in-process-directory.js';
import { KvDirectory } from './kv-directory.js';
import { keys, OUTBOX_KEEP } from './kv-keys.js';
import { UniqueIndex, type Claims } from './kv-unique-index.js';
import { exportKv, importKvRecord } from './kv-transfer.js';
import { KvWebhooks } from './kv-webhooks.js';
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

const MAX_ACCOUNT_RETRIES = 100;

interface OutboxSlot {
  n: number;
  message: OutboxMessage;
}
interface SettingBox<T> {
  value: T;
}

/** How often expired counters are swept from backends that do not expire keys themselves. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

export class KvStore implements Store {
  private readonly sweeper: ReturnType<typeof setInterval> | null;
  private legacyCountersRemoved = false;
  private sweeping: Promise<unknown> | null = null;
  private readonly unique: UniqueIndex;
  private readonly directory: KvDirectory;
  readonly webhooks: KvWebhooks;
  private readonly audit: KvAuditTrails;

  /**
   * @param directory the index of the directory: in-process for memory and fs (pass `rebuild` for
   *   a backend whose records outlive the process), the Redis or PostgreSQL one for those.
   */
  constructor(
    private readonly kv: AtomicKv,
    directory: DirectoryIndex = new InProcessDirectory(),
    options: { rebuildDirectory?: boolean } = {},
  ) {
    this.unique = new UniqueIndex(kv);
    this.webhooks = new KvWebhooks(kv);
    this.audit = new KvAuditTrails(kv);
    this.directory = new KvDirectory(kv, directory, options.rebuildDirectory === true);
    // In the background, never on a request.
    this.sweeper = setInterval(() => void this.sweepOnce(), SWEEP_EVERY_MS).unref();
  }

  /**
   * One sweep at a time (on a large fs store one may outlast the interval): expired counters on
   * the backends that do not expire keys themselves, and directory entries a failed update left.
   */
  private sweepOnce(): Promise<unknown> {
    const work = async () => {
      if (this.kv.backend !== 'redis') await this.removeExpired();
      await this.directory.repair();
    };
    this.sweeping ??= work()
      .catch(() => 0)
      .finally(() => (this.sweeping = null));
    return this.sweeping;
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
    return guard(() => this.unique.find(identifier));
  }

  createAccount(account: Account): Promise<Account> {
    return guard(async () => {
      const taken = await this.unique.claimAll(account.id, account, null, account.revision);
      try {
        const created = await this.directory.inStep(
          account.id,
          () => this.kv.setIfAbsent(keys.account(account.id), account),
          (wrote) => (wrote ? account : undefined),
        );
        if (!created) throw new AppError('id_in_use');
        return account;
      } catch (error) {
        await this.unique.giveBack(taken);
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
        const taken = await this.unique.claimAll(id, planned, before, before.revision + 1);
        let written: Account | null;
        try {
          written = await this.directory.inStep(
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
          await this.unique.giveBack(taken);
          throw error;
        }
        if (!written) {
          await this.unique.giveBack(taken);
          continue;
        }
        // The change is in. Tidying the indexes after it must not report it as failed (the caller
        // would believe nothing changed); what a failure here leaves behind is tolerated and
        // repaired by later writers (see `claim`, and the directory's own repair).
        await this.unique.release(before, written).catch(() => undefined);
        return written;
      }
      throw new AppError('conflict');
    });
  }

  searchClients(tenantId: string, query: DirectoryQuery): Promise<DirectoryPage> {
    return guard(() => this.directory.search(tenantId, query));
  }

  countClients(tenantId: string, q?: string): Promise<number> {
    return guard(() => this.directory.count(tenantId, q));
  }

  deleteAccount(id: string): Promise<boolean> {
    return guard(async () => {
      // The trail first: a call that fails after it is retried whole, where a call that failed
      // after the record had gone would answer `false` and leave the trail behind.
      await this.audit.remove(id);
      const removed = await this.directory.inStep(
        id,
        () => this.removeAccountRecord(id),
        (gone) => (gone ? null : undefined),
      );
      if (removed) {
        // Compared by value: once the record is gone a writer may take a value over (see `claim`),
        // and its entry must stay.
        await this.unique.giveBack(removed.entries);
      }
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
      for (const prefix of [keys.windowPrefix, keys.attemptsPrefix, keys.webhookPrefix])
        removed += await this.kv.sweepExpired(prefix);
      return removed;
    });
  }

  removeCounters(counterKeys: string[]): Promise<void> {
    return guard(async () => {
      for (const key of counterKeys)
        await Promise.all([this.kv.delete(keys.window(key)), this.kv.delete(keys.attempts(key))]);
    });
  }

  appendAudit(event: AuditEvent, options: AuditOptions = {}): Promise<void> {
    return guard(() => this.audit.append(event, options));
  }

  listAudit(clientId: string, limit: number): Promise<AuditEvent[]> {
    return guard(() => this.audit.list(clientId, limit));
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
   * Deletes the record of account `id` unless a write lands in between (then reads again), and
   * returns it with the index entries it held, read while it still held them.
   */
  private async removeAccountRecord(id: string): Promise<{ account: Account; entries: Claims } | null> {
    for (let attempt = 0; attempt < MAX_ACCOUNT_RETRIES; attempt++) {
      const account = await this.kv.get<Account>(keys.account(id));
      if (!account) return null;
      const entries = await this.unique.entriesOf(account);
      const removed = await this.kv.update<Account, boolean>(keys.account(id), (current) =>
        current?.revision === account.revision ? { value: null, result: true } : { result: false },
      );
      if (removed) return { account, entries };
    }
    throw new AppError('conflict');
  }
}
