/** Moving a store: what an export holds comes back whole from an import into another store. */
import { expect, it } from 'vitest';
import type { Account } from '../../domain.js';
import type { AttemptRules, Store, StoreRecord } from '../store.js';
import type { SuiteContext } from './context.js';
import { codeOf, idsIn } from './helpers.js';
import { makeAccount, makeAuditEvent, makeLink, makeOutboxMessage, makeTenant, T0 } from './records.js';

const HOUR = 3_600_000;
const rules: AttemptRules = {
  free: 1,
  delayAfter: (failures) => (failures >= 1 ? HOUR : 0),
  memoryMs: 24 * HOUR,
  leaseMs: 30_000,
};

/** The export as a file would carry it: every record through JSON. */
async function exportOf(store: Store): Promise<StoreRecord[]> {
  const records: StoreRecord[] = [];
  for await (const record of store.exportRecords()) records.push(JSON.parse(JSON.stringify(record)));
  return records;
}

async function importAll(store: Store, records: StoreRecord[]): Promise<string[]> {
  const outcomes: string[] = [];
  for (const record of records) outcomes.push(await store.importRecord(record));
  return outcomes;
}

/** One of each kind of record a running server writes. */
async function fillSource(store: Store, now: number): Promise<Account[]> {
  await store.putTenant(makeTenant({ id: 'acme' }));
  await store.putTenant(makeTenant({ id: 'globex', name: 'Globex' }));
  const credential = {
    hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    kind: 'member',
    setAt: T0,
  } as const;
  const accounts = [
    makeAccount({ name: 'Ana Lima', credential, links: [makeLink({ expiresAt: now + HOUR })] }),
    makeAccount({ name: 'Bo Chen', tenants: ['acme', 'globex'], passwordHistory: ['$argon2id$old'] }),
    makeAccount({ name: 'Zoë Ng', email: null, username: 'zoe' }),
  ];
  for (const account of accounts) await store.createAccount(account);
  await store.putSetting('signing-keys', { keys: [{ kid: 'k1', secret: 'not-a-real-secret' }] });
  for (const trail of ['staff', 'member', 'foreign'] as const) {
    await store.appendAudit(makeAuditEvent({ clientId: accounts[0].id, action: 'password.set' }), { trail });
  }
  await store.takeFromWindow(`forgot:${accounts[0].id}`, { limit: 3, windowMs: HOUR, now });
  const reserved = await store.reserveAttempt(`login:${accounts[0].id}`, now, rules);
  if (reserved.status !== 'allowed') throw new Error(`expected allowed, got ${reserved.status}`);
  await store.settleAttempt(`login:${accounts[0].id}`, reserved.ticket, 'failure', now, rules);
  await store.addToOutbox(makeOutboxMessage({ subject: 'first' }));
  await store.addToOutbox(makeOutboxMessage({ subject: 'second' }));
  return accounts;
}

export function transferTests(ctx: SuiteContext): void {
  it('gives back every record an export holds when imported into another store', async () => {
    await ctx.setUp();
    const now = Date.now();
    const accounts = await fillSource(ctx.store, now);
    const records = await exportOf(ctx.store);
    const target = await ctx.another();

    expect(new Set(await importAll(target, records))).toEqual(new Set(['added']));
    for (const account of accounts) expect(await target.getAccount(account.id)).toEqual(account);
    expect((await target.findAccount(accounts[1].email!))?.id).toBe(accounts[1].id);
    expect((await target.findAccount('ZOE'))?.id).toBe(accounts[2].id);
    expect(await idsIn(target, 'acme')).toEqual(accounts.map((account) => account.id));
    expect(await idsIn(target, 'globex')).toEqual([accounts[1].id]);
    expect((await target.searchClients('acme', { q: 'zoe', limit: 5 })).items).toHaveLength(1);
    expect(await target.getTenant('globex')).toEqual(await ctx.store.getTenant('globex'));
    expect(await target.getSetting('signing-keys')).toEqual(await ctx.store.getSetting('signing-keys'));
    expect(await target.listAudit(accounts[0].id, 10)).toEqual(await ctx.store.listAudit(accounts[0].id, 10));
    expect(await target.listAudit(accounts[0].id, 10)).toHaveLength(3);
    expect((await target.listOutbox(10)).map((mail) => mail.subject)).toEqual(['second', 'first']);
    // The counters carry on: one of three forgot mails used, the failed login's delay still on.
    const forgot = { limit: 3, windowMs: HOUR, now: Date.now() };
    expect(await target.peekWindow(`forgot:${accounts[0].id}`, forgot)).toMatchObject({ used: 1 });
    expect(await target.reserveAttempt(`login:${accounts[0].id}`, Date.now(), rules)).toEqual({
      status: 'refused',
      retryAt: now + HOUR,
    });
    // And they still expire when they would have.
    const counters = records.filter((record) => record.kind === 'record' && record.expiresAt !== null);
    expect(counters).toHaveLength(2);
    for (const counter of counters) {
      const expiresAt = (counter as { expiresAt: number }).expiresAt;
      expect(expiresAt).toBeGreaterThan(now + HOUR - 10_000);
      expect(expiresAt).toBeLessThanOrEqual(now + 24 * HOUR + 10_000);
    }
  });

  it('imports the same export twice into the same store: the export wins, nothing doubles', async () => {
    await ctx.setUp();
    const accounts = await fillSource(ctx.store, Date.now());
    const records = await exportOf(ctx.store);
    const target = await ctx.another();
    await importAll(target, records);
    // Changed on the target meanwhile: the export's version comes back, the new email is freed.
    await target.updateAccount(accounts[1].id, (current) => ({ ...current, email: 'moved@example.com' }));
    await target.appendAudit(makeAuditEvent({ clientId: accounts[0].id }));

    const outcomes = await importAll(target, records);
    expect(outcomes.filter((outcome) => outcome === 'replaced')).toHaveLength(accounts.length);
    expect(await target.getAccount(accounts[1].id)).toMatchObject({ email: accounts[1].email });
    expect(await target.findAccount('moved@example.com')).toBeNull();
    expect(await target.listAudit(accounts[0].id, 10)).toEqual(await ctx.store.listAudit(accounts[0].id, 10));
    expect(await target.countClients('acme')).toBe(accounts.length);
    expect(await target.listOutbox(10)).toHaveLength(2);
  });

  it('refuses an account whose email belongs to another, a record no store keeps; skips what has expired', async () => {
    await ctx.setUp();
    const taken = await ctx.store.createAccount(makeAccount({ email: 'taken@example.com' }));
    const newcomer = makeAccount({ email: 'TAKEN@example.com' });
    expect(await codeOf(ctx.store.importRecord({ kind: 'account', account: newcomer }))).toBe('email_in_use');
    expect(await ctx.store.getAccount(newcomer.id)).toBeNull();
    expect((await ctx.store.findAccount('taken@example.com'))?.id).toBe(taken.id);

    const forged = {
      kind: 'record',
      key: 'index:email:taken@example.com',
      value: { id: 'x' },
      expiresAt: null,
    } as const;
    expect(await codeOf(ctx.store.importRecord(forged))).toBe('invalid_request');
    expect((await ctx.store.findAccount('taken@example.com'))?.id).toBe(taken.id);

    const past = {
      kind: 'record',
      key: 'window:gone',
      value: { entries: [], windowMs: 1 },
      expiresAt: Date.now() - 1,
    } as const;
    expect(await ctx.store.importRecord(past)).toBe('expired');
    expect(await ctx.store.peekWindow('gone', { limit: 1, windowMs: HOUR, now: Date.now() })).toMatchObject({
      used: 0,
    });
  });
}
