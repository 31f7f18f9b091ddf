/** POST /api/admin/clients/:id/password: every documented body, the tenant guard, the temporary-password flow (seed 003). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY } from '../../server/clock.js';
import { createTestApp, OTHER_TENANT, TENANT, type TestApp } from '../helpers/app.js';
import {
  expectError,
  getEvents,
  getSummary,
  json,
  login,
  NEW_PASSWORD,
  NEWER_PASSWORD,
  OLD_PASSWORD,
  passwordInMail,
} from './api-staff-helpers.js';

let t: TestApp;
let staff: Record<string, string>;

beforeEach(async () => {
  t = await createTestApp();
  staff = await t.asStaff({ tid: TENANT, sub: 'desk-7' });
});
afterEach(() => t.close());

const setPassword = (id: string, body: unknown, headers = staff) =>
  t.post(`/api/admin/clients/${id}/password`, body, headers);

async function activeClient(email = 'member@example.com', extra: Parameters<TestApp['seedClient']>[0] = {}) {
  return t.seedClient({ name: 'Morgan Ellis', email, password: OLD_PASSWORD, ...extra });
}

/** A live session, to see that a staff reset revokes it. */
async function sessionOf(identifier: string, password: string): Promise<string> {
  const outcome = await login(t, identifier, password);
  expect(outcome.result).toBe('ok');
  return outcome.session!;
}

async function sessionStatus(session: string): Promise<number> {
  return (await t.get('/api/session', { Authorization: `Bearer ${session}` })).status;
}

describe('custom password', () => {
  it('custom + email: the mail carries the password, the old one stops, the first login asks for a new one', async () => {
    const account = await activeClient();
    const session = await sessionOf('member@example.com', OLD_PASSWORD);

    const res = await setPassword(account.id, { mode: 'custom', password: NEW_PASSWORD, delivery: 'email' });
    expect(res.status).toBe(200);
    const body = await json<Record<string, unknown>>(res);
    expect(body).toEqual({ ok: true, delivered: 'email' });

    const mails = await t.mailsTo('member@example.com');
    const credentials = mails.filter((message) => message.kind === 'credentials');
    expect(credentials).toHaveLength(1);
    expect(passwordInMail(credentials[0])).toBe(NEW_PASSWORD);
    expect(credentials[0].text).toContain('member@example.com');

    expect(await sessionStatus(session)).toBe(401);
    expect((await login(t, 'member@example.com', OLD_PASSWORD)).result).toBe('invalid_credentials');
    const first = await login(t, 'member@example.com', NEW_PASSWORD);
    expect(first.result).toBe('password_change_required');
    expect(first.reason).toBe('one_time_password');

    const done = await t.post('/api/password/force-change', {
      challenge: first.challenge,
      password: NEWER_PASSWORD,
    });
    expect(done.status).toBe(200);
    expect(await json<{ status: string; session: string }>(done)).toMatchObject({
      status: 'ok',
      session: expect.any(String),
    });
    expect((await login(t, 'member@example.com', NEWER_PASSWORD)).result).toBe('ok');
    expect((await login(t, 'member@example.com', NEW_PASSWORD)).result).toBe('invalid_credentials');
  });

  it('custom + none: set in place, no mail at all, one-time', async () => {
    const account = await activeClient();
    const session = await sessionOf('member@example.com', OLD_PASSWORD);
    const res = await setPassword(account.id, { mode: 'custom', password: NEW_PASSWORD, delivery: 'none' });
    expect(res.status).toBe(200);
    const body = await json<Record<string, unknown>>(res);
    expect(body.ok).toBe(true);
    expect(body).not.toHaveProperty('password');
    expect(JSON.stringify(body)).not.toContain(NEW_PASSWORD);

    expect(await t.mailsTo('member@example.com')).toEqual([]);
    expect(await sessionStatus(session)).toBe(401);
    expect((await login(t, 'member@example.com', OLD_PASSWORD)).result).toBe('invalid_credentials');
    expect((await login(t, 'member@example.com', NEW_PASSWORD)).result).toBe('password_change_required');
    expect((await getSummary(t, account.id, staff)).credential).toMatchObject({
      kind: 'one-time',
      issuedBy: 'desk-7',
    });
  });

  it('a staff-set one-time password expires after 7 days', async () => {
    const account = await activeClient();
    await setPassword(account.id, { mode: 'custom', password: NEW_PASSWORD, delivery: 'none' });
    t.clock.advance(7 * DAY + 1000);
    const outcome = await login(t, 'member@example.com', NEW_PASSWORD);
    expect(outcome.status).toBe(401);
    expect(outcome.result).toBe('temporary_password_expired');
  });

  it('422 password_rejected names the failed rules, never echoes the password, and nothing changes', async () => {
    const account = await activeClient();
    const tooShort = await expectError(
      await setPassword(account.id, { mode: 'custom', password: 'short-1', delivery: 'none' }),
      422,
      'password_rejected',
    );
    expect(tooShort.error.rules).toContain('min_length');
    expect(JSON.stringify(tooShort)).not.toContain('short-1');

    const personal = await expectError(
      await setPassword(account.id, {
        mode: 'custom',
        password: 'morgan-ellis-rocks-2026',
        delivery: 'email',
      }),
      422,
      'password_rejected',
    );
    expect(personal.error.rules).toContain('no_personal_info');

    const common = await expectError(
      await setPassword(account.id, { mode: 'custom', password: 'password1234', delivery: 'none' }),
      422,
      'password_rejected',
    );
    expect(common.error.rules).toContain('not_common');

    const reused = await expectError(
      await setPassword(account.id, { mode: 'custom', password: OLD_PASSWORD, delivery: 'none' }),
      422,
      'password_rejected',
    );
    expect(reused.error.rules).toContain('not_recent');

    expect(await t.mailsTo('member@example.com')).toEqual([]);
    expect((await login(t, 'member@example.com', OLD_PASSWORD)).result).toBe('ok');
    expect((await getSummary(t, account.id, staff)).status).toBe('active');
  });

  it('400 invalid_request for bodies outside the contract', async () => {
    const account = await activeClient();
    await expectError(
      await setPassword(account.id, { mode: 'custom', delivery: 'email' }),
      400,
      'invalid_request',
    );
    await expectError(
      await setPassword(account.id, { mode: 'custom', password: NEW_PASSWORD, delivery: 'display' }),
      400,
      'invalid_request',
    );
    await expectError(
      await setPassword(account.id, { mode: 'random', delivery: 'none' }),
      400,
      'invalid_request',
    );
    await expectError(
      await setPassword(account.id, { mode: 'random', delivery: 'email', password: NEW_PASSWORD }),
      400,
      'invalid_request',
    );
    await expectError(
      await setPassword(account.id, { mode: 'magic', delivery: 'email' }),
      400,
      'invalid_request',
    );
    expect((await login(t, 'member@example.com', OLD_PASSWORD)).result).toBe('ok');
  });
});

describe('random password', () => {
  it('random + email: only the mail carries it; it logs in once and leads to a new password', async () => {
    const account = await activeClient();
    const res = await setPassword(account.id, { mode: 'random', delivery: 'email' });
    expect(res.status).toBe(200);
    expect(await json<Record<string, unknown>>(res)).toEqual({ ok: true, delivered: 'email' });

    const [mail] = (await t.mailsTo('member@example.com')).filter(
      (message) => message.kind === 'credentials',
    );
    const password = passwordInMail(mail);
    expect(password.length).toBeGreaterThanOrEqual(12);
    expect(password).not.toMatch(/[0O1lI]/);
    expect((await login(t, 'member@example.com', OLD_PASSWORD)).result).toBe('invalid_credentials');
    const first = await login(t, 'member@example.com', password);
    expect(first.result).toBe('password_change_required');
    const done = await t.post('/api/password/force-change', {
      challenge: first.challenge,
      password: NEW_PASSWORD,
    });
    expect(done.status).toBe(200);
    expect((await login(t, 'member@example.com', NEW_PASSWORD)).result).toBe('ok');
  });

  it('the credentials mail tells the username to log in with, and using it confirms an unconfirmed address', async () => {
    const account = await t.seedClient({
      name: 'Alain Sirois',
      email: 'alain@example.com',
      username: 'alain_sirois',
      password: OLD_PASSWORD,
      emailConfirmed: false,
    });
    expect((await setPassword(account.id, { mode: 'random', delivery: 'email' })).status).toBe(200);
    const [mail] = (await t.mailsTo('alain@example.com')).filter((message) => message.kind === 'credentials');
    expect(mail.text).toMatch(/Log in with:\s+alain_sirois/);
    expect((await login(t, 'alain_sirois', passwordInMail(mail))).result).toBe('password_change_required');
    expect((await getSummary(t, account.id, staff)).emailConfirmed).toBe(true);
  });

  it('random + display: the password is in the response once and in no mail', async () => {
    const account = await activeClient();
    const session = await sessionOf('member@example.com', OLD_PASSWORD);
    const res = await setPassword(account.id, { mode: 'random', delivery: 'display' });
    expect(res.status).toBe(200);
    const body = await json<{ ok: boolean; password: string }>(res);
    expect(body.ok).toBe(true);
    expect(body.password.length).toBeGreaterThanOrEqual(12);
    expect(await sessionStatus(session)).toBe(401);

    expect((await login(t, 'member@example.com', body.password)).result).toBe('password_change_required');
    await t.drain();
    for (const message of await t.outbox()) {
      expect(message.kind).not.toBe('credentials');
      expect(message.text + message.html + message.subject).not.toContain(body.password);
    }
    expect(JSON.stringify(await getSummary(t, account.id, staff))).not.toContain(body.password);

    // A second display gives a different password; the first stops working.
    const second = await json<{ password: string }>(
      await setPassword(account.id, { mode: 'random', delivery: 'display' }),
    );
    expect(second.password).not.toBe(body.password);
    expect((await login(t, 'member@example.com', body.password)).result).toBe('invalid_credentials');
  });
});

describe('temporary password (seed 003)', () => {
  it('puts the client in force_reset: the old password and forgot stop, only the newest temporary one works', async () => {
    const account = await activeClient();
    const now = t.clock.now();
    const res = await setPassword(account.id, { mode: 'random', delivery: 'display', temporary: true });
    expect(res.status).toBe(200);
    const first = (await json<{ password: string }>(res)).password;

    const summary = await getSummary(t, account.id, staff);
    expect(summary.status).toBe('force_reset');
    expect(summary.credential).toMatchObject({ issuedBy: 'desk-7' });
    expect(Date.parse(summary.credential!.expiresAt!)).toBe(now + 7 * DAY);

    // The old password no longer works.
    expect((await login(t, 'member@example.com', OLD_PASSWORD)).result).toBe('invalid_credentials');
    // Self-service reset by email sends nothing while the temporary password is pending.
    expect((await t.post('/api/forgot', { identifier: 'member@example.com' })).status).toBe(202);
    await t.drain();
    expect(await t.mailsTo('member@example.com')).toEqual([]);

    // A second temporary password replaces the first.
    t.clock.advance(60_000);
    const second = (
      await json<{ password: string }>(
        await setPassword(account.id, { mode: 'random', delivery: 'display', temporary: true }),
      )
    ).password;
    expect(second).not.toBe(first);
    expect((await login(t, 'member@example.com', first)).result).toBe('invalid_credentials');
    const outcome = await login(t, 'member@example.com', second);
    expect(outcome.result).toBe('password_change_required');
    expect(outcome.reason).toBe('temporary_password');

    // The new password may not be an old one (temporary ones count).
    const reuse = await t.post('/api/password/force-change', {
      challenge: outcome.challenge,
      password: OLD_PASSWORD,
    });
    const rejected = await expectError(reuse, 422, 'password_rejected');
    expect(rejected.error.rules).toContain('not_recent');

    const done = await t.post('/api/password/force-change', {
      challenge: outcome.challenge,
      password: NEW_PASSWORD,
    });
    expect(done.status).toBe(200);
    expect(await json<{ status: string }>(done)).toMatchObject({ status: 'ok' });

    expect((await getSummary(t, account.id, staff)).status).toBe('active');
    expect((await login(t, 'member@example.com', NEW_PASSWORD)).result).toBe('ok');
    expect((await login(t, 'member@example.com', second)).result).toBe('invalid_credentials');
    // Forgot works again.
    await t.post('/api/forgot', { identifier: 'member@example.com' });
    expect((await t.mailsTo('member@example.com')).some((message) => message.kind === 'reset')).toBe(true);
  });

  it('a custom temporary password (delivery none) also forces the change', async () => {
    const account = await activeClient();
    const res = await setPassword(account.id, {
      mode: 'custom',
      password: NEW_PASSWORD,
      delivery: 'none',
      temporary: true,
    });
    expect(res.status).toBe(200);
    expect((await getSummary(t, account.id, staff)).status).toBe('force_reset');
    expect((await login(t, 'member@example.com', NEW_PASSWORD)).reason).toBe('temporary_password');
  });

  it('a reset link sent before the temporary password stops working', async () => {
    const account = await activeClient();
    await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff);
    const [mail] = await t.mailsTo('member@example.com');
    const token = /#token=([A-Za-z0-9_\-.]+)/.exec(mail.text)![1];
    await setPassword(account.id, { mode: 'random', delivery: 'display', temporary: true });
    expect((await t.post('/api/reset', { token, password: NEWER_PASSWORD })).status).toBe(410);
    expect((await getSummary(t, account.id, staff)).status).toBe('force_reset');
  });
});

describe('a client shared with another tenant', () => {
  it('refuses every password staff would know (409) and changes nothing; an emailed random password still works', async () => {
    const account = await activeClient('shared@example.com', { tenants: [TENANT, OTHER_TENANT] });
    const before = await getSummary(t, account.id, staff);

    await expectError(
      await setPassword(account.id, { mode: 'custom', password: NEW_PASSWORD, delivery: 'email' }),
      409,
      'custom_unavailable',
    );
    await expectError(
      await setPassword(account.id, { mode: 'custom', password: NEW_PASSWORD, delivery: 'none' }),
      409,
      'custom_unavailable',
    );
    await expectError(
      await setPassword(account.id, { mode: 'random', delivery: 'display', temporary: true }),
      409,
      'temporary_unavailable',
    );
    await expectError(
      await setPassword(account.id, { mode: 'random', delivery: 'display' }),
      409,
      'temporary_unavailable',
    );
    await expectError(
      await setPassword(account.id, { mode: 'random', delivery: 'email', temporary: true }),
      409,
      'temporary_unavailable',
    );

    expect(await getSummary(t, account.id, staff)).toEqual(before);
    expect(await t.mailsTo('shared@example.com')).toEqual([]);
    expect((await login(t, 'shared@example.com', OLD_PASSWORD)).result).toBe('ok');

    const ok = await setPassword(account.id, { mode: 'random', delivery: 'email' });
    expect(ok.status).toBe(200);
    expect(await json<Record<string, unknown>>(ok)).toEqual({ ok: true, delivered: 'email' });
    const [mail] = (await t.mailsTo('shared@example.com')).filter(
      (message) => message.kind === 'credentials',
    );
    expect((await login(t, 'shared@example.com', passwordInMail(mail))).result).toBe(
      'password_change_required',
    );
  });

  it('the other tenant sees who issued it only as "another company"', async () => {
    const account = await activeClient('shared2@example.com', { tenants: [TENANT, OTHER_TENANT] });
    await setPassword(account.id, { mode: 'random', delivery: 'email' });
    const otherStaff = await t.asStaff({ tid: OTHER_TENANT, sub: 'coach-9' });
    const seen = await getSummary(t, account.id, otherStaff);
    expect(seen.credential?.issuedBy).toBe('staff of another company');
    const events = await getEvents(t, account.id, otherStaff);
    expect(JSON.stringify(events)).not.toContain('desk-7');
    expect(events.map((event) => event.actor)).toContain('staff of another company');
  });
});

describe('409 no_email', () => {
  it('email delivery is refused for a client without an email, and nothing changes', async () => {
    const account = await t.seedClient({
      name: 'Uma Noel',
      email: null,
      username: 'uma_n',
      password: OLD_PASSWORD,
    });
    await expectError(await setPassword(account.id, { mode: 'random', delivery: 'email' }), 409, 'no_email');
    await expectError(
      await setPassword(account.id, { mode: 'custom', password: NEW_PASSWORD, delivery: 'email' }),
      409,
      'no_email',
    );
    expect((await login(t, 'uma_n', OLD_PASSWORD)).result).toBe('ok');
    // Shown once still works for a client without email.
    const shown = await json<{ password: string }>(
      await setPassword(account.id, { mode: 'random', delivery: 'display' }),
    );
    expect((await login(t, 'uma_n', shown.password)).result).toBe('password_change_required');
  });
});

describe('tenant setting staffPasswords', () => {
  it("'permanent': a staff-set password logs in directly", async () => {
    expect((await t.provisionTenant(TENANT, { name: 'Studio A', staffPasswords: 'permanent' })).status).toBe(
      201,
    );
    const account = await activeClient();
    expect(
      (await setPassword(account.id, { mode: 'custom', password: NEW_PASSWORD, delivery: 'none' })).status,
    ).toBe(200);
    expect((await login(t, 'member@example.com', NEW_PASSWORD)).result).toBe('ok');
    const summary = await getSummary(t, account.id, staff);
    expect(summary.status).toBe('active');
    expect(summary.credential?.expiresAt ?? null).toBeNull();

    // Emailed random ones too, and the mail does not announce a forced change.
    await setPassword(account.id, { mode: 'random', delivery: 'email' });
    const [mail] = (await t.mailsTo('member@example.com')).filter(
      (message) => message.kind === 'credentials',
    );
    expect(mail.text).not.toMatch(/asked to choose a new password/);
    expect((await login(t, 'member@example.com', passwordInMail(mail))).result).toBe('ok');

    // Temporary passwords stay temporary.
    const temp = await json<{ password: string }>(
      await setPassword(account.id, { mode: 'random', delivery: 'display', temporary: true }),
    );
    expect((await login(t, 'member@example.com', temp.password)).result).toBe('password_change_required');
  });

  it("'forbidden': custom → 409 custom_unavailable (with the reason in the summary); random still works", async () => {
    await t.provisionTenant(TENANT, { name: 'Studio A', staffPasswords: 'forbidden' });
    const account = await activeClient();
    const summary = await getSummary(t, account.id, staff);
    expect(summary.capabilities.customPassword).toBe(false);
    expect(summary.reasons.customPassword).toBeTruthy();

    await expectError(
      await setPassword(account.id, { mode: 'custom', password: NEW_PASSWORD, delivery: 'none' }),
      409,
      'custom_unavailable',
    );
    await expectError(
      await setPassword(account.id, { mode: 'custom', password: NEW_PASSWORD, delivery: 'email' }),
      409,
      'custom_unavailable',
    );
    expect((await login(t, 'member@example.com', OLD_PASSWORD)).result).toBe('ok');
    expect((await setPassword(account.id, { mode: 'random', delivery: 'email' })).status).toBe(200);
  });
});

it('404 not_found for an unknown client', async () => {
  await expectError(await setPassword('missing', { mode: 'random', delivery: 'display' }), 404, 'not_found');
});
