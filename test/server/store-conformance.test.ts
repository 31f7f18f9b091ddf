/** One behaviour for every storage backend: the Store guarantees the flows rely on, under concurrency. */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../../server/domain.js';
import { AppError, type ErrorCode } from '../../server/errors.js';
import { createStore } from '../../server/store/create-store.js';
import { createFsKv } from '../../server/store/fs-kv.js';
import { KvStore } from '../../server/store/kv-store.js';
import { createMemoryKv } from '../../server/store/memory-kv.js';
import { createRedisKv } from '../../server/store/redis-kv.js';
import type { AtomicKv } from '../../server/store/atomic-kv.js';
import type { AttemptOutcome, AttemptReservation, AttemptRules, Store } from '../../server/store/store.js';
import {
  T0,
  makeAccount,
  makeAuditEvent,
  makeLink,
  makeOutboxMessage,
  makeTenant,
} from '../helpers/records.js';
import { startRedis, type RedisHandle } from '../helpers/redis-server.js';

type Backend = 'memory' | 'fs' | 'redis';

let redis: RedisHandle | null = null;
const cleanups: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  // Newest first: stores close before their folders go.
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'store-conformance-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function track(store: Store): Store {
  cleanups.push(() => store.close());
  return store;
}

/** What a fresh, empty store of a backend needs; `open` gives a store (again) on the same data. */
interface Place {
  open(): Store;
  /** The backend itself on the same data, to see (and plant) records as stored. */
  raw(): AtomicKv;
  /** The keys the backend holds under a prefix, as stored (to see what expired). */
  rawKeys(prefix: string): Promise<string[]>;
}

function withRawKeys(place: Omit<Place, 'rawKeys'>): Place {
  return { ...place, rawKeys: (prefix) => place.raw().keys(prefix) };
}

async function freshPlace(backend: Backend): Promise<Place> {
  if (backend === 'memory') {
    const kv = createMemoryKv();
    const store = new KvStore(kv);
    return withRawKeys({ open: () => track(store), raw: () => kv });
  }
  if (backend === 'fs') {
    const dataDir = await tempDir();
    return withRawKeys({
      open: () => track(createStore({ storage: 'fs', dataDir })),
      raw: () => createFsKv(dataDir),
    });
  }
  // A key prefix per test keeps tests apart on the shared server.
  const redisBase = `test-${randomUUID()}`;
  return withRawKeys({
    open: () => track(createStore({ storage: 'redis', redisUrl: redis!.url, redisBase })),
    raw: () => {
      const kv = createRedisKv(redis!.url, { base: redisBase });
      cleanups.push(() => kv.close());
      return kv;
    },
  });
}

/** The error code a rejected promise carries (fails the test if it resolves). */
async function codeOf(promise: Promise<unknown>): Promise<ErrorCode> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected a rejection');
}

function codes(results: PromiseSettledResult<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const key =
      result.status === 'fulfilled'
        ? 'ok'
        : result.reason instanceof AppError
          ? result.reason.code
          : String(result.reason);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The change a link consumption makes: exactly-once is what a reset link promises. */
function consumeFirstLink(current: Account): Account {
  const [link, ...rest] = current.links;
  if (!link || link.state !== 'active') throw new AppError('link_used');
  return {
    ...current,
    links: [{ ...link, state: 'used', endedAt: T0 }, ...rest],
    sessionVersion: current.sessionVersion + 1,
  };
}

describe.each<Backend>(['memory', 'fs', 'redis'])('Store on %s', (backend) => {
  let store: Store;
  let place: Place;

  async function setUp(): Promise<void> {
    place = await freshPlace(backend);
    store = place.open();
  }

  async function rawCounterKeys(): Promise<string[]> {
    return [...(await place.rawKeys('window')), ...(await place.rawKeys('attempts'))];
  }

  describe('tenants and accounts', () => {
    it('puts and gets tenants', async () => {
      await setUp();
      expect(store.backend).toBe(backend);
      expect(await store.getTenant('acme')).toBeNull();
      const tenant = makeTenant({ brand: { primaryColor: '#123456' } });
      await store.putTenant(tenant);
      expect(await store.getTenant('acme')).toEqual(tenant);
      await store.putTenant({ ...tenant, name: 'Acme Ltd' });
      expect((await store.getTenant('acme'))?.name).toBe('Acme Ltd');
    });

    it('creates accounts and finds them by email or username, case-insensitively and after NFKC', async () => {
      await setUp();
      const account = makeAccount({ id: '123', email: 'Alice.Martin@Example.com', username: 'Alice_M' });
      expect(await store.createAccount(account)).toEqual(account);
      // A numeric-looking id stays a string (values are stored as objects, never bare).
      expect(await store.getAccount('123')).toEqual(account);
      expect(await store.findAccount('alice.martin@EXAMPLE.COM')).toEqual(account);
      expect(await store.findAccount('  ALICE_m ')).toEqual(account);
      // Full-width letters and low line fold to ASCII under NFKC.
      expect(await store.findAccount('ＡＬＩＣＥ＿Ｍ')).toEqual(account);
      expect(await store.findAccount('nobody@example.com')).toBeNull();
      expect(await store.findAccount('   ')).toBeNull();
      expect(await store.getAccount('missing')).toBeNull();
    });

    it('keeps accounts whose id, email and username are as long as the API allows', async () => {
      await setUp();
      const email = `${'a'.repeat(64)}.${'b'.repeat(60)}@${'c'.repeat(60)}.${'d'.repeat(60)}.example.com`;
      const username = 'ü'.repeat(100);
      const id = 'é'.repeat(200);
      const account = await store.createAccount(makeAccount({ id, email, username }));
      expect(await store.getAccount(id)).toEqual(account);
      expect((await store.findAccount(email.toUpperCase()))?.id).toBe(id);
      expect((await store.findAccount(username))?.id).toBe(id);
      const other = await store.createAccount(makeAccount({ email: email.replace(/^a/, 'z') }));
      expect((await store.findAccount(other.email!))?.id).toBe(other.id);
      const key = `login:${id}:${email}:2001:db8::/64`;
      const window = { limit: 1, windowMs: 60_000, now: T0 };
      expect((await store.takeFromWindow(key, window)).allowed).toBe(true);
      expect((await store.takeFromWindow(key, window)).allowed).toBe(false);
      await store.appendAudit(makeAuditEvent({ clientId: id }));
      expect(await store.listAudit(id, 10)).toHaveLength(1);
    });

    it('keeps ids with characters that are special to keys apart', async () => {
      await setUp();
      const odd = makeAccount({ id: '../a:b/c %2E', email: null, username: 'odd' });
      const plain = makeAccount({ id: 'a', email: null, username: 'plain' });
      await store.createAccount(odd);
      await store.createAccount(plain);
      expect(await store.getAccount('../a:b/c %2E')).toEqual(odd);
      expect(await store.getAccount('a')).toEqual(plain);
      expect(await store.findAccount('odd')).toEqual(odd);
    });

    it('refuses a duplicate id, email or username and leaves the first account untouched', async () => {
      await setUp();
      const first = makeAccount({ email: 'first@example.com', username: 'first' });
      await store.createAccount(first);

      // Same id and even the same email: refused, and the first keeps its email index.
      expect(
        await codeOf(store.createAccount(makeAccount({ id: first.id, email: 'first@example.com' }))),
      ).toBe('id_in_use');
      expect(await codeOf(store.createAccount(makeAccount({ id: first.id, username: 'first' })))).toBe(
        'id_in_use',
      );
      expect(await codeOf(store.createAccount(makeAccount({ email: 'FIRST@example.com' })))).toBe(
        'email_in_use',
      );
      const second = makeAccount({ email: 'second@example.com', username: 'FIRST' });
      expect(await codeOf(store.createAccount(second))).toBe('username_in_use');

      expect(await store.getAccount(first.id)).toEqual(first);
      expect(await store.findAccount('first@example.com')).toEqual(first);
      expect(await store.findAccount('first')).toEqual(first);
      expect(await store.getAccount(second.id)).toBeNull();
      // The refused account's email was released again: someone else can take it.
      const third = makeAccount({ email: 'second@example.com' });
      await store.createAccount(third);
      expect(await store.findAccount('second@example.com')).toEqual(third);
    });

    it('lets exactly one of 20 parallel creates with the same email win', async () => {
      await setUp();
      const contenders = Array.from({ length: 20 }, () => makeAccount({ email: 'same@example.com' }));
      const results = await Promise.allSettled(contenders.map((account) => store.createAccount(account)));
      expect(codes(results)).toEqual({ ok: 1, email_in_use: 19 });
      const winner = contenders[results.findIndex((result) => result.status === 'fulfilled')]!;
      expect(await store.findAccount('same@example.com')).toEqual(winner);
      const created = await Promise.all(contenders.map((account) => store.getAccount(account.id)));
      expect(created.filter(Boolean)).toHaveLength(1);
    });

    it('deletes an account: its email and username are free again, its audit and memberships are gone', async () => {
      await setUp();
      const gone = await store.createAccount(
        makeAccount({ email: 'Gone@example.com', username: 'Gone_1', tenants: ['acme', 'beta'] }),
      );
      const kept = await store.createAccount(makeAccount({ tenants: ['acme'] }));
      await store.appendAudit(makeAuditEvent({ clientId: gone.id }));
      await store.appendAudit(makeAuditEvent({ clientId: kept.id }));

      expect(await store.deleteAccount(gone.id)).toBe(true);
      expect(await store.getAccount(gone.id)).toBeNull();
      expect(await store.findAccount('gone@example.com')).toBeNull();
      expect(await store.findAccount('gone_1')).toBeNull();
      expect(await store.listAudit(gone.id, 50)).toEqual([]);
      expect((await store.listTenantAccounts('acme')).map((account) => account.id)).toEqual([kept.id]);
      expect(await store.listTenantAccounts('beta')).toEqual([]);
      // Someone else takes the email and username at once; the same id can be used again too.
      const other = await store.createAccount(makeAccount({ email: 'gone@EXAMPLE.com', username: 'GONE_1' }));
      expect(await store.findAccount('gone@example.com')).toEqual(other);
      expect(await store.findAccount('gone_1')).toEqual(other);
      const again = await store.createAccount(makeAccount({ id: gone.id, email: 'back@example.com' }));
      expect(await store.getAccount(gone.id)).toEqual(again);
      expect(await store.listAudit(kept.id, 50)).toHaveLength(1);
      expect(await store.getAccount(kept.id)).toEqual(kept);

      expect(await store.deleteAccount('missing')).toBe(false);
      expect(await codeOf(store.updateAccount('missing', (current) => current))).toBe('not_found');
    });

    it('deletes an account that parallel writes keep changing, and leaves no index entry behind', async () => {
      await setUp();
      const account = await store.createAccount(makeAccount({ email: 'busy@example.com', username: 'busy' }));
      const writes = Array.from({ length: 10 }, (_, i) =>
        store.updateAccount(account.id, (current) => ({ ...current, name: `Busy ${i}` })),
      );
      const [deleted, ...results] = await Promise.allSettled([store.deleteAccount(account.id), ...writes]);
      expect(deleted).toEqual({ status: 'fulfilled', value: true });
      // Each write landed before the delete or found the account gone.
      expect(Object.keys(codes(results)).filter((code) => code !== 'ok' && code !== 'not_found')).toEqual([]);
      expect(await store.getAccount(account.id)).toBeNull();
      const next = await store.createAccount(makeAccount({ email: 'busy@example.com', username: 'busy' }));
      expect(await store.findAccount('busy')).toEqual(next);
    });
  });

  describe('updateAccount', () => {
    it('returns the new record with revision + 1', async () => {
      await setUp();
      const account = await store.createAccount(makeAccount());
      const updated = await store.updateAccount(account.id, (current) => ({ ...current, name: 'Renamed' }));
      expect(updated).toEqual({ ...account, name: 'Renamed', revision: account.revision + 1 });
      expect(await store.getAccount(account.id)).toEqual(updated);
      const again = await store.updateAccount(account.id, (current) => ({ ...current, loginEnabled: false }));
      expect(again.revision).toBe(account.revision + 2);
    });

    it('writes nothing when the change refuses', async () => {
      await setUp();
      const account = await store.createAccount(makeAccount({ links: [makeLink({ state: 'used' })] }));
      expect(await codeOf(store.updateAccount(account.id, consumeFirstLink))).toBe('link_used');
      expect(await store.getAccount(account.id)).toEqual(account);
    });

    it('moves the email index with the email and frees the old address', async () => {
      await setUp();
      const a = await store.createAccount(makeAccount({ email: 'old@example.com' }));
      const updated = await store.updateAccount(a.id, (current) => ({
        ...current,
        email: 'New@example.com',
      }));
      expect(await store.findAccount('new@example.com')).toEqual(updated);
      expect(await store.findAccount('old@example.com')).toBeNull();
      const b = await store.createAccount(makeAccount({ email: 'old@example.com' }));
      expect(await store.findAccount('old@example.com')).toEqual(b);
      expect(await store.findAccount('new@example.com')).toEqual(updated);
    });

    it('refuses an email or username that another account has, changing nothing', async () => {
      await setUp();
      const a = await store.createAccount(makeAccount({ email: 'a@example.com', username: 'anna' }));
      const b = await store.createAccount(makeAccount({ email: 'b@example.com', username: 'bert' }));
      expect(
        await codeOf(
          store.updateAccount(a.id, (current) => ({ ...current, name: 'X', email: 'B@example.com' })),
        ),
      ).toBe('email_in_use');
      expect(
        await codeOf(
          store.updateAccount(a.id, (current) => ({ ...current, email: 'a2@example.com', username: 'BERT' })),
        ),
      ).toBe('username_in_use');
      expect(await store.getAccount(a.id)).toEqual(a);
      expect(await store.getAccount(b.id)).toEqual(b);
      expect(await store.findAccount('b@example.com')).toEqual(b);
      expect(await store.findAccount('a@example.com')).toEqual(a);
      // The address claimed for the refused change was released.
      const c = await store.createAccount(makeAccount({ email: 'a2@example.com' }));
      expect(await store.findAccount('a2@example.com')).toEqual(c);
    });

    it('keeps the email index when parallel updates of one account all move it to the same address', async () => {
      await setUp();
      const a = await store.createAccount(makeAccount({ email: 'before@example.com' }));
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) =>
          store.updateAccount(a.id, (current) => ({ ...current, email: 'after@example.com', name: `n${i}` })),
        ),
      );
      expect(codes(results)).toEqual({ ok: 20 });
      const after = await store.getAccount(a.id);
      expect(after?.revision).toBe(20);
      expect(await store.findAccount('after@example.com')).toEqual(after);
      expect(await store.findAccount('before@example.com')).toBeNull();
      // Still unique: nobody else can take it.
      expect(await codeOf(store.createAccount(makeAccount({ email: 'after@example.com' })))).toBe(
        'email_in_use',
      );
    });

    it('lets exactly one of several accounts moving to the same address win', async () => {
      await setUp();
      const accounts = await Promise.all(
        Array.from({ length: 10 }, () => store.createAccount(makeAccount())),
      );
      const results = await Promise.allSettled(
        accounts.map((account) =>
          store.updateAccount(account.id, (current) => ({ ...current, email: 'one@example.com' })),
        ),
      );
      expect(codes(results)).toEqual({ ok: 1, email_in_use: 9 });
      const winner = (
        results.find((result) => result.status === 'fulfilled') as PromiseFulfilledResult<Account>
      ).value;
      expect(await store.findAccount('one@example.com')).toEqual(winner);
      const holders = (await Promise.all(accounts.map((account) => store.getAccount(account.id)))).filter(
        (account) => account?.email === 'one@example.com',
      );
      expect(holders).toHaveLength(1);
    });

    it('keeps tenant lists right when parallel updates add and remove the same tenant', async () => {
      await setUp();
      const a = await store.createAccount(makeAccount({ tenants: ['base'] }));
      // Each update flips membership of `t1`; whatever order they land in, the list must agree with the record.
      await Promise.allSettled(
        Array.from({ length: 30 }, () =>
          store.updateAccount(a.id, (current) => ({
            ...current,
            tenants: current.tenants.includes('t1')
              ? current.tenants.filter((t) => t !== 't1')
              : [...current.tenants, 't1'],
          })),
        ),
      );
      for (let round = 0; round < 5; round++) {
        await Promise.all([
          store.updateAccount(a.id, (current) => ({ ...current, tenants: ['base'] })),
          store.updateAccount(a.id, (current) => ({ ...current, tenants: ['base', 't1'] })),
        ]);
        const after = await store.getAccount(a.id);
        const listed = (await store.listTenantAccounts('t1')).map((account) => account.id);
        expect(listed).toEqual(after?.tenants.includes('t1') ? [a.id] : []);
      }
    });

    it('throws not_found for a missing account', async () => {
      await setUp();
      expect(await codeOf(store.updateAccount('missing', (current) => current))).toBe('not_found');
    });

    it('keeps tenant membership in step with `tenants`', async () => {
      await setUp();
      const a = await store.createAccount(makeAccount({ tenants: ['t1'] }));
      const b = await store.createAccount(makeAccount({ tenants: ['t1', 't2'] }));
      expect((await store.listTenantAccounts('t1')).map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
      await store.updateAccount(a.id, (current) => ({ ...current, tenants: ['t2'] }));
      expect((await store.listTenantAccounts('t1')).map((x) => x.id)).toEqual([b.id]);
      expect((await store.listTenantAccounts('t2')).map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
      expect(await store.listTenantAccounts('t3')).toEqual([]);
    });

    it('consumes a link exactly once under 50 parallel attempts', async () => {
      await setUp();
      const account = await store.createAccount(makeAccount({ links: [makeLink()] }));
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, () => store.updateAccount(account.id, consumeFirstLink)),
      );
      expect(codes(results)).toEqual({ ok: 1, link_used: 49 });
      const after = await store.getAccount(account.id);
      expect(after?.links[0]?.state).toBe('used');
      expect(after?.sessionVersion).toBe(1);
      expect(after?.revision).toBe(account.revision + 1);
    });

    it('loses no write under 100 parallel increments', async () => {
      await setUp();
      const account = await store.createAccount(makeAccount());
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, () =>
          store.updateAccount(account.id, (current) => ({
            ...current,
            sessionVersion: current.sessionVersion + 1,
          })),
        ),
      );
      expect(codes(results)).toEqual({ ok: 100 });
      const after = await store.getAccount(account.id);
      expect(after?.sessionVersion).toBe(100);
      expect(after?.revision).toBe(100);
    });
  });

  describe('rate windows and attempt counters', () => {
    const windowMs = 60_000;

    it('allows exactly `limit` of 20 parallel takes', async () => {
      await setUp();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.takeFromWindow('resend:c-1', { limit: 5, windowMs, now: T0 })),
      );
      const allowed = results.filter((take) => take.allowed);
      expect(allowed).toHaveLength(5);
      expect(new Set(allowed.map((take) => take.ticket)).size).toBe(5);
      for (const refused of results.filter((take) => !take.allowed)) {
        expect(refused).toMatchObject({ ticket: null, remaining: 0, used: 5, retryAt: T0 + windowMs });
      }
      expect(await store.peekWindow('resend:c-1', { limit: 5, windowMs, now: T0 })).toEqual({
        used: 5,
        remaining: 0,
        retryAt: T0 + windowMs,
      });
    });

    it('reports when the oldest entry leaves, lets old entries fall out and gives back one place', async () => {
      await setUp();
      const key = 'login:anna';
      const at = (offset: number) => ({ limit: 3, windowMs, now: T0 + offset });
      const first = await store.takeFromWindow(key, at(0));
      expect(first).toMatchObject({ allowed: true, used: 1, remaining: 2, retryAt: null });
      await store.takeFromWindow(key, at(10_000));
      const third = await store.takeFromWindow(key, at(20_000));
      expect(third).toMatchObject({ allowed: true, used: 3, remaining: 0, retryAt: T0 + windowMs });
      expect(await store.takeFromWindow(key, at(30_000))).toMatchObject({
        allowed: false,
        retryAt: T0 + windowMs,
      });
      expect(await store.peekWindow(key, at(30_000))).toEqual({
        used: 3,
        remaining: 0,
        retryAt: T0 + windowMs,
      });

      // Giving back the newest frees exactly its place, not the others.
      await store.giveBackToWindow(key, third.ticket!);
      expect(await store.peekWindow(key, at(30_000))).toEqual({ used: 2, remaining: 1, retryAt: null });
      await store.giveBackToWindow(key, 'not-a-ticket');
      expect(await store.peekWindow(key, at(30_000))).toMatchObject({ used: 2 });
      expect(await store.takeFromWindow(key, at(30_000))).toMatchObject({ allowed: true, used: 3 });

      // Once the first entry is older than the window, one place is free again.
      expect(await store.peekWindow(key, at(windowMs))).toEqual({ used: 2, remaining: 1, retryAt: null });
      expect(await store.takeFromWindow(key, at(windowMs))).toMatchObject({ allowed: true, used: 3 });
      expect(await store.peekWindow(key, at(10 * windowMs))).toEqual({
        used: 0,
        remaining: 3,
        retryAt: null,
      });
      expect(await store.peekWindow('never-used', at(0))).toEqual({ used: 0, remaining: 3, retryAt: null });
    });

    /** Three free failures, then 1 s, 2 s, 4 s …; failures remembered a day, places held 30 s. */
    const rules: AttemptRules = {
      free: 3,
      delayAfter: (failures) => (failures < 3 ? 0 : 1000 * 2 ** (failures - 3)),
      memoryMs: 24 * 3_600_000,
      leaseMs: 30_000,
    };
    const reserve = (key: string, now = T0) => store.reserveAttempt(key, now, rules);
    const settle = (key: string, ticket: string, outcome: AttemptOutcome, now = T0) =>
      store.settleAttempt(key, ticket, outcome, now, rules);
    const ticketOf = (reservation: AttemptReservation) => {
      if (reservation.status !== 'allowed') throw new Error(`expected allowed, got ${reservation.status}`);
      return reservation.ticket;
    };

    it('lets exactly the free places through a parallel burst; the rest are busy, never refused', async () => {
      await setUp();
      const burst = await Promise.all(Array.from({ length: 20 }, () => reserve('login:anna')));
      expect(burst.filter((r) => r.status === 'allowed')).toHaveLength(3);
      expect(burst.filter((r) => r.status === 'busy')).toHaveLength(17);
      // Right passwords settle: their places are free again and nothing was counted.
      await Promise.all(
        burst.map((r) => (r.status === 'allowed' ? settle('login:anna', r.ticket, 'success') : null)),
      );
      const again = await Promise.all(Array.from({ length: 3 }, () => reserve('login:anna')));
      expect(again.every((r) => r.status === 'allowed')).toBe(true);
    });

    it('counts failures exactly under parallel settles, then refuses until each growing delay ends', async () => {
      await setUp();
      const tickets = (await Promise.all(Array.from({ length: 3 }, () => reserve('login:cara')))).map(
        ticketOf,
      );
      await Promise.all(tickets.map((ticket) => settle('login:cara', ticket, 'failure', T0 + 10)));
      expect(await reserve('login:cara', T0 + 10)).toEqual({ status: 'refused', retryAt: T0 + 10 + 1000 });
      expect(await reserve('login:cara', T0 + 1009)).toMatchObject({ status: 'refused' });
      // Past the free failures, one check at a time: a second one waits for the first.
      const fourth = ticketOf(await reserve('login:cara', T0 + 1010));
      expect(await reserve('login:cara', T0 + 1010)).toEqual({ status: 'busy' });
      await settle('login:cara', fourth, 'failure', T0 + 1010);
      expect(await reserve('login:cara', T0 + 2000)).toEqual({
        status: 'refused',
        retryAt: T0 + 1010 + 2000,
      });
      // A success clears the count; a cancelled check counts nothing.
      const fifth = ticketOf(await reserve('login:cara', T0 + 3010));
      await settle('login:cara', fifth, 'success', T0 + 3010);
      const next = ticketOf(await reserve('login:cara', T0 + 3010));
      await settle('login:cara', next, 'cancelled', T0 + 3010);
      const burst = await Promise.all(Array.from({ length: 3 }, () => reserve('login:cara', T0 + 3010)));
      expect(burst.every((r) => r.status === 'allowed')).toBe(true);
    });

    it('frees a place held past its lease, and forgets failures after the counter window', async () => {
      await setUp();
      const held = await Promise.all(Array.from({ length: 3 }, () => reserve('login:dora')));
      expect(held.every((r) => r.status === 'allowed')).toBe(true);
      // The server that held them crashed: after the lease they count no more.
      expect(await reserve('login:dora', T0 + 29_999)).toEqual({ status: 'busy' });
      const late = ticketOf(await reserve('login:dora', T0 + 30_000));
      for (let i = 0; i < 3; i++)
        await settle(
          'login:dora',
          i === 0 ? late : ticketOf(await reserve('login:dora', T0 + 30_000)),
          'failure',
          T0 + 30_000,
        );
      expect(await reserve('login:dora', T0 + 30_000)).toMatchObject({ status: 'refused' });
      expect(await reserve('login:dora', T0 + 30_000 + rules.memoryMs)).toMatchObject({ status: 'allowed' });
    });

    it('clears windows and attempt counters by key, and nothing else', async () => {
      await setUp();
      const options = { limit: 5, windowMs, now: T0 };
      for (const key of ['mail:c-1', 'mail:c-10']) await store.takeFromWindow(key, options);
      for (const key of ['check:c-1', 'check:c-10']) {
        for (let i = 0; i < 3; i++) await settle(key, ticketOf(await reserve(key)), 'failure');
      }
      await store.clearCounters(['mail:c-1', 'check:c-1']);
      expect(await store.peekWindow('mail:c-1', options)).toMatchObject({ used: 0 });
      expect(await reserve('check:c-1')).toMatchObject({ status: 'allowed' });
      // Keys that merely start like a cleared key stay.
      expect(await store.peekWindow('mail:c-10', options)).toMatchObject({ used: 1 });
      expect(await reserve('check:c-10')).toMatchObject({ status: 'refused' });
    });

    it('every counter expires with its window: nothing is left in the backend afterwards', async () => {
      await setUp();
      const now = Date.now();
      const short = { ...rules, memoryMs: 80, leaseMs: 80 };
      for (let i = 0; i < 10; i++) {
        await store.takeFromWindow(`forgot:${i}`, { limit: 5, windowMs: 80, now });
        const reserved = await store.reserveAttempt(`login:${i}`, now, short);
        await store.settleAttempt(`login:${i}`, ticketOf(reserved), 'failure', now, short);
      }
      const kept = await store.takeFromWindow('kept', { limit: 5, windowMs: 3_600_000, now });
      expect(kept.allowed).toBe(true);
      expect((await rawCounterKeys()).length).toBe(21);
      await new Promise((resolve) => setTimeout(resolve, 200));
      await store.removeExpired();
      expect(await rawCounterKeys()).toEqual([expect.stringContaining('kept')]);
      expect(await store.peekWindow('kept', { limit: 5, windowMs: 3_600_000, now })).toMatchObject({
        used: 1,
      });
    });

    it('removes counters of earlier versions, which had no time to live, on its first sweep', async () => {
      await setUp();
      const now = Date.now();
      const raw = place.raw();
      // The old login throttle's failure records, and windows stored without their length.
      await raw.set('failures:login%3Aanna', { count: 3, lastAt: now - 1000 });
      await raw.set('window:old', { entries: [{ at: now - 2 * 24 * 3_600_000, ticket: 't1' }] });
      await raw.set('window:recent', { entries: [{ at: now - 1000, ticket: 't2' }] });
      await store.removeExpired();
      expect(await place.rawKeys('failures')).toEqual([]);
      expect(await place.rawKeys('window')).toEqual([expect.stringContaining('recent')]);
      // The recent one still counts, and now expires with the longest window.
      expect(await store.peekWindow('recent', { limit: 5, windowMs: 3_600_000, now })).toMatchObject({
        used: 1,
      });
    });
  });

  describe('audit, outbox and settings', () => {
    it('lists audit events newest first, per client, bounded by the limit', async () => {
      await setUp();
      const events = Array.from({ length: 5 }, (_, i) => makeAuditEvent({ clientId: 'c-1', at: T0 + i }));
      for (const event of events) await store.appendAudit(event);
      await store.appendAudit(makeAuditEvent({ clientId: 'c-2' }));
      expect(await store.listAudit('c-1', 3)).toEqual([events[4], events[3], events[2]]);
      expect(await store.listAudit('c-1', 50)).toHaveLength(5);
      expect(await store.listAudit('c-2', 50)).toHaveLength(1);
      expect(await store.listAudit('c-3', 50)).toEqual([]);
    });

    it('member traffic never pushes staff events out; repeats within a window are one record with a count', async () => {
      await setUp();
      const staff = makeAuditEvent({ clientId: 'c-1', actor: 'staff:desk-1', tenantId: 'acme', at: T0 });
      await store.appendAudit(staff);
      for (let i = 1; i <= 600; i++) {
        await store.appendAudit(
          makeAuditEvent({ clientId: 'c-1', actor: 'member', at: T0 + i, action: 'login' }),
        );
      }
      // Another company's lookups go on a trail of their own, bounded too.
      for (let i = 1; i <= 150; i++) {
        const lookup = makeAuditEvent({
          clientId: 'c-1',
          actor: 'staff:elsewhere',
          at: T0 + i,
          action: 'client.match',
        });
        await store.appendAudit(lookup, { trail: 'foreign' });
      }
      const all = await store.listAudit('c-1', 1000);
      expect(all).toContainEqual(staff);
      expect(all.filter((event) => event.actor === 'member').length).toBeLessThanOrEqual(200);
      expect(all.filter((event) => event.action === 'client.match')).toHaveLength(100);

      const dropped = (at: number) =>
        makeAuditEvent({
          clientId: 'c-2',
          at,
          action: 'reset_link.request',
          outcome: 'refused',
          detail: { reason: 'rate_limited' },
        });
      for (let i = 0; i < 50; i++)
        await store.appendAudit(dropped(T0 + i * 1000), { mergeWithinMs: 3_600_000 });
      await store.appendAudit(dropped(T0 + 3_600_000), { mergeWithinMs: 3_600_000 });
      const merged = await store.listAudit('c-2', 10);
      expect(merged).toHaveLength(2);
      expect(merged[0]).toMatchObject({ at: T0 + 3_600_000 });
      expect(merged[0].count ?? 1).toBe(1);
      expect(merged[1]).toMatchObject({ at: T0, count: 50, lastAt: T0 + 49_000 });
    });

    it('answers a ping', async () => {
      await setUp();
      await expect(store.ping()).resolves.toBeUndefined();
    });

    it('lists the outbox newest first', async () => {
      await setUp();
      const messages = Array.from({ length: 3 }, (_, i) => makeOutboxMessage({ at: T0 + i * 1000 }));
      for (const message of messages) await store.addToOutbox(message);
      expect(await store.listOutbox(2)).toEqual([messages[2], messages[1]]);
      expect(await store.listOutbox(10)).toEqual([messages[2], messages[1], messages[0]]);
    });

    it('empties the outbox and keeps taking new mail', async () => {
      await setUp();
      for (let i = 0; i < 3; i++) await store.addToOutbox(makeOutboxMessage({ at: T0 + i }));
      await store.clearOutbox();
      expect(await store.listOutbox(10)).toEqual([]);
      await store.clearOutbox();
      const next = makeOutboxMessage({ at: T0 + 10 });
      await store.addToOutbox(next);
      expect(await store.listOutbox(10)).toEqual([next]);
    });

    it('keeps the first setting under parallel setSettingIfAbsent', async () => {
      await setUp();
      expect(await store.getSetting('signing-key')).toBeNull();
      const [a, b] = await Promise.all([
        store.setSettingIfAbsent('signing-key', { k: 'one' }),
        store.setSettingIfAbsent('signing-key', { k: 'two' }),
      ]);
      expect(a).toEqual(b);
      expect(await store.getSetting('signing-key')).toEqual(a);
      expect(await store.setSettingIfAbsent('signing-key', { k: 'three' })).toEqual(a);
      await store.putSetting('signing-key', { k: 'rotated' });
      expect(await store.getSetting('signing-key')).toEqual({ k: 'rotated' });
      // A string setting that looks like a number stays a string.
      expect(await store.setSettingIfAbsent('pepper', '0123')).toBe('0123');
      expect(await store.getSetting('pepper')).toBe('0123');
    });
  });

  if (backend === 'fs') {
    describe('fs only', () => {
      it('survives a reopen on the same folder', async () => {
        const dataDir = await tempDir();
        const first = createStore({ storage: 'fs', dataDir });
        const account = await first.createAccount(makeAccount({ email: 'kept@example.com' }));
        await first.takeFromWindow('w', { limit: 2, windowMs: 1000, now: T0 });
        await first.close();
        const second = track(createStore({ storage: 'fs', dataDir }));
        expect(await second.getAccount(account.id)).toEqual(account);
        expect(await second.findAccount('KEPT@example.com')).toEqual(account);
        expect(await second.peekWindow('w', { limit: 2, windowMs: 1000, now: T0 })).toMatchObject({
          used: 1,
        });
      });

      it('ignores leftover temp files and sweeps stale ones on start', async () => {
        const dataDir = await tempDir();
        const first = createStore({ storage: 'fs', dataDir });
        const message = makeOutboxMessage();
        await first.addToOutbox(message);
        await first.close();
        await mkdir(join(dataDir, 'outbox'), { recursive: true });
        const fresh = join(dataDir, 'outbox', `.x.json.999.abc.tmp`);
        const stale = join(dataDir, 'outbox', `.y.json.999.def.tmp`);
        await writeFile(fresh, '{"half":');
        await writeFile(stale, '{"half":');
        const old = new Date(Date.now() - 3_600_000);
        await utimes(stale, old, old);

        const kv = createFsKv(dataDir);
        expect((await kv.keys('')).filter((key) => key.includes('tmp'))).toEqual([]);
        expect(await kv.keys('outbox')).toHaveLength(1);
        const second = track(createStore({ storage: 'fs', dataDir }));
        expect(await second.listOutbox(10)).toEqual([message]);
        await kv.close();
        await expect(stat(stale)).rejects.toMatchObject({ code: 'ENOENT' });
        // A recent one may be a write in progress of another process shutting down: left alone.
        expect((await stat(fresh)).isFile()).toBe(true);
      });

      it('refuses keys that would leave the folder', async () => {
        const kv = createFsKv(await tempDir());
        cleanups.push(() => kv.close());
        await expect(kv.set('a:..:b', { x: 1 })).rejects.toThrow();
        await expect(kv.get('..:x')).rejects.toThrow();
        await expect(kv.set('a:.hidden', { x: 1 })).rejects.toThrow();
      });

      it('never leaves a half-written record when the writer is killed with SIGKILL', async () => {
        const dataDir = await tempDir();
        const script = fileURLToPath(new URL('../helpers/fs-write-loop.ts', import.meta.url));
        const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        cleanups.push(async () => {
          child.kill('SIGKILL');
          await exited;
        });
        await new Promise<void>((resolve, reject) => {
          child.stdout.on('data', (chunk: Buffer) => {
            if (chunk.toString().includes('writing')) resolve();
          });
          void exited.then(() => reject(new Error(`writer exited early: ${stderr}`)));
        });
        // Let it write for a while, then kill it at an arbitrary point.
        await new Promise((resolve) => setTimeout(resolve, 150 + Math.random() * 150));
        child.kill('SIGKILL');
        await exited;

        const files = await readdir(join(dataDir, 'crash'));
        const records = files.filter((name) => name.endsWith('.json') && !name.startsWith('.'));
        expect(records.sort()).toEqual(['record-0.json', 'record-1.json', 'record-2.json', 'record-3.json']);
        for (const name of records) {
          const parsed = JSON.parse(await readFile(join(dataDir, 'crash', name), 'utf8')) as {
            round: number;
          };
          expect(parsed.round).toBeGreaterThan(0);
        }
        const kv = createFsKv(dataDir);
        cleanups.push(() => kv.close());
        const keys = await kv.keys('crash');
        expect(keys.sort()).toEqual(['crash:record-0', 'crash:record-1', 'crash:record-2', 'crash:record-3']);
        for (const key of keys)
          expect(await kv.get<{ i: number }>(key)).toMatchObject({ i: Number(key.slice(-1)) });
      });
    });
  }

  if (backend === 'redis') {
    describe('redis only', () => {
      it('stays exactly-once across two store instances (two server processes)', async () => {
        const redisBase = `test-${randomUUID()}`;
        const one = track(createStore({ storage: 'redis', redisUrl: redis!.url, redisBase }));
        const two = track(createStore({ storage: 'redis', redisUrl: redis!.url, redisBase }));
        const account = await one.createAccount(makeAccount({ links: [makeLink()] }));
        expect(await two.getAccount(account.id)).toEqual(account);

        const consumes = await Promise.allSettled(
          Array.from({ length: 50 }, (_, i) =>
            (i % 2 ? one : two).updateAccount(account.id, consumeFirstLink),
          ),
        );
        expect(codes(consumes)).toEqual({ ok: 1, link_used: 49 });

        const takes = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            (i % 2 ? one : two).takeFromWindow('resend:x', { limit: 5, windowMs: 60_000, now: T0 }),
          ),
        );
        expect(takes.filter((take) => take.allowed)).toHaveLength(5);

        const increments = await Promise.allSettled(
          Array.from({ length: 40 }, (_, i) =>
            (i % 2 ? one : two).updateAccount(account.id, (current) => ({
              ...current,
              passwordHistory: [...current.passwordHistory, String(i)],
            })),
          ),
        );
        expect(codes(increments)).toEqual({ ok: 40 });
        expect((await one.getAccount(account.id))?.passwordHistory).toHaveLength(40);
      });

      it('fails fast with storage_unavailable while Redis is down and recovers without a restart', async () => {
        // A separate server, so stopping it does not disturb the other tests.
        let own = await startRedis();
        cleanups.push(() => own.stop());
        const store = track(createStore({ storage: 'redis', redisUrl: own.url }));
        await store.putTenant(makeTenant());
        expect(await store.getTenant('acme')).toMatchObject({ id: 'acme' });

        await own.stop();
        for (const call of [
          () => store.getTenant('acme'),
          () => store.takeFromWindow('w', { limit: 1, windowMs: 1000, now: T0 }),
          () => store.createAccount(makeAccount()),
        ]) {
          const started = Date.now();
          expect(await codeOf(call())).toBe('storage_unavailable');
          expect(Date.now() - started).toBeLessThan(2500);
        }

        own = await startRedis({ port: own.port });
        const deadline = Date.now() + 10_000;
        for (;;) {
          try {
            await store.putTenant(makeTenant({ name: 'Back' }));
            break;
          } catch (error) {
            expect(error).toMatchObject({ code: 'storage_unavailable' });
            if (Date.now() > deadline) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
        expect(await store.getTenant('acme')).toMatchObject({ name: 'Back' });
      });
    });
  }
});
