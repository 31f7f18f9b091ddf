/** The store contract for tenants and accounts: uniqueness, atomic updates, deletion, tenant membership. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import type { Account } from '../../domain.js';
import { codeOf, codes, consumeFirstLink, idsIn } from './helpers.js';
import { makeAccount, makeAuditEvent, makeLink, makeTenant, T0 } from './records.js';
import type { SuiteContext } from './context.js';

export function accountTests(ctx: SuiteContext): void {
  let store: Store;
  const setUp = async (): Promise<void> => {
    await ctx.setUp();
    store = ctx.store;
  };

  describe('tenants and accounts', () => {
    it('puts and gets tenants', async () => {
      await setUp();
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
      const tenant = 'ß'.repeat(200);
      const account = await store.createAccount(makeAccount({ id, email, username, tenants: [tenant] }));
      expect(await store.getAccount(id)).toEqual(account);
      expect((await store.searchClients(tenant, { q: 'üüü', limit: 5 })).items.map((a) => a.id)).toEqual([
        id,
      ]);
      expect(await store.countClients(tenant)).toBe(1);
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
      // Enough events that older ones are kept in pages apart from the newest.
      for (let i = 0; i < 120; i++)
        await store.appendAudit(makeAuditEvent({ clientId: gone.id, at: T0 + i }));
      await store.appendAudit(makeAuditEvent({ clientId: gone.id, actor: 'staff:desk-1', tenantId: 'acme' }));
      await store.appendAudit(makeAuditEvent({ clientId: kept.id }));

      expect(await store.deleteAccount(gone.id)).toBe(true);
      expect(await store.getAccount(gone.id)).toBeNull();
      expect(await store.findAccount('gone@example.com')).toBeNull();
      expect(await store.findAccount('gone_1')).toBeNull();
      expect(await store.listAudit(gone.id, 50)).toEqual([]);
      const left: string[] = [];
      for await (const record of store.exportRecords())
        if (record.kind === 'record' && record.key.includes(gone.id)) left.push(record.key);
      expect(left).toEqual([]);
      expect(await idsIn(store, 'acme')).toEqual([kept.id]);
      expect(await idsIn(store, 'beta')).toEqual([]);
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
        expect(await idsIn(store, 't1')).toEqual(after?.tenants.includes('t1') ? [a.id] : []);
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
      expect((await idsIn(store, 't1')).sort()).toEqual([a.id, b.id].sort());
      await store.updateAccount(a.id, (current) => ({ ...current, tenants: ['t2'] }));
      expect(await idsIn(store, 't1')).toEqual([b.id]);
      expect((await idsIn(store, 't2')).sort()).toEqual([a.id, b.id].sort());
      expect(await idsIn(store, 't3')).toEqual([]);
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
}
