/** The demo data set (every state the panel shows, through the staff API) and its reset, by endpoint and by script. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  DEMO_CLIENTS,
  DEMO_PARTNER_TENANT_ID,
  DEMO_PASSWORD,
  DEMO_TEMPORARY_PASSWORD,
  DEMO_TENANT_ID,
  demoMailbox,
  seedDemo,
} from '../../server/demo-seed.js';
import { createStore } from '../../server/store/create-store.js';
import { DEMO_PROVISION_KEY } from '../../server/config.js';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../helpers/app.js';
import { idsIn } from '../../server/store/conformance/helpers.js';
import { makeAccount, makeOutboxMessage } from '../../server/store/conformance/records.js';
import { expectError, getEvents, getSummary, json, login, type Summary } from './api-staff-helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

let t: TestApp;
afterEach(() => t?.close());

async function demoApp(): Promise<TestApp> {
  t = await createTestApp({ env: { DEMO: '1' } });
  expect(await seedDemo(t.deps)).toBe(true);
  return t;
}

/** A staff token as the demo page gets it. */
async function demoStaff(): Promise<Record<string, string>> {
  const res = await t.post('/api/demo/staff-token', {});
  expect(res.status).toBe(200);
  const { token } = await json<{ token: string }>(res);
  return { Authorization: `Bearer ${token}` };
}

async function listClients(headers: Record<string, string>): Promise<Summary[]> {
  const res = await t.get('/api/admin/clients?limit=200', headers);
  expect(res.status).toBe(200);
  return (await json<{ items: Summary[]; next: string | null }>(res)).items;
}

async function resetDemoData(): Promise<void> {
  const res = await t.post('/api/demo/reset', {});
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true });
}

describe('the demo data set', () => {
  it('seeds about 20 clients covering every state the panel shows, as the staff API reports them', async () => {
    await demoApp();
    const staff = await demoStaff();
    const items = await listClients(staff);
    expect(items.map((item) => item.id).sort()).toEqual(DEMO_CLIENTS.map((seed) => seed.id).sort());
    expect(items.length).toBeGreaterThanOrEqual(18);
    const byId = new Map(items.map((item) => [item.id, item]));
    for (const seed of DEMO_CLIENTS) {
      expect(byId.get(seed.id)).toMatchObject({
        name: seed.name,
        email: seed.email ?? null,
        username: seed.username ?? null,
      });
    }

    const count = (match: (item: Summary) => boolean) => items.filter(match).length;
    expect(
      count((item) => item.status === 'active' && item.loginEnabled && item.emailConfirmed),
    ).toBeGreaterThan(3);
    expect(count((item) => item.status === 'invited')).toBeGreaterThanOrEqual(2);
    const forced = items.filter((item) => item.status === 'force_reset');
    expect(forced.length).toBeGreaterThanOrEqual(1);
    expect(forced.length).toBeLessThanOrEqual(2);
    for (const item of forced)
      expect(item.credential).toMatchObject({ kind: 'temporary', issuedBy: 'front-desk' });
    expect(count((item) => !item.loginEnabled)).toBeGreaterThanOrEqual(1);
    expect(count((item) => item.status === 'active' && !item.emailConfirmed)).toBeGreaterThanOrEqual(1);
    expect(count((item) => item.email === null && item.username !== null)).toBeGreaterThanOrEqual(1);
    expect(items.filter((item) => item.tenantCount === 2).map((item) => item.id)).toEqual(
      expect.arrayContaining(['c-grace', 'c-lucia']),
    );
    expect(count((item) => item.tenantCount === 2)).toBe(2);
    // Believable: accents in names, addresses at example.com and example.org, some usernames.
    expect(items.some((item) => /[À-ÿ]/.test(item.name))).toBe(true);
    const emails = items.flatMap((item) => (item.email ? [item.email] : []));
    expect(emails.every((email) => /@example\.(com|org)$/.test(email))).toBe(true);
    expect(emails.some((email) => email.endsWith('.org'))).toBe(true);
    expect(count((item) => item.username !== null)).toBeGreaterThanOrEqual(4);

    // The history went through the real flow: one place of the budget spent, recorded as the front desk.
    const ines = byId.get('c-ines')!;
    expect(ines).toMatchObject({ resendsLeft: 4, resendsLimit: 5, resendsRetryAt: null });
    expect(byId.get('c-kenji')).toMatchObject({ status: 'invited', resendsLeft: 4 });
    expect(count((item) => item.resendsLeft === 5)).toBe(items.length - 2);
    const events = await getEvents(t, 'c-ines', staff);
    expect(events).toMatchObject([{ actor: 'staff:front-desk', action: 'reset_link.send', outcome: 'ok' }]);
    expect((await getEvents(t, 'c-kenji', staff))[0]).toMatchObject({ action: 'invite.send' });
    // That mail went out before the demo: the demo's mailbox starts empty.
    expect(await t.outbox()).toEqual([]);
  });

  it('keeps the first eight clients exactly as the README documents them', async () => {
    await demoApp();
    const staff = await demoStaff();
    const byId = new Map((await listClients(staff)).map((item) => [item.id, item]));
    expect(
      ['c-alice', 'c-ben', 'c-chloe', 'c-dan', 'c-eva', 'c-farid', 'c-grace', 'c-hugo'].map((id) => {
        const item = byId.get(id)!;
        return [
          id,
          item.name,
          item.email,
          item.username,
          item.status,
          item.loginEnabled,
          item.emailConfirmed,
        ];
      }),
    ).toEqual([
      ['c-alice', 'Alice Martin', 'alice@example.com', 'alice.m', 'active', true, true],
      ['c-ben', 'Ben Okafor', 'ben@example.com', null, 'invited', true, false],
      ['c-chloe', 'Chloé Dubois', 'chloe@example.com', null, 'force_reset', true, true],
      ['c-dan', 'Dan Kim', 'dan@example.com', null, 'active', false, true],
      ['c-eva', 'Eva Rossi', 'eva@example.com', null, 'active', true, false],
      ['c-farid', 'Farid Haddad', null, 'farid_h', 'active', true, true],
      ['c-grace', 'Grace Lee', 'grace@example.com', null, 'active', true, true],
      ['c-hugo', 'Hugo Bernard', 'hugo@example.com', 'hugo_b', 'active', true, true],
    ]);
    expect(byId.get('c-grace')?.tenantCount).toBe(2);
    // The search the README and the process test use still finds one client.
    const res = await t.get('/api/admin/clients?q=alice', staff);
    expect((await json<{ items: Summary[] }>(res)).items.map((item) => item.id)).toEqual(['c-alice']);
  });

  it('lets each kind of client log in as its state says', async () => {
    await demoApp();
    expect((await login(t, 'alice.m', DEMO_PASSWORD)).result).toBe('ok');
    expect((await login(t, 'rosa_j', DEMO_PASSWORD)).result).toBe('ok');
    expect((await login(t, 'Oscar.Nunez@Example.org', DEMO_PASSWORD)).result).toBe('ok');
    expect((await login(t, 'nadia.petrova@example.com', DEMO_TEMPORARY_PASSWORD)).result).toBe(
      'password_change_required',
    );
    expect((await login(t, 'tomasz.kowalski@example.org', DEMO_PASSWORD)).result).toBe('account_disabled');
    expect((await login(t, 'kenji.watanabe@example.org', DEMO_PASSWORD)).result).toBe('invalid_credentials');
    expect((await login(t, 'lucia.romero@example.com', DEMO_PASSWORD, DEMO_PARTNER_TENANT_ID)).result).toBe(
      'ok',
    );
  });

  it('serves the display extras by client id', async () => {
    await demoApp();
    const res = await t.get('/api/demo/clients');
    expect(res.status).toBe(200);
    const { items } = await json<{ items: Array<{ id: string; plan: string; lastVisit: number | null }> }>(
      res,
    );
    expect(items.map((item) => item.id)).toEqual(DEMO_CLIENTS.map((seed) => seed.id));
    expect(items.find((item) => item.id === 'c-alice')).toEqual({
      id: 'c-alice',
      plan: 'Unlimited',
      lastVisit: 1,
    });
    expect(new Set(items.map((item) => item.plan))).toEqual(
      new Set(['Unlimited', '10-class pass', 'Off-peak', 'Personal training', 'Drop-in']),
    );
    // Invited clients never came.
    expect(items.find((item) => item.id === 'c-ben')?.lastVisit).toBeNull();
  });
});

describe('POST /api/demo/reset', () => {
  it('puts back what staff and members changed, removes created clients, empties the outbox, restores budgets', async () => {
    await demoApp();
    const staff = await demoStaff();
    const baseline = await listClients(staff);

    // Staff change Alice's email and password, create a client, spend Inès's budget.
    expect(
      (await t.patch('/api/admin/clients/c-alice', { email: 'alice.new@example.com' }, staff)).status,
    ).toBe(200);
    const set = await t.post(
      '/api/admin/clients/c-alice/password',
      { mode: 'custom', password: GOOD_PASSWORD, delivery: 'none' },
      staff,
    );
    expect(set.status).toBe(200);
    const created = await t.post(
      '/api/admin/clients',
      { name: 'Nina Park', email: 'nina@example.com', username: 'nina_p', credentials: { invite: true } },
      staff,
    );
    expect(created.status).toBe(201);
    const nina = await json<Summary>(created);
    for (let i = 0; i < 4; i++) {
      expect((await t.post('/api/admin/clients/c-ines/reset-link', undefined, staff)).status).toBe(202);
    }
    await expectError(
      await t.post('/api/admin/clients/c-ines/reset-link', undefined, staff),
      429,
      'resend_limit',
    );
    // A member session, and failed logins until the account is slowed down for this address.
    const session = (await login(t, 'hugo_b', DEMO_PASSWORD)).session!;
    let slowed = false;
    for (let i = 0; i < 10 && !slowed; i++) {
      slowed = (await login(t, 'farid_h', 'not-the-password-at-all')).result === 'too_many_attempts';
    }
    expect(slowed).toBe(true);
    expect((await t.outbox()).length).toBeGreaterThan(0);

    await resetDemoData();

    // The staff token minted before still works: the demo staff secret stayed.
    const after = await listClients(staff);
    expect(after.map((item) => [item.id, item.email, item.status, item.resendsLeft])).toEqual(
      baseline.map((item) => [item.id, item.email, item.status, item.resendsLeft]),
    );
    expect((await getSummary(t, 'c-ines', staff)).resendsLeft).toBe(4);
    expect(await getEvents(t, 'c-ines', staff)).toHaveLength(1);
    expect(await getEvents(t, 'c-alice', staff)).toEqual([]);
    expect((await login(t, 'alice@example.com', DEMO_PASSWORD)).result).toBe('ok');
    expect((await login(t, 'alice.m', GOOD_PASSWORD)).result).toBe('invalid_credentials');
    expect((await login(t, 'farid_h', DEMO_PASSWORD)).result).toBe('ok');
    // The demo's mailbox starts afresh (the outbox itself keeps its last 500 mails, as always).
    expect(await json<{ items: unknown[] }>(await t.get('/api/demo/outbox'))).toEqual({ items: [] });
    // The created client is gone, with its audit; its email and username are free again.
    await expectError(await t.get(`/api/admin/clients/${nina.id}`, staff), 404, 'not_found');
    expect(await t.store.listAudit(nina.id, 50)).toEqual([]);
    expect(await t.store.findAccount('alice.new@example.com')).toBeNull();
    const again = await t.post(
      '/api/admin/clients',
      { name: 'Nina Park', email: 'nina@example.com', username: 'nina_p' },
      staff,
    );
    expect(again.status).toBe(201);
    // Sessions issued to demo clients before the reset end with it.
    await expectError(
      await t.get('/api/session', { Authorization: `Bearer ${session}` }),
      401,
      'session_invalid',
    );
  });

  it("never touches another tenant's accounts, sessions or audit; a client shared with one stays theirs", async () => {
    await demoApp();
    const other = await t.seedClient({
      name: 'Yara Holm',
      email: 'yara@example.com',
      tenants: ['studio-2'],
      password: GOOD_PASSWORD,
    });
    const session = (await login(t, 'yara@example.com', GOOD_PASSWORD)).session!;
    expect((await login(t, 'yara@example.com', 'wrong-password-here')).result).toBe('invalid_credentials');
    await t.drain();
    const audit = await t.store.listAudit(other.id, 50);
    expect(audit.length).toBeGreaterThan(0);
    const provision = { Authorization: `Bearer ${DEMO_PROVISION_KEY}` };
    expect((await t.put('/api/provision/tenants/studio-2', { name: 'Studio Two' }, provision)).status).toBe(
      201,
    );
    const shared = await t.put(
      '/api/provision/clients/m-1',
      { name: 'Léa Moreau', email: 'lea@example.com', tenants: [DEMO_TENANT_ID, 'studio-2'] },
      provision,
    );
    expect(shared.status).toBe(201);
    const otherStaff = await t.asStaff({ tid: 'studio-2' });
    const before = await getSummary(t, 'm-1', otherStaff);
    const kept = await t.store.getAccount(other.id);

    await resetDemoData();

    expect(await t.store.getAccount(other.id)).toEqual(kept);
    expect(await t.store.listAudit(other.id, 50)).toEqual(audit);
    expect((await t.get('/api/session', { Authorization: `Bearer ${session}` })).status).toBe(200);
    expect((await login(t, 'yara@example.com', GOOD_PASSWORD)).result).toBe('ok');
    // Léa left the demo studio and stays a client of Studio Two.
    expect((await t.store.getAccount('m-1'))?.tenants).toEqual(['studio-2']);
    expect(await getSummary(t, 'm-1', otherStaff)).toMatchObject({ email: before.email, tenantCount: 1 });
    const ids = (await listClients(await demoStaff())).map((item) => item.id);
    expect(ids).not.toContain('m-1');
    expect(ids).toHaveLength(DEMO_CLIENTS.length);
  });

  it('survives two resets at once and answers only JSON', async () => {
    await demoApp();
    const [a, b] = await Promise.all([t.post('/api/demo/reset', {}), t.post('/api/demo/reset', {})]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await listClients(await demoStaff())).toHaveLength(DEMO_CLIENTS.length);
    await expectError(
      await t.request('POST', '/api/demo/reset', {
        rawBody: '{}',
        headers: { 'Content-Type': 'text/plain' },
      }),
      415,
      'unsupported_media_type',
    );
    await expectError(await t.post('/api/demo/reset', { everything: true }), 400, 'invalid_request');
  });
});

describe('without DEMO', () => {
  it('answers 404 on every /api/demo path', async () => {
    t = await createTestApp();
    await expectError(await t.post('/api/demo/staff-token', {}), 404, 'not_found');
    await expectError(await t.get('/api/demo/outbox'), 404, 'not_found');
    await expectError(await t.get('/api/demo/clients'), 404, 'not_found');
    await expectError(await t.post('/api/demo/reset', {}), 404, 'not_found');
  });
});

describe('npm run demo:reset', () => {
  let dataDir: string | null = null;
  afterEach(async () => {
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    dataDir = null;
  });

  /** Runs the script as `npm run demo:reset` does, on `dataDir`; resolves with its output. */
  function runScript(dir: string): Promise<{ code: number | null; output: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'server/demo-reset.ts'], {
        cwd: root,
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATA_DIR: dir, LOG_LEVEL: 'warn' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('error', reject);
      child.once('exit', (code) => resolve({ code, output }));
    });
  }

  it('resets the fs store of a stopped server and prints one line without secrets', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'demo-reset-'));
    const first = await runScript(dataDir);
    expect(first.code).toBe(0);

    // What a demo session leaves behind: a client staff created, mail, a changed client.
    let store = createStore({ storage: 'fs', dataDir });
    const before = await idsIn(store, DEMO_TENANT_ID);
    const secret = await store.getSetting('demo-staff-secret');
    const keys = await store.getSetting('signing-keys');
    expect(secret && keys).toBeTruthy();
    expect(before).toHaveLength(DEMO_CLIENTS.length);
    await store.createAccount(
      makeAccount({ id: 'c-extra', email: 'extra@example.com', tenants: [DEMO_TENANT_ID] }),
    );
    await store.updateAccount('c-hugo', (current) => ({ ...current, loginEnabled: false }));
    await store.addToOutbox(makeOutboxMessage());
    await store.close();

    const second = await runScript(dataDir);
    expect(second.code).toBe(0);
    const lines = second.output.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('Demo data reset');
    for (const secret of [DEMO_PASSWORD, DEMO_TEMPORARY_PASSWORD, '$argon2'])
      expect(second.output).not.toContain(secret);

    store = createStore({ storage: 'fs', dataDir });
    try {
      expect((await idsIn(store, DEMO_TENANT_ID)).sort()).toEqual(DEMO_CLIENTS.map((seed) => seed.id).sort());
      expect((await store.getAccount('c-hugo'))?.loginEnabled).toBe(true);
      expect(await store.findAccount('extra@example.com')).toBeNull();
      expect(await demoMailbox(store, 10)).toEqual([]);
      // The signing key and the demo staff secret were kept.
      expect(await store.getSetting('demo-staff-secret')).toEqual(secret);
      expect(await store.getSetting('signing-keys')).toEqual(keys);
    } finally {
      await store.close();
    }
  }, 60_000);
});
