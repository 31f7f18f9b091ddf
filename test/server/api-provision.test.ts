/** Provisioning (server to server): tenants (name, locale, reset URL, staff-password setting) and clients (tenant membership). */
import { afterEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  OTHER_TENANT,
  PROVISION_KEY,
  TENANT,
  tokenFromMail,
  type TestApp,
} from '../helpers/app.js';
import {
  expectError,
  getSummary,
  json,
  login,
  NEW_PASSWORD,
  OLD_PASSWORD,
  type Summary,
} from './api-staff-helpers.js';

let t: TestApp;
afterEach(() => t.close());

const key = { Authorization: `Bearer ${PROVISION_KEY}` };
const putTenant = (tid: string, body: unknown, headers: Record<string, string> = key) =>
  t.put(`/api/provision/tenants/${tid}`, body, headers);
const putClient = (id: string, body: unknown, headers: Record<string, string> = key) =>
  t.put(`/api/provision/clients/${id}`, body, headers);

async function listIds(tid: string): Promise<string[]> {
  const res = await t.get('/api/admin/clients', await t.asStaff({ tid }));
  expect(res.status).toBe(200);
  return (await json<{ items: Summary[] }>(res)).items.map((item) => item.id);
}

describe('PUT /api/provision/tenants/:tid', () => {
  it('201 on creation, 200 on update; the name and the French locale shape the mails', async () => {
    t = await createTestApp();
    const created = await putTenant(TENANT, { name: 'Studio Lumière', locale: 'fr' });
    expect(created.status).toBe(201);
    expect(await json<Record<string, unknown>>(created)).toMatchObject({
      id: TENANT,
      name: 'Studio Lumière',
      locale: 'fr',
    });

    const account = await t.seedClient({
      name: 'Chloé Martin',
      email: 'chloe@example.com',
      password: OLD_PASSWORD,
    });
    const staff = await t.asStaff({ tid: TENANT });
    expect((await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff)).status).toBe(202);
    const [mail] = await t.mailsTo('chloe@example.com');
    expect(mail.subject).toBe('Réinitialisation de votre mot de passe Studio Lumière');
    expect(mail.from).toContain('Studio Lumière');
    expect(mail.text).toContain('Bonjour Chloé Martin');

    const updated = await putTenant(TENANT, { name: 'Studio Lumière Paris', locale: 'fr' });
    expect(updated.status).toBe(200);
    expect(await json<Record<string, unknown>>(updated)).toMatchObject({
      id: TENANT,
      name: 'Studio Lumière Paris',
    });
    t.clock.advance(1000);
    await t.post(`/api/admin/clients/${account.id}/invite`, undefined, staff);
    const [welcome] = await t.mailsTo('chloe@example.com');
    expect(welcome.kind).toBe('invite');
    expect(welcome.subject).toContain('Bienvenue chez Studio Lumière Paris');

    // Back to English.
    await putTenant(TENANT, { name: 'Studio Light', locale: 'en' });
    t.clock.advance(1000);
    await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff);
    expect((await t.mailsTo('chloe@example.com'))[0].subject).toBe('Reset your Studio Light password');
  });

  it("the tenant's resetUrl is the base of its links (token in the fragment), and the link works", async () => {
    t = await createTestApp();
    expect(
      (await putTenant(TENANT, { name: 'Cove Gym', resetUrl: 'https://members.cove.example/account/reset' }))
        .status,
    ).toBe(201);
    const account = await t.seedClient({
      name: 'Ari Dune',
      email: 'ari@example.com',
      password: OLD_PASSWORD,
    });
    await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, await t.asStaff());
    const [mail] = await t.mailsTo('ari@example.com');
    expect(mail.text).toContain('https://members.cove.example/account/reset#token=');
    expect((await t.post('/api/reset', { token: tokenFromMail(mail), password: NEW_PASSWORD })).status).toBe(
      200,
    );
    expect((await login(t, 'ari@example.com', NEW_PASSWORD)).result).toBe('ok');
  });

  it("the tenant's minPasswordLength applies to passwords its staff set", async () => {
    t = await createTestApp();
    await putTenant(TENANT, { name: 'Strict Studio', minPasswordLength: 20 });
    const account = await t.seedClient({
      name: 'Ivo Strand',
      email: 'ivo@example.com',
      password: OLD_PASSWORD,
    });
    const staff = await t.asStaff({ tid: TENANT });
    const refused = await expectError(
      await t.post(
        `/api/admin/clients/${account.id}/password`,
        { mode: 'custom', password: 'quiet-harbor-7', delivery: 'none' },
        staff,
      ),
      422,
      'password_rejected',
    );
    expect(refused.error.rules).toContain('min_length');
    const ok = await t.post(
      `/api/admin/clients/${account.id}/password`,
      { mode: 'custom', password: 'quiet-harbor-lantern-seventy', delivery: 'none' },
      staff,
    );
    expect(ok.status).toBe(200);
  });

  it('400 invalid_request for a bad body, and nothing is created', async () => {
    t = await createTestApp();
    await expectError(await putTenant(TENANT, {}), 400, 'invalid_request');
    await expectError(await putTenant(TENANT, { name: '' }), 400, 'invalid_request');
    await expectError(await putTenant(TENANT, { name: 'X', locale: 'it' }), 400, 'invalid_request');
    await expectError(
      await putTenant(TENANT, { name: 'X', resetUrl: 'https://x.example/reset#token=' }),
      400,
      'invalid_request',
    );
    await expectError(
      await putTenant(TENANT, { name: 'X', staffPasswords: 'always' }),
      400,
      'invalid_request',
    );
    await expectError(await putTenant(TENANT, { name: 'X', owner: 'me' }), 400, 'invalid_request');
    await expectError(
      await t.request('PUT', `/api/provision/tenants/${TENANT}`, {
        rawBody: '{"name":',
        headers: { ...key, 'Content-Type': 'application/json' },
      }),
      400,
      'invalid_request',
    );
    expect((await putTenant(TENANT, { name: 'Now Valid' })).status).toBe(201);
  });
});

describe('PUT /api/provision/clients/:id', () => {
  it('201 then 200 with the summary; the tenants array decides who sees the client', async () => {
    t = await createTestApp();
    const created = await putClient('crm-42', {
      name: 'Yara Holm',
      email: 'yara@example.com',
      username: 'yholm',
      tenants: [TENANT, OTHER_TENANT],
    });
    expect(created.status).toBe(201);
    const body = await json<Summary>(created);
    expect(body).toMatchObject({
      id: 'crm-42',
      name: 'Yara Holm',
      email: 'yara@example.com',
      username: 'yholm',
      status: 'invited',
      tenantCount: 2,
    });
    expect(body.capabilities).toBeDefined();
    expect(await listIds(TENANT)).toEqual(['crm-42']);
    expect(await listIds(OTHER_TENANT)).toEqual(['crm-42']);
    // Shared: staff of either tenant cannot know its password.
    const staffA = await t.asStaff({ tid: TENANT });
    expect((await getSummary(t, 'crm-42', staffA)).capabilities.customPassword).toBe(false);

    const updated = await putClient('crm-42', {
      name: 'Yara Holm-Berg',
      email: 'yara@example.com',
      username: 'yholm',
      tenants: [OTHER_TENANT],
    });
    expect(updated.status).toBe(200);
    expect(await json<Summary>(updated)).toMatchObject({
      id: 'crm-42',
      name: 'Yara Holm-Berg',
      tenantCount: 1,
    });

    // Removed from TENANT: its staff now get 404 everywhere, and the list no longer shows it.
    expect(await listIds(TENANT)).toEqual([]);
    await expectError(await t.get('/api/admin/clients/crm-42', staffA), 404, 'not_found');
    await expectError(
      await t.post('/api/admin/clients/crm-42/reset-link', undefined, staffA),
      404,
      'not_found',
    );
    await expectError(
      await t.post('/api/admin/clients/crm-42/password', { mode: 'random', delivery: 'email' }, staffA),
      404,
      'not_found',
    );
    expect(await t.mailsTo('yara@example.com')).toEqual([]);

    // The remaining tenant sees it, now as its own client only.
    const staffB = await t.asStaff({ tid: OTHER_TENANT });
    const summary = await getSummary(t, 'crm-42', staffB);
    expect(summary).toMatchObject({ name: 'Yara Holm-Berg', tenantCount: 1 });
    expect(summary.capabilities.customPassword).toBe(true);
    expect(await listIds(OTHER_TENANT)).toEqual(['crm-42']);
  });

  it('a provisioned client can be invited by its staff and log in by email or username', async () => {
    t = await createTestApp();
    await putClient('crm-7', {
      name: 'Zoe Kent',
      email: 'zoe@example.com',
      username: 'zkent',
      tenants: [TENANT],
    });
    const staff = await t.asStaff({ tid: TENANT });
    expect((await t.post('/api/admin/clients/crm-7/invite', undefined, staff)).status).toBe(202);
    const [mail] = await t.mailsTo('zoe@example.com');
    expect((await t.post('/api/reset', { token: tokenFromMail(mail), password: NEW_PASSWORD })).status).toBe(
      200,
    );
    expect((await login(t, 'zkent', NEW_PASSWORD)).result).toBe('ok');
    expect((await login(t, 'zoe@example.com', NEW_PASSWORD)).result).toBe('ok');

    // loginEnabled from the integrator takes effect.
    await putClient('crm-7', {
      name: 'Zoe Kent',
      email: 'zoe@example.com',
      username: 'zkent',
      tenants: [TENANT],
      loginEnabled: false,
    });
    expect((await login(t, 'zkent', NEW_PASSWORD)).result).toBe('account_disabled');
  });

  it('re-provisioning keeps the password, and the change shows in the audit trail', async () => {
    t = await createTestApp();
    await t.seedClient({ id: 'crm-5', name: 'Old Name', email: 'five@example.com', password: OLD_PASSWORD });
    const res = await putClient('crm-5', { name: 'New Name', email: 'five@example.com', tenants: [TENANT] });
    expect(res.status).toBe(200);
    expect(await json<Summary>(res)).toMatchObject({ name: 'New Name', status: 'active' });
    expect((await login(t, 'five@example.com', OLD_PASSWORD)).result).toBe('ok');
    const events = await json<{ items: Array<{ actor: string; outcome: string }> }>(
      await t.get('/api/admin/clients/crm-5/events', await t.asStaff({ tid: TENANT })),
    );
    expect(events.items.some((event) => event.actor === 'provisioning' && event.outcome === 'ok')).toBe(true);
  });

  it('a client that becomes shared loses a password staff know, but keeps one they never saw', async () => {
    t = await createTestApp();
    const known = await t.seedClient({ email: 'known@example.com', tenants: [TENANT] });
    const unseen = await t.seedClient({ email: 'unseen@example.com', tenants: [TENANT] });
    const staff = await t.asStaff({ tid: TENANT });
    const shown = await json<{ password: string }>(
      await t.post(`/api/admin/clients/${known.id}/password`, { mode: 'random', delivery: 'display' }, staff),
    );
    expect(
      (await t.post(`/api/admin/clients/${unseen.id}/password`, { mode: 'random', delivery: 'email' }, staff))
        .status,
    ).toBe(200);
    const mailed = (await t.mailsTo('unseen@example.com'))[0].text.match(/Password: (\S+)/)?.[1];
    expect(mailed).toBeTruthy();

    for (const account of [known, unseen]) {
      const res = await putClient(account.id, {
        name: account.name,
        email: account.email,
        tenants: [TENANT, OTHER_TENANT],
      });
      expect(res.status).toBe(200);
    }
    // Staff of studio-a saw this password: it no longer opens an account studio-b relies on.
    expectError(
      await t.post('/api/login', { identifier: 'known@example.com', password: shown.password }),
      401,
      'invalid_credentials',
    );
    expect((await getSummary(t, known.id, staff)).status).toBe('invited');
    // The member gets back in through the mailbox, which no staff control.
    await t.post('/api/forgot', { identifier: 'known@example.com' });
    const token = tokenFromMail((await t.mailsTo('known@example.com'))[0]);
    expect((await t.post('/api/reset', { token, password: NEW_PASSWORD })).status).toBe(200);
    expect(
      await json<{ status: string }>(
        await t.post('/api/login', { identifier: 'known@example.com', password: NEW_PASSWORD }),
      ),
    ).toMatchObject({ status: 'ok' });
    // A random password that went straight to the mailbox stays valid.
    expect(
      await json<{ status: string }>(
        await t.post('/api/login', { identifier: 'unseen@example.com', password: mailed! }),
      ),
    ).toMatchObject({
      status: 'password_change_required',
    });
  });

  it('409 email_in_use when another client holds the address', async () => {
    t = await createTestApp();
    await putClient('crm-1', { name: 'First One', email: 'same@example.com', tenants: [TENANT] });
    const res = await putClient('crm-2', {
      name: 'Second One',
      email: 'same@example.com',
      tenants: [OTHER_TENANT],
    });
    await expectError(res, 409, 'email_in_use');
    expect(await listIds(OTHER_TENANT)).toEqual([]);
  });

  it('400 invalid_request for a bad body, and nothing is created', async () => {
    t = await createTestApp();
    await expectError(await putClient('crm-9', { name: 'No Tenants' }), 400, 'invalid_request');
    await expectError(await putClient('crm-9', { name: 'Empty', tenants: [] }), 400, 'invalid_request');
    await expectError(await putClient('crm-9', { name: 'Wrong', tenants: TENANT }), 400, 'invalid_request');
    await expectError(await putClient('crm-9', { tenants: [TENANT] }), 400, 'invalid_request');
    await expectError(
      await putClient('crm-9', { name: 'Extra', tenants: [TENANT], credential: { hash: 'x' } }),
      400,
      'invalid_request',
    );
    await expectError(
      await putClient('crm-9', { name: 'Extra', tenants: [TENANT], password: NEW_PASSWORD }),
      400,
      'invalid_request',
    );
    expect(await listIds(TENANT)).toEqual([]);
  });
});

describe('provisioning key', () => {
  it('401 with a wrong or missing key, and nothing is written', async () => {
    t = await createTestApp();
    const wrong: Array<Record<string, string>> = [
      { Authorization: 'Bearer wrong-key' },
      { Authorization: `Bearer ${PROVISION_KEY}x` },
      {},
      { Authorization: PROVISION_KEY },
    ];
    for (const headers of wrong) {
      await expectError(
        await putTenant(TENANT, { name: 'Hijack', locale: 'fr' }, headers),
        401,
        'unauthorized',
      );
      await expectError(
        await putClient('crm-x', { name: 'Hijack', tenants: [TENANT] }, headers),
        401,
        'unauthorized',
      );
    }
    // A staff token is not the provisioning key either.
    await expectError(
      await putClient('crm-x', { name: 'Hijack', tenants: [TENANT] }, await t.asStaff()),
      401,
      'unauthorized',
    );
    expect(await listIds(TENANT)).toEqual([]);
    expect((await putTenant(TENANT, { name: 'Real' })).status).toBe(201);
  });

  it('404 not_found when PROVISION_API_KEY is not configured', async () => {
    t = await createTestApp({ configure: (config) => ({ ...config, provisionApiKey: undefined }) });
    await expectError(await putTenant(TENANT, { name: 'Anything' }), 404, 'not_found');
    await expectError(await putClient('crm-1', { name: 'Anything', tenants: [TENANT] }), 404, 'not_found');
    await expectError(
      await putClient('crm-1', { name: 'Anything', tenants: [TENANT] }, {}),
      404,
      'not_found',
    );
    expect(await listIds(TENANT)).toEqual([]);
  });
});
