/**
 * The email and username index of the key-value store: one entry per value, naming the account
 * that holds it, so no two accounts ever hold one value. An account write claims its new values
 * before it lands and releases the old ones after; a crash in between leaves a stale claim, which
 * lookups ignore (the account record is the truth) and the next writer takes over.
 */
import type { Account } from '../domain.js';
import { AppError } from '../errors.js';
import { normaliseIdentifier } from '../identifiers.js';
import type { AtomicKv } from './atomic-kv.js';
import { keys } from './kv-keys.js';

const MAX_CLAIM_ATTEMPTS = 200;
/**
 * How long a claim whose record write has not landed is honoured. Such a write normally lands
 * within milliseconds; an older one was left by a crash and may be taken over.
 */
const CLAIM_LEASE_MS = 30_000;

export type UniqueCode = 'email_in_use' | 'username_in_use';

/**
 * Owner of a unique email or username. `rev` is the revision the owner's record will have once
 * the write that needs the value lands, so other writers can tell a claim whose write is still
 * on its way (never to be taken over) from one left by a write that lost, failed or crashed.
 * Entries without `rev`/`at` (older data) count as settled.
 */
export interface IndexEntry {
  id: string;
  rev?: number;
  at?: number;
}

/** Entries one write took, to give back if it fails. */
export type Claims = Array<[string, IndexEntry]>;

/**
 * Read in an account's place when a name is unknown: shaped and sized like a typical account
 * record (a few hundred bytes), so the store does the same work for it. Holds nothing real.
 */
const ACCOUNT_STAND_IN = {
  id: '00000000-0000-0000-0000-000000000000',
  name: 'Stand-in record',
  email: 'stand-in@stand-in.invalid',
  username: null,
  tenants: ['stand-in'],
  loginEnabled: false,
  emailConfirmed: false,
  credential: { hash: '-'.repeat(97), kind: 'member', setAt: 0 },
  passwordHistory: ['-'.repeat(97)],
  sessionVersion: 0,
  links: [],
  createdAt: 0,
  updatedAt: 0,
  revision: 0,
} satisfies Account;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class UniqueIndex {
  /** The stand-in record's write, made with this process's first account write. */
  private standInWritten: Promise<void> | null = null;

  constructor(private readonly kv: AtomicKv) {}

  /**
   * The account an email or username (normalised) belongs to, by its index entry. Both entries
   * are read in one call, and one account-sized record is read whether or not either exists, so
   * a known email, a known username and an unknown name cost the same round trips and reads
   * (enumeration timing).
   */
  async find(identifier: string): Promise<Account | null> {
    const wanted = normaliseIdentifier(identifier);
    if (!wanted) return null;
    const entries = await this.kv.getMany<IndexEntry>([keys.email(wanted), keys.username(wanted)], {
      equalWork: true,
    });
    // An email index entry wins over a username one: login accepts the main email or the username.
    const owners = [...new Set(entries.flatMap((entry) => (entry ? [entry.id] : [])))];
    if (owners.length === 0) {
      await this.kv.get(keys.accountStandIn, { equalWork: true });
      return null;
    }
    for (const id of owners) {
      const account = await this.kv.get<Account>(keys.account(id), { equalWork: true });
      // An index entry left behind by an interrupted write points at an account that no longer
      // carries that value; it is ignored here and reclaimed by the next writer.
      if (account && (matches(account.email, wanted) || matches(account.username, wanted))) {
        return account;
      }
    }
    return null;
  }

  /**
   * Writes the stand-in record if it is missing, once a process, with an account write: a lookup
   * never writes (a store refusing writes would slow unknown names only), and a store without
   * accounts has no name to tell apart. A failure is tried again with the next account write.
   */
  private writeStandIn(): Promise<void> {
    return (this.standInWritten ??= this.kv.setIfAbsent(keys.accountStandIn, ACCOUNT_STAND_IN).then(
      () => undefined,
      () => {
        this.standInWritten = null;
      },
    ));
  }

  /** The unique values an account holds, as index keys, with the error another holder gets. */
  keysOf(account: Account): Array<[string, UniqueCode]> {
    const result: Array<[string, UniqueCode]> = [];
    if (account.email) result.push([keys.email(account.email), 'email_in_use']);
    if (account.username) result.push([keys.username(account.username), 'username_in_use']);
    return result;
  }

  /**
   * Claims every value `planned` holds that `before` did not, for account `id` whose record will
   * have revision `rev` once written. On a refusal, what this call took is given back first (only
   * that: with a duplicate id, an entry found may be the existing account's own).
   */
  async claimAll(id: string, planned: Account, before: Account | null, rev: number): Promise<Claims> {
    await this.writeStandIn();
    const held = before ? this.keysOf(before).map(([key]) => key) : [];
    const taken: Claims = [];
    try {
      for (const [key, code] of this.keysOf(planned)) {
        if (held.includes(key)) continue;
        const claim = await this.claim(key, id, code, rev);
        if (claim !== 'held') taken.push([key, claim]);
      }
      return taken;
    } catch (error) {
      await this.giveBack(taken);
      throw error;
    }
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

  /** The entries of the account's values that name it, read while its record still holds them. */
  async entriesOf(account: Account): Promise<Claims> {
    const entries: Claims = [];
    for (const [key] of this.keysOf(account)) {
      const entry = await this.kv.get<IndexEntry>(key);
      if (entry?.id === account.id) entries.push([key, entry]);
    }
    return entries;
  }

  /** Gives back entries, compared by value so a takeover by someone else stays. */
  async giveBack(taken: Claims): Promise<void> {
    await Promise.all(taken.map(([key, entry]) => this.kv.deleteIfEquals(key, entry)));
  }

  /** After an account write: releases the values it gave up. */
  async release(before: Account, written: Account): Promise<void> {
    const kept = this.keysOf(written).map(([key]) => key);
    const released = this.keysOf(before).filter(([key]) => !kept.includes(key));
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
