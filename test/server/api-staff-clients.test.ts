/** Staff client directory: list and search, the summary, creating clients and editing login settings (API.md, staff rows). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createTestApp,
  GOOD_PASSWORD,
  OTHER_TENANT,
  TENANT,
  tokenFromMail,
  type TestApp,
} from '../helpers/app.js';
import {
  expectError,
  getEvents,
  getSummary,
  json,
  login,
  NEW_PASSWORD,
  OLD_PASSWORD,
  passwordInMail,
  type Summary,
} from './api-staff-helpers.js';

let t: TestApp;
let staff: Record<string, string>;

beforeEach(async () => {
  t = await createTestApp();
  staff = await t.asStaff({ tid: TENANT, sub: 'desk-1' });
});
afterEach(() => t.close());

interface Page {
  items: Summary[];
  next: string | null;
}

async function list(query: string, headers = staff): Promise<Page> {
  const res = await t.get(`/api/admin/clients${query}`, headers);
  expect(res.status).toBe(200);
  return json<Page>(res);
}

describe('GET /api/admin/clients', () => {
  it('searches by name, email and username, case-insensitively, inside the staff tenant only', async () => {
    const alma = await t.seedClient({
      name: 'Alma Quintero',
      email: 'alma.q@example.com',
      username: 'aq_runner',
    });
    const bruno = await t.seedClient({ name: 'Bruno Salas', email: 'bruno@mail.test', username: 'bsalas' });
    await t.seedClient({ name: 'Alma Elsewhere', email: 'alma.else@example.com', tenants: [OTHER_TENANT] });

    const ids = (page: Page) => page.items.map((item) => item.id);
    expect(ids(await list('?q=quint'))).toEqual([alma.id]);
    expect(ids(await list('?q=BRUNO%40MAIL'))).toEqual([bruno.id]);
    expect(ids(await list('?q=aq_run'))).toEqual([alma.id]);
    expect(ids(await list('?q=alma'))).toEqual([alma.id]);
    expect(ids(await list('?q=nobody-by-this-name'))).toEqual([]);

    const all = await list('');
    expect(ids(all).sort()).toEqual([alma.id, bruno.id].sort());
    expect(all.next).toBeNull();
    // Items are summaries.
    expect(all.items.find((item) => item.id === alma.id)).toMatchObject({
      name: 'Alma Quintero',
      email: 'alma.q@example.com',
      username: 'aq_runner',
      tenantCount: 1,
    });

    // The other tenant's staff see only their own client.
    const other = await list('?q=alma', await t.asStaff({ tid: OTHER_TENANT }));
    expect(other.items.map((item) => item.name)).toEqual(['Alma Elsewhere']);
  });

  it('pages with limit and cursor: every client of the tenant exactly once', async () => {
    const seeded = [];
    for (let i = 0; i < 7; i++)
      seeded.push(await t.seedClient({ name: `Client ${String.fromCharCode(71 - i)}${i}` }));
    await t.seedClient({ name: 'Not Mine', tenants: [OTHER_TENANT] });

    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await list(`?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      sizes.push(page.items.length);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.next;
      pages++;
    } while (cursor && pages < 10);

    expect(sizes).toEqual([3, 3, 1]);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect([...seen].sort()).toEqual(seeded.map((account) => account.id).sort());
  });

  it('paging composes with a search', async () => {
    for (let i = 0; i < 5; i++) await t.seedClient({ name: `Marta ${i}` });
    await t.seedClient({ name: 'Zed Other' });
    const first = await list('?q=marta&limit=2');
    expect(first.items).toHaveLength(2);
    const second = await list(`?q=marta&limit=2&cursor=${encodeURIComponent(first.next!)}`);
    const third = await list(`?q=marta&limit=2&cursor=${encodeURIComponent(second.next!)}`);
    expect(third.next).toBeNull();
    const names = [...first.items, ...second.items, ...third.items].map((item) => item.name);
    expect(names.sort()).toEqual(['Marta 0', 'Marta 1', 'Marta 2', 'Marta 3', 'Marta 4']);
  });

  it('refuses a malformed limit or cursor with 400 invalid_request', async () => {
    await expectError(await t.get('/api/admin/clients?limit=0', staff), 400, 'invalid_request');
    await expectError(await t.get('/api/admin/clients?limit=abc', staff), 400, 'invalid_request');
    await expectError(
      await t.get('/api/admin/clients?cursor=%25%25not-a-cursor', staff),
      400,
      'invalid_request',
    );
  });
});

describe('GET /api/admin/clients/:id', () => {
  it('returns the summary of an active client', async () => {
    const account = await t.seedClient({
      name: 'Dana Holt',
      email: 'dana@example.com',
      username: 'dholt',
      password: OLD_PASSWORD,
    });
    const summary = await getSummary(t, account.id, staff);
    expect(summary).toMatchObject({
      id: account.id,
      name: 'Dana Holt',
      email: 'dana@example.com',
      username: 'dholt',
      status: 'active',
      loginEnabled: true,
      emailConfirmed: true,
      tenantCount: 1,
      resendsLeft: 5,
      capabilities: {
        customPassword: true,
        randomPassword: true,
        temporaryPassword: true,
        resetLink: true,
        invite: true,
      },
      reasons: {},
    });
    for (const key of [
      'customPassword',
      'randomPassword',
      'temporaryPassword',
      'resetLink',
      'invite',
    ] as const) {
      expect(typeof summary.capabilities[key]).toBe('boolean');
    }
    // Nothing secret in a summary.
    expect(JSON.stringify(summary)).not.toMatch(/argon2|hash|passwordHistory|links/i);
  });

  it('shows invited (no password yet), and explains what is unavailable and why', async () => {
    const invited = await t.seedClient({ name: 'New Person' });
    expect((await getSummary(t, invited.id, staff)).status).toBe('invited');

    const shared = await t.seedClient({
      name: 'Shared Sam',
      tenants: [TENANT, OTHER_TENANT],
      password: OLD_PASSWORD,
    });
    const sharedSummary = await getSummary(t, shared.id, staff);
    expect(sharedSummary.tenantCount).toBe(2);
    expect(sharedSummary.capabilities).toMatchObject({
      customPassword: false,
      temporaryPassword: false,
      randomPassword: true,
      resetLink: true,
      invite: true,
    });
    expect(sharedSummary.reasons.customPassword).toMatch(/more than one company/);
    expect(sharedSummary.reasons.temporaryPassword).toMatch(/more than one company/);

    const noEmail = await t.seedClient({ name: 'No Mail', email: null, username: 'nomail' });
    const noEmailSummary = await getSummary(t, noEmail.id, staff);
    expect(noEmailSummary.capabilities).toMatchObject({ resetLink: false, invite: false });
    expect(noEmailSummary.reasons.resetLink).toMatch(/email/i);
    expect(noEmailSummary.reasons.invite).toMatch(/email/i);
  });

  it('404 not_found for an unknown id', async () => {
    await expectError(await t.get('/api/admin/clients/does-not-exist', staff), 404, 'not_found');
  });
});

describe('POST /api/admin/clients', () => {
  it('creates an invited client (201) that the list then shows', async () => {
    const res = await t.post(
      '/api/admin/clients',
      { name: 'Petra Lind', email: 'petra@example.com', username: 'plind' },
      staff,
    );
    expect(res.status).toBe(201);
    const created = await json<Summary>(res);
    expect(created).toMatchObject({
      name: 'Petra Lind',
      email: 'petra@example.com',
      username: 'plind',
      status: 'invited',
      tenantCount: 1,
    });
    expect(created).not.toHaveProperty('password');
    const page = await list('?q=petra');
    expect(page.items.map((item) => item.id)).toEqual([created.id]);
    // No password yet: nobody can log in.
    expect((await login(t, 'petra@example.com', GOOD_PASSWORD)).result).toBe('invalid_credentials');
  });

  it('random password shown once (display): in the body only, never again in any response, mail or event', async () => {
    const res = await t.post(
      '/api/admin/clients',
      { name: 'Omar Reyes', email: 'omar@example.com', credentials: { mode: 'random', delivery: 'display' } },
      staff,
    );
    expect(res.status).toBe(201);
    const created = await json<Summary>(res);
    expect(typeof created.password).toBe('string');
    const password = created.password!;
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(created.status).toBe('active');

    const later = await getSummary(t, created.id, staff);
    expect(later).not.toHaveProperty('password');
    expect(JSON.stringify(later)).not.toContain(password);
    expect(JSON.stringify(await list(''))).not.toContain(password);
    expect(JSON.stringify(await getEvents(t, created.id, staff))).not.toContain(password);
    await login(t, 'omar@example.com', password);
    for (const message of await t.outbox()) expect(message.text + message.html).not.toContain(password);
  });

  it('created with a username only and a displayed password: the client logs in by username and must change it', async () => {
    const created = await json<Summary>(
      await t.post(
        '/api/admin/clients',
        {
          name: 'Alain Sirois',
          username: 'alain_sirois',
          credentials: { mode: 'random', delivery: 'display' },
        },
        staff,
      ),
    );
    expect(created.email).toBeNull();
    expect((await login(t, 'alain_sirois', created.password!)).result).toBe('password_change_required');
  });

  // Seed 003 "Create user and set temporary password", through the contract's create body (which has no
  // emailConfirmed field): staff hand the password over in person and the client logs in with it.
  it('created with a displayed or temporary password (contract body): the first login asks for a new password', async () => {
    const temporary = await json<Summary>(
      await t.post(
        '/api/admin/clients',
        {
          name: 'Tess Quill',
          email: 'tess@example.com',
          credentials: { mode: 'random', delivery: 'display', temporary: true },
        },
        staff,
      ),
    );
    expect(temporary.status).toBe('force_reset');
    const display = await json<Summary>(
      await t.post(
        '/api/admin/clients',
        {
          name: 'Omar Reyes',
          email: 'omar@example.com',
          credentials: { mode: 'random', delivery: 'display' },
        },
        staff,
      ),
    );

    const first = await login(t, 'tess@example.com', temporary.password!);
    expect(first.result).toBe('password_change_required');
    expect(first.reason).toBe('temporary_password');
    expect((await login(t, 'omar@example.com', display.password!)).result).toBe('password_change_required');
  });

  it('random password emailed on creation: the mail carries it and it logs in (one-time)', async () => {
    const res = await t.post(
      '/api/admin/clients',
      { name: 'Ines Moreau', email: 'ines@example.com', credentials: { mode: 'random', delivery: 'email' } },
      staff,
    );
    expect(res.status).toBe(201);
    const created = await json<Summary>(res);
    expect(created).not.toHaveProperty('password');
    const [mail] = await t.mailsTo('ines@example.com');
    expect(mail.kind).toBe('credentials');
    const password = passwordInMail(mail);
    const first = await login(t, 'ines@example.com', password);
    expect(first.result).toBe('password_change_required');
    const done = await t.post('/api/password/force-change', {
      challenge: first.challenge,
      password: NEW_PASSWORD,
    });
    expect(await json<{ status: string }>(done)).toMatchObject({ status: 'ok' });
    expect((await login(t, 'ines@example.com', NEW_PASSWORD)).result).toBe('ok');
  });

  it('{invite:true}: a welcome mail arrives whose link sets the first password', async () => {
    const res = await t.post(
      '/api/admin/clients',
      { name: 'Lea Brandt', email: 'lea@example.com', credentials: { invite: true } },
      staff,
    );
    expect(res.status).toBe(201);
    const created = await json<Summary>(res);
    expect(created.status).toBe('invited');

    const mails = await t.mailsTo('lea@example.com');
    expect(mails).toHaveLength(1);
    expect(mails[0].kind).toBe('invite');
    const token = tokenFromMail(mails[0]);
    const inspect = await t.post('/api/links/inspect', { token });
    expect(inspect.status).toBe(200);
    expect(await json<{ purpose: string }>(inspect)).toMatchObject({ purpose: 'invite' });

    expect((await t.post('/api/reset', { token, password: NEW_PASSWORD })).status).toBe(200);
    expect((await login(t, 'lea@example.com', NEW_PASSWORD)).result).toBe('ok');
    const after = await getSummary(t, created.id, staff);
    expect(after).toMatchObject({ status: 'active', emailConfirmed: true });
    // The welcome mail was a staff email: it counts against the 5-a-day budget.
    expect(after.resendsLeft).toBe(4);
  });

  it('409 email_in_use and username_in_use, and nothing is created or mailed', async () => {
    await t.seedClient({ name: 'Taken', email: 'taken@example.com', username: 'taken_user' });
    await t.seedClient({ name: 'Elsewhere', email: 'elsewhere@example.com', tenants: [OTHER_TENANT] });

    await expectError(
      await t.post(
        '/api/admin/clients',
        { name: 'Copy', email: 'Taken@Example.com', credentials: { invite: true } },
        staff,
      ),
      409,
      'email_in_use',
    );
    await expectError(
      await t.post('/api/admin/clients', { name: 'Copy', email: 'elsewhere@example.com' }, staff),
      409,
      'email_in_use',
    );
    await expectError(
      await t.post(
        '/api/admin/clients',
        {
          name: 'Copy',
          email: 'fresh@example.com',
          username: 'TAKEN_USER',
          credentials: { mode: 'random', delivery: 'email' },
        },
        staff,
      ),
      409,
      'username_in_use',
    );
    expect((await list('?q=copy')).items).toEqual([]);
    expect(await t.outbox()).toEqual([]);
  });

  it('{invite:true} without an email → 409 no_email; custom credentials where the tenant forbids them → 409; nothing created', async () => {
    await expectError(
      await t.post(
        '/api/admin/clients',
        { name: 'Mailless Max', username: 'max', credentials: { invite: true } },
        staff,
      ),
      409,
      'no_email',
    );
    await t.provisionTenant(TENANT, { name: 'Studio A', staffPasswords: 'forbidden' });
    await expectError(
      await t.post(
        '/api/admin/clients',
        {
          name: 'Chosen Chris',
          email: 'chris@example.com',
          credentials: { mode: 'custom', password: NEW_PASSWORD, delivery: 'none' },
        },
        staff,
      ),
      409,
      'custom_unavailable',
    );
    expect((await list('')).items).toEqual([]);
    expect(await t.outbox()).toEqual([]);
  });

  it('a custom password on creation is checked against the policy (422) and nothing is created', async () => {
    const body = await expectError(
      await t.post(
        '/api/admin/clients',
        {
          name: 'Walter Brenn',
          email: 'walter@example.com',
          credentials: { mode: 'custom', password: 'walter-brenn-2026', delivery: 'none' },
        },
        staff,
      ),
      422,
      'password_rejected',
    );
    expect(body.error.rules).toContain('no_personal_info');
    expect(JSON.stringify(body)).not.toContain('walter-brenn-2026');
    expect((await list('?q=walter')).items).toEqual([]);
  });

  it('400 invalid_request for a missing name or a field the contract does not have', async () => {
    await expectError(
      await t.post('/api/admin/clients', { email: 'x@example.com' }, staff),
      400,
      'invalid_request',
    );
    await expectError(
      await t.post(
        '/api/admin/clients',
        { name: 'Sneaky', email: 'sneaky@example.com', tenants: [TENANT, OTHER_TENANT] },
        staff,
      ),
      400,
      'invalid_request',
    );
    expect((await list('?q=sneaky')).items).toEqual([]);
  });
});

describe('PATCH /api/admin/clients/:id', () => {
  it('changes the name, and login settings take effect at the next login', async () => {
    const account = await t.seedClient({
      name: 'Rui Costa',
      email: 'rui@example.com',
      password: OLD_PASSWORD,
    });
    const url = `/api/admin/clients/${account.id}`;

    const renamed = await t.patch(url, { name: 'Rui M. Costa' }, staff);
    expect(renamed.status).toBe(200);
    expect(await json<Summary>(renamed)).toMatchObject({ id: account.id, name: 'Rui M. Costa' });
    expect((await list('?q=m.%20costa')).items.map((item) => item.id)).toEqual([account.id]);

    const disabled = await json<Summary>(await t.patch(url, { loginEnabled: false }, staff));
    expect(disabled.loginEnabled).toBe(false);
    expect((await login(t, 'rui@example.com', OLD_PASSWORD)).result).toBe('account_disabled');

    expect((await json<Summary>(await t.patch(url, { loginEnabled: true }, staff))).loginEnabled).toBe(true);
    expect((await login(t, 'rui@example.com', OLD_PASSWORD)).result).toBe('ok');

    const unconfirmed = await json<Summary>(await t.patch(url, { emailConfirmed: false }, staff));
    expect(unconfirmed.emailConfirmed).toBe(false);
    expect((await login(t, 'rui@example.com', OLD_PASSWORD)).result).toBe('email_not_confirmed');

    expect((await json<Summary>(await t.patch(url, { emailConfirmed: true }, staff))).emailConfirmed).toBe(
      true,
    );
    expect((await login(t, 'rui@example.com', OLD_PASSWORD)).result).toBe('ok');
  });

  it('disabling login ends the sessions already open', async () => {
    const account = await t.seedClient({
      name: 'Sara Lowe',
      email: 'sara@example.com',
      password: OLD_PASSWORD,
    });
    const { session } = await login(t, 'sara@example.com', OLD_PASSWORD);
    expect((await t.get('/api/session', { Authorization: `Bearer ${session}` })).status).toBe(200);
    await t.patch(`/api/admin/clients/${account.id}`, { loginEnabled: false }, staff);
    expect((await t.get('/api/session', { Authorization: `Bearer ${session}` })).status).toBe(401);
  });

  it('disabling login kills a live reset link', async () => {
    const account = await t.seedClient({
      name: 'Kai Berg',
      email: 'kai@example.com',
      password: OLD_PASSWORD,
    });
    expect((await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff)).status).toBe(202);
    const token = tokenFromMail((await t.mailsTo('kai@example.com'))[0]);
    await t.patch(`/api/admin/clients/${account.id}`, { loginEnabled: false }, staff);
    await t.patch(`/api/admin/clients/${account.id}`, { loginEnabled: true }, staff);
    const reset = await t.post('/api/reset', { token, password: NEW_PASSWORD });
    expect(reset.status).toBe(410);
    expect((await login(t, 'kai@example.com', OLD_PASSWORD)).result).toBe('ok');
  });

  it('changing the email notifies the OLD address, kills live links, and the new address is what logs in', async () => {
    const account = await t.seedClient({
      name: 'Nora Vance',
      email: 'nora.old@example.com',
      password: OLD_PASSWORD,
    });
    expect((await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff)).status).toBe(202);
    const [linkMail] = await t.mailsTo('nora.old@example.com');
    const token = tokenFromMail(linkMail);

    const res = await t.patch(`/api/admin/clients/${account.id}`, { email: 'nora.new@example.com' }, staff);
    expect(res.status).toBe(200);
    expect(await json<Summary>(res)).toMatchObject({ email: 'nora.new@example.com', emailConfirmed: false });

    const toOld = await t.mailsTo('nora.old@example.com');
    const notice = toOld.find((message) => message.kind === 'email-changed');
    expect(notice).toBeDefined();
    expect(notice!.text).toContain('n***@example.com');
    // The old address is told, but not the full new address.
    expect(notice!.text + notice!.html).not.toContain('nora.new@example.com');

    // The link that went to the old address is dead.
    const inspect = await t.post('/api/links/inspect', { token });
    expect(inspect.status).toBe(410);
    expect((await json<{ error: { code: string } }>(inspect)).error.code).toMatch(/^link_/);
    expect((await t.post('/api/reset', { token, password: NEW_PASSWORD })).status).toBe(410);

    // The new address is now the login; it has to be confirmed through the link sent to it.
    expect((await login(t, 'nora.old@example.com', OLD_PASSWORD)).result).toBe('invalid_credentials');
    const verify = (await t.mailsTo('nora.new@example.com')).find(
      (message) => message.kind === 'verify-email',
    );
    expect(verify).toBeDefined();
    expect((await t.post('/api/verify-email', { token: tokenFromMail(verify!) })).status).toBe(200);
    expect((await login(t, 'nora.new@example.com', OLD_PASSWORD)).result).toBe('ok');
  });

  /** @see issue 9 (low): a password staff mailed kept working after staff changed the client's email. */
  it('a password staff mailed to the OLD address stops working once the email changes', async () => {
    const account = await t.seedClient({
      name: 'Quinn Abel',
      email: 'quinn.old@example.com',
      password: OLD_PASSWORD,
    });
    await t.post(`/api/admin/clients/${account.id}/password`, { mode: 'random', delivery: 'email' }, staff);
    const [credentials] = (await t.mailsTo('quinn.old@example.com')).filter(
      (message) => message.kind === 'credentials',
    );
    const mailed = passwordInMail(credentials);

    const moved = await json<Summary>(
      await t.patch(`/api/admin/clients/${account.id}`, { email: 'quinn.new@example.com' }, staff),
    );
    expect(moved.emailConfirmed).toBe(false);

    // The mailed password reached the old mailbox: whoever reads it there must not log in, and it
    // proves nothing about the new address.
    expect((await login(t, 'quinn.new@example.com', mailed)).result).toBe('invalid_credentials');
    expect((await login(t, 'quinn.new@example.com', OLD_PASSWORD)).result).toBe('invalid_credentials');
    const summary = await getSummary(t, account.id, staff);
    expect(summary).toMatchObject({ emailConfirmed: false, status: 'invited', credential: null });
  });

  it("a member's own password survives a change of email", async () => {
    const account = await t.seedClient({
      name: 'Rae Lund',
      email: 'rae.old@example.com',
      password: OLD_PASSWORD,
    });
    await t.patch(`/api/admin/clients/${account.id}`, { email: 'rae.new@example.com' }, staff);
    expect((await login(t, 'rae.new@example.com', OLD_PASSWORD)).result).toBe('email_not_confirmed');
  });

  it("a shared client's email cannot be changed by one tenant's staff (takeover guard), and nothing changes", async () => {
    const account = await t.seedClient({
      name: 'Shared Shay',
      email: 'shay@example.com',
      tenants: [TENANT, OTHER_TENANT],
      password: OLD_PASSWORD,
    });
    const before = await getSummary(t, account.id, staff);
    const res = await t.patch(`/api/admin/clients/${account.id}`, { email: 'attacker@example.com' }, staff);
    expect(res.status).toBe(409);
    expect(await getSummary(t, account.id, staff)).toEqual(before);
    expect(await t.outbox()).toEqual([]);
  });

  /** @see issue 9, item 3: one company's staff must not decide for every company. */
  it("a shared client's name, login and email confirmation are changed only by provisioning", async () => {
    const account = await t.seedClient({
      name: 'Shared Shay',
      email: 'shay@example.com',
      tenants: [TENANT, OTHER_TENANT],
      password: OLD_PASSWORD,
    });
    const before = await getSummary(t, account.id, staff);
    for (const change of [{ name: 'Shay Shared' }, { loginEnabled: false }, { emailConfirmed: false }]) {
      const res = await t.patch(`/api/admin/clients/${account.id}`, change, staff);
      await expectError(res, 409, 'shared_client_unavailable');
    }
    // Sending what is already there changes nothing and is fine.
    expect((await t.patch(`/api/admin/clients/${account.id}`, { name: 'Shared Shay' }, staff)).status).toBe(
      200,
    );
    expect(await getSummary(t, account.id, staff)).toEqual(before);
    expect((await login(t, 'shay@example.com', OLD_PASSWORD)).result).toBe('ok');
  });

  it('409 email_in_use (any case) and nothing changes', async () => {
    await t.seedClient({ name: 'Owner', email: 'owner@example.com' });
    const account = await t.seedClient({ name: 'Mover', email: 'mover@example.com', password: OLD_PASSWORD });
    const before = await getSummary(t, account.id, staff);
    await expectError(
      await t.patch(`/api/admin/clients/${account.id}`, { email: 'OWNER@example.com' }, staff),
      409,
      'email_in_use',
    );
    await expectError(
      await t.patch(
        `/api/admin/clients/${account.id}`,
        { name: 'Renamed Too', email: 'owner@example.com' },
        staff,
      ),
      409,
      'email_in_use',
    );
    expect(await getSummary(t, account.id, staff)).toEqual(before);
    expect((await login(t, 'mover@example.com', OLD_PASSWORD)).result).toBe('ok');
    expect(await t.mailsTo('mover@example.com')).toEqual([]);
  });

  it('422 invalid_email and nothing changes', async () => {
    const account = await t.seedClient({ name: 'Pia Lund', email: 'pia@example.com' });
    const before = await getSummary(t, account.id, staff);
    await expectError(
      await t.patch(`/api/admin/clients/${account.id}`, { email: 'not-an-email' }, staff),
      422,
      'invalid_email',
    );
    await expectError(
      await t.patch(
        `/api/admin/clients/${account.id}`,
        { email: 'two@example.com, three@example.com' },
        staff,
      ),
      422,
      'invalid_email',
    );
    expect(await getSummary(t, account.id, staff)).toEqual(before);
  });

  it.each([
    ['tenants', { tenants: [TENANT, OTHER_TENANT] }],
    ['passwordHistory', { passwordHistory: [] }],
    ['credential', { credential: null }],
    ['credential (forged)', { credential: { kind: 'member', hash: 'x', setAt: 0 } }],
    ['status', { status: 'active' }],
    ['id', { id: 'someone-else' }],
    ['sessionVersion', { sessionVersion: 0 }],
  ])('mass assignment: unknown field %s → 400 invalid_request and nothing changed', async (_name, extra) => {
    const account = await t.seedClient({
      name: 'Guarded Gil',
      email: 'gil@example.com',
      password: OLD_PASSWORD,
    });
    const before = await getSummary(t, account.id, staff);
    const eventsBefore = await getEvents(t, account.id, staff);
    await expectError(
      await t.patch(
        `/api/admin/clients/${account.id}`,
        { name: 'Changed Name', loginEnabled: false, ...extra },
        staff,
      ),
      400,
      'invalid_request',
    );
    expect(await getSummary(t, account.id, staff)).toEqual(before);
    expect((await login(t, 'gil@example.com', OLD_PASSWORD)).result).toBe('ok');
    // The other tenant's staff still cannot see it.
    await expectError(
      await t.get(`/api/admin/clients/${account.id}`, await t.asStaff({ tid: OTHER_TENANT })),
      404,
      'not_found',
    );
    const eventsAfter = await getEvents(t, account.id, staff);
    expect(eventsAfter.filter((event) => event.action !== 'login')).toEqual(
      eventsBefore.filter((event) => event.action !== 'login'),
    );
  });

  it('404 not_found for an unknown id', async () => {
    await expectError(await t.patch('/api/admin/clients/nope', { name: 'X' }, staff), 404, 'not_found');
  });
});
