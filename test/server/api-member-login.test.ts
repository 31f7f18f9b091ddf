/**
 * Member API, login side (API.md member rows, PRODUCT.md workflows 4 and 5): login, forced change
 * after a staff-set or temporary password, change while logged in, sessions.
 */
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, MINUTE, SECOND } from '../../server/clock.js';
import {
  createTestApp,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  TENANT,
  TEST_PUBLIC_URL,
  tokenFromMail,
  type TestApp,
} from '../helpers/app.js';
import {
  bearer,
  bodyOf,
  expectError,
  login,
  mailsOfKind,
  onlyMail,
  sessionFor,
  staffSetPassword,
  staffTemporaryPassword,
  tamperSignature,
} from './api-member-helpers.js';

const PASSWORD = 'old-saffron-meadow-48';
const EMAIL = 'jamie@example.com';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const seedMember = (fields: Parameters<TestApp['seedClient']>[0] = {}) =>
  t.seedClient({ email: EMAIL, password: PASSWORD, ...fields });

interface LoginBody {
  status: string;
  session?: string;
  challenge?: string;
  reason?: string;
}

async function jwks(): Promise<JSONWebKeySet> {
  const res = await t.get('/.well-known/jwks.json');
  expect(res.status).toBe(200);
  return bodyOf<JSONWebKeySet>(res);
}

/** Logs in with a staff-set password and returns the challenge. */
async function challengeFor(identifier: string, password: string): Promise<string> {
  const res = await login(t, identifier, password);
  expect(res.status).toBe(200);
  const body = await bodyOf<LoginBody>(res);
  expect(body.status).toBe('password_change_required');
  expect(body.session).toBeUndefined();
  return body.challenge!;
}

describe('POST /api/login', () => {
  it('200 {status:"ok", session}: a JWT anyone can verify through the JWKS', async () => {
    const account = await seedMember();
    const res = await login(t, EMAIL, PASSWORD);
    expect(res.status).toBe(200);
    const body = await bodyOf<LoginBody>(res);
    expect(body.status).toBe('ok');
    const keySet = createLocalJWKSet(await jwks());
    const { payload, protectedHeader } = await jwtVerify(body.session!, keySet, {
      issuer: TEST_PUBLIC_URL,
      audience: TEST_PUBLIC_URL,
      currentDate: new Date(t.clock.now()),
    });
    expect(protectedHeader.alg).toMatch(/^(EdDSA|ES256)$/);
    expect(protectedHeader.kid).toBeTruthy();
    expect(payload.sub).toBe(account.id);
    expect(payload.jti).toBeTruthy();
    expect(payload.iat).toBe(Math.floor(t.clock.now() / 1000));
    expect(payload.exp! - payload.iat!).toBeGreaterThan(0);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(24 * 3600);
    expect(payload.tid).toBeUndefined();
  });

  it('a session for a tenant carries tid; a tenant the member is not in is refused like a wrong password', async () => {
    await seedMember();
    const res = await login(t, EMAIL, PASSWORD, { tenant: TENANT });
    const body = await bodyOf<LoginBody>(res);
    expect(decodeJwt(body.session!).tid).toBe(TENANT);
    const other = await login(t, EMAIL, PASSWORD, { tenant: 'studio-z' });
    const wrong = await login(t, EMAIL, 'not-the-password-at-all');
    expect(other.status).toBe(401);
    expect(await other.text()).toBe(await wrong.text());
  });

  it('by username and by email, case-insensitively', async () => {
    await seedMember({ username: 'JamieR', email: 'Jamie.Rivera@Example.com' });
    for (const identifier of [
      'JamieR',
      'jamier',
      'JAMIER',
      'jamie.rivera@example.com',
      'JAMIE.RIVERA@EXAMPLE.COM',
      ' jamier ',
    ]) {
      const res = await login(t, identifier, PASSWORD);
      expect({ identifier, status: res.status, body: (await bodyOf<LoginBody>(res)).status }).toEqual({
        identifier,
        status: 200,
        body: 'ok',
      });
    }
  });

  it('the password is case-sensitive', async () => {
    await seedMember();
    await expectError(await login(t, EMAIL, PASSWORD.toUpperCase()), 401, 'invalid_credentials');
  });

  it('200 password_change_required + challenge after a staff-set password; the old one stops working', async () => {
    const account = await seedMember();
    await staffSetPassword(t, account.id, {
      mode: 'custom',
      password: OTHER_GOOD_PASSWORD,
      delivery: 'none',
    });
    const res = await login(t, EMAIL, OTHER_GOOD_PASSWORD);
    const body = await bodyOf<LoginBody>(res);
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ status: 'password_change_required', reason: 'one_time_password' });
    expect(typeof body.challenge).toBe('string');
    expect(body.session).toBeUndefined();
    await expectError(await login(t, EMAIL, PASSWORD), 401, 'invalid_credentials');
  });

  it('200 password_change_required after an emailed random password', async () => {
    const account = await seedMember();
    await staffSetPassword(t, account.id, { mode: 'random', delivery: 'email' });
    const mail = await onlyMail(t, EMAIL, 'credentials');
    const password = /Password:\s*(\S+)/.exec(mail.text)?.[1];
    expect(password).toBeTruthy();
    expect(await bodyOf(await login(t, EMAIL, password!))).toMatchObject({
      status: 'password_change_required',
    });
  });

  it('200 password_change_required after a temporary password; the old password stops working', async () => {
    const account = await seedMember();
    const temporary = await staffTemporaryPassword(t, account.id);
    const body = await bodyOf<LoginBody>(await login(t, EMAIL, temporary));
    expect(body).toMatchObject({ status: 'password_change_required', reason: 'temporary_password' });
    await expectError(await login(t, EMAIL, PASSWORD), 401, 'invalid_credentials');
  });

  it('401 invalid_credentials with the same body for an unknown user, a wrong password and an invited account', async () => {
    await seedMember();
    await t.seedClient({ email: 'invited@example.com' });
    const unknown = await login(t, 'nobody@example.com', PASSWORD);
    const wrong = await login(t, EMAIL, 'not-the-password-at-all');
    const invited = await login(t, 'invited@example.com', PASSWORD);
    const bodies = await Promise.all([unknown, wrong, invited].map((res) => res.text()));
    expect([unknown.status, wrong.status, invited.status]).toEqual([401, 401, 401]);
    expect(bodies[1]).toBe(bodies[0]);
    expect(bodies[2]).toBe(bodies[0]);
    expect(JSON.parse(bodies[0])).toEqual({
      error: { code: 'invalid_credentials', message: expect.any(String) },
    });
    expect(unknown.headers.get('Retry-After')).toBeNull();
  });

  it('403 account_disabled only with the right password', async () => {
    await seedMember({ loginEnabled: false });
    await expectError(await login(t, EMAIL, 'not-the-password-at-all'), 401, 'invalid_credentials');
    await expectError(await login(t, EMAIL, PASSWORD), 403, 'account_disabled');
  });

  it('403 email_not_confirmed (only with the right password) sends a verify-email mail once', async () => {
    await seedMember({ emailConfirmed: false });
    await expectError(await login(t, EMAIL, 'not-the-password-at-all'), 401, 'invalid_credentials');
    expect(await mailsOfKind(t, EMAIL, 'verify-email')).toHaveLength(0);
    await expectError(await login(t, EMAIL, PASSWORD), 403, 'email_not_confirmed');
    const mail = await onlyMail(t, EMAIL, 'verify-email');
    expect(mail.text).toMatch(new RegExp(`${TEST_PUBLIC_URL}/verify-email\\?tenant=[\\w-]+#token=`));
    // A second try while that link is alive does not mail again.
    await expectError(await login(t, EMAIL, PASSWORD), 403, 'email_not_confirmed');
    expect(await mailsOfKind(t, EMAIL, 'verify-email')).toHaveLength(1);
    expect((await t.post('/api/verify-email', { token: tokenFromMail(mail) })).status).toBe(200);
    await sessionFor(t, EMAIL, PASSWORD);
  });

  it('429 too_many_attempts with Retry-After after repeated failures; the delay is bounded by 15 minutes', async () => {
    await seedMember();
    let failures = 0;
    let limited = 0;
    let lastRetryAfter = 0;
    // Keep failing, waiting out each delay, far past the point where delays stop growing.
    while (failures < 20) {
      const res = await login(t, EMAIL, 'not-the-password-at-all');
      if (res.status === 429) {
        limited++;
        const body = await expectError(res, 429, 'too_many_attempts');
        lastRetryAfter = Number(res.headers.get('Retry-After'));
        expect(lastRetryAfter).toBeGreaterThanOrEqual(1);
        expect(lastRetryAfter).toBeLessThanOrEqual(15 * 60);
        expect(body.error.retryAfter).toBe(lastRetryAfter);
        // While the delay runs, even the right password waits.
        expect((await login(t, EMAIL, PASSWORD)).status).toBe(429);
        t.clock.advance(lastRetryAfter * SECOND);
      } else {
        await expectError(res, 401, 'invalid_credentials');
        failures++;
      }
    }
    expect(limited).toBeGreaterThan(5);
    // The delays grew up to the cap (15 minutes).
    const locked = await login(t, EMAIL, PASSWORD);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('Retry-After'))).toBe(15 * 60);
    t.clock.advance(15 * MINUTE);
    expect(await bodyOf(await login(t, EMAIL, PASSWORD))).toMatchObject({ status: 'ok' });
    // A success starts over: the next failure is free again.
    await expectError(await login(t, EMAIL, 'not-the-password-at-all'), 401, 'invalid_credentials');
    expect(await bodyOf(await login(t, EMAIL, PASSWORD))).toMatchObject({ status: 'ok' });
  });

  it('the first 5 failures are free, the 6th attempt waits', async () => {
    await seedMember();
    for (let i = 0; i < 5; i++)
      await expectError(await login(t, EMAIL, 'not-the-password-at-all'), 401, 'invalid_credentials');
    const res = await login(t, EMAIL, PASSWORD);
    await expectError(res, 429, 'too_many_attempts');
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
  });

  it('401 temporary_password_expired after 7 days, not before', async () => {
    const account = await seedMember();
    const temporary = await staffTemporaryPassword(t, account.id);
    t.clock.advance(7 * DAY - MINUTE);
    expect(await bodyOf(await login(t, EMAIL, temporary))).toMatchObject({
      status: 'password_change_required',
    });
    t.clock.advance(2 * MINUTE);
    await expectError(await login(t, EMAIL, temporary), 401, 'temporary_password_expired');
    // Only with the right password: a wrong one says nothing about it.
    await expectError(await login(t, EMAIL, 'not-the-password-at-all'), 401, 'invalid_credentials');
  });

  it('a staff-set one-time password expires after 7 days too', async () => {
    const account = await seedMember();
    await staffSetPassword(t, account.id, {
      mode: 'custom',
      password: OTHER_GOOD_PASSWORD,
      delivery: 'none',
    });
    t.clock.advance(7 * DAY + MINUTE);
    await expectError(await login(t, EMAIL, OTHER_GOOD_PASSWORD), 401, 'temporary_password_expired');
  });

  it('400 invalid_request for a missing identifier or password', async () => {
    await expectError(await t.post('/api/login', { identifier: EMAIL }), 400, 'invalid_request');
    await expectError(await t.post('/api/login', { password: PASSWORD }), 400, 'invalid_request');
  });
});

describe('POST /api/password/force-change', () => {
  it('200 {status:"ok", session}: the temporary password stops working, the new one works', async () => {
    const account = await seedMember();
    const temporary = await staffTemporaryPassword(t, account.id);
    const challenge = await challengeFor(EMAIL, temporary);
    const res = await t.post('/api/password/force-change', { challenge, password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    const body = await bodyOf<LoginBody>(res);
    expect(body.status).toBe('ok');
    const session = await t.get('/api/session', bearer(body.session!));
    expect(session.status).toBe(200);
    expect((await bodyOf(session)).sub).toBe(account.id);
    await expectError(await login(t, EMAIL, temporary), 401, 'invalid_credentials');
    await expectError(await login(t, EMAIL, PASSWORD), 401, 'invalid_credentials');
    expect(await bodyOf(await login(t, EMAIL, GOOD_PASSWORD))).toMatchObject({ status: 'ok' });
    const summary = await bodyOf(await t.get(`/api/admin/clients/${account.id}`, await t.asStaff()));
    expect(summary.status).toBe('active');
    expect(await mailsOfKind(t, EMAIL, 'password-changed')).toHaveLength(1);
  });

  it('works after a staff-set one-time password', async () => {
    const account = await seedMember();
    await staffSetPassword(t, account.id, {
      mode: 'custom',
      password: OTHER_GOOD_PASSWORD,
      delivery: 'none',
    });
    const challenge = await challengeFor(EMAIL, OTHER_GOOD_PASSWORD);
    expect((await t.post('/api/password/force-change', { challenge, password: GOOD_PASSWORD })).status).toBe(
      200,
    );
    expect(await bodyOf(await login(t, EMAIL, GOOD_PASSWORD))).toMatchObject({ status: 'ok' });
  });

  it('401 challenge_invalid for garbage and for a tampered challenge', async () => {
    const account = await seedMember();
    const temporary = await staffTemporaryPassword(t, account.id);
    const challenge = await challengeFor(EMAIL, temporary);
    await expectError(
      await t.post('/api/password/force-change', {
        challenge: 'garbage-garbage-garbage',
        password: GOOD_PASSWORD,
      }),
      401,
      'challenge_invalid',
    );
    await expectError(
      await t.post('/api/password/force-change', {
        challenge: tamperSignature(challenge),
        password: GOOD_PASSWORD,
      }),
      401,
      'challenge_invalid',
    );
    expect((await t.post('/api/password/force-change', { challenge, password: GOOD_PASSWORD })).status).toBe(
      200,
    );
  });

  it('401 challenge_invalid once a newer temporary password was issued; only the newest one works', async () => {
    const account = await seedMember();
    const first = await staffTemporaryPassword(t, account.id);
    const challenge = await challengeFor(EMAIL, first);
    const second = await staffTemporaryPassword(t, account.id);
    expect(second).not.toBe(first);
    await expectError(
      await t.post('/api/password/force-change', { challenge, password: GOOD_PASSWORD }),
      401,
      'challenge_invalid',
    );
    await expectError(await login(t, EMAIL, first), 401, 'invalid_credentials');
    const fresh = await challengeFor(EMAIL, second);
    expect(
      (await t.post('/api/password/force-change', { challenge: fresh, password: GOOD_PASSWORD })).status,
    ).toBe(200);
  });

  it('401 challenge_invalid for a challenge already used', async () => {
    const account = await seedMember();
    const temporary = await staffTemporaryPassword(t, account.id);
    const challenge = await challengeFor(EMAIL, temporary);
    expect((await t.post('/api/password/force-change', { challenge, password: GOOD_PASSWORD })).status).toBe(
      200,
    );
    await expectError(
      await t.post('/api/password/force-change', { challenge, password: OTHER_GOOD_PASSWORD }),
      401,
      'challenge_invalid',
    );
    expect(await bodyOf(await login(t, EMAIL, GOOD_PASSWORD))).toMatchObject({ status: 'ok' });
  });

  it('401 challenge_invalid after 10 minutes', async () => {
    const account = await seedMember();
    const temporary = await staffTemporaryPassword(t, account.id);
    const challenge = await challengeFor(EMAIL, temporary);
    t.clock.advance(11 * MINUTE);
    await expectError(
      await t.post('/api/password/force-change', { challenge, password: GOOD_PASSWORD }),
      401,
      'challenge_invalid',
    );
  });

  it('a session or a link is not a challenge', async () => {
    await seedMember();
    const session = await sessionFor(t, EMAIL, PASSWORD);
    await expectError(
      await t.post('/api/password/force-change', { challenge: session, password: GOOD_PASSWORD }),
      401,
      'challenge_invalid',
    );
    await t.post('/api/forgot', { identifier: EMAIL });
    const link = tokenFromMail(await onlyMail(t, EMAIL, 'reset'));
    await expectError(
      await t.post('/api/password/force-change', { challenge: link, password: GOOD_PASSWORD }),
      401,
      'challenge_invalid',
    );
    await sessionFor(t, EMAIL, PASSWORD);
  });

  it('422 password_rejected when reusing the temporary password or the old one; the challenge stays usable', async () => {
    const account = await seedMember();
    const temporary = await staffTemporaryPassword(t, account.id);
    const challenge = await challengeFor(EMAIL, temporary);
    const reuse = await t.post('/api/password/force-change', { challenge, password: temporary });
    expect((await expectError(reuse, 422, 'password_rejected')).error.rules).toContain('not_recent');
    const old = await t.post('/api/password/force-change', { challenge, password: PASSWORD });
    expect((await expectError(old, 422, 'password_rejected')).error.rules).toEqual(['not_recent']);
    const common = await t.post('/api/password/force-change', { challenge, password: 'password1234' });
    expect((await expectError(common, 422, 'password_rejected')).error.rules).toEqual(['not_common']);
    expect((await t.post('/api/password/force-change', { challenge, password: GOOD_PASSWORD })).status).toBe(
      200,
    );
  });
});

describe('POST /api/password/change', () => {
  it('200 {ok:true}: the new password works, the old one does not, a notice is mailed', async () => {
    await seedMember();
    const session = await sessionFor(t, EMAIL, PASSWORD);
    const res = await t.post(
      '/api/password/change',
      { currentPassword: PASSWORD, password: GOOD_PASSWORD },
      bearer(session),
    );
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toMatchObject({ ok: true });
    await expectError(await login(t, EMAIL, PASSWORD), 401, 'invalid_credentials');
    await sessionFor(t, EMAIL, GOOD_PASSWORD);
    expect(await mailsOfKind(t, EMAIL, 'password-changed')).toHaveLength(1);
  });

  it('revokes every older session', async () => {
    await seedMember();
    const first = await sessionFor(t, EMAIL, PASSWORD);
    const second = await sessionFor(t, EMAIL, PASSWORD);
    const res = await t.post(
      '/api/password/change',
      { currentPassword: PASSWORD, password: GOOD_PASSWORD },
      bearer(second),
    );
    expect(res.status).toBe(200);
    await expectError(await t.get('/api/session', bearer(first)), 401, 'session_invalid');
    await expectError(await t.get('/api/session', bearer(second)), 401, 'session_invalid');
    const fresh = await sessionFor(t, EMAIL, GOOD_PASSWORD);
    expect((await t.get('/api/session', bearer(fresh))).status).toBe(200);
  });

  it('401 invalid_credentials for a wrong current password; nothing changes', async () => {
    await seedMember();
    const session = await sessionFor(t, EMAIL, PASSWORD);
    const res = await t.post(
      '/api/password/change',
      { currentPassword: 'not-the-password-at-all', password: GOOD_PASSWORD },
      bearer(session),
    );
    await expectError(res, 401, 'invalid_credentials');
    expect((await t.get('/api/session', bearer(session))).status).toBe(200);
    await sessionFor(t, EMAIL, PASSWORD);
  });

  it('422 password_rejected with the rules; nothing changes', async () => {
    await seedMember();
    const session = await sessionFor(t, EMAIL, PASSWORD);
    const same = await t.post(
      '/api/password/change',
      { currentPassword: PASSWORD, password: PASSWORD },
      bearer(session),
    );
    expect((await expectError(same, 422, 'password_rejected')).error.rules).toEqual(['not_recent']);
    const weak = await t.post(
      '/api/password/change',
      { currentPassword: PASSWORD, password: 'rivera-velvet-harbor' },
      bearer(session),
    );
    expect((await expectError(weak, 422, 'password_rejected')).error.rules).toEqual(['no_personal_info']);
    expect((await t.get('/api/session', bearer(session))).status).toBe(200);
    await sessionFor(t, EMAIL, PASSWORD);
  });

  it('the last 5 passwords are refused, the 6th oldest is accepted again', async () => {
    await seedMember();
    const passwords = [
      PASSWORD,
      'amber-glacier-fig-01',
      'amber-glacier-fig-02',
      'amber-glacier-fig-03',
      'amber-glacier-fig-04',
      'amber-glacier-fig-05',
    ];
    for (let i = 1; i < passwords.length; i++) {
      const session = await sessionFor(t, EMAIL, passwords[i - 1]);
      const res = await t.post(
        '/api/password/change',
        { currentPassword: passwords[i - 1], password: passwords[i] },
        bearer(session),
      );
      expect(res.status).toBe(200);
    }
    const session = await sessionFor(t, EMAIL, passwords[5]);
    for (const recent of passwords.slice(1)) {
      const res = await t.post(
        '/api/password/change',
        { currentPassword: passwords[5], password: recent },
        bearer(session),
      );
      expect((await expectError(res, 422, 'password_rejected')).error.rules).toEqual(['not_recent']);
    }
    const oldest = await t.post(
      '/api/password/change',
      { currentPassword: passwords[5], password: PASSWORD },
      bearer(session),
    );
    expect(oldest.status).toBe(200);
  });

  it('401 without a valid session', async () => {
    await seedMember();
    const session = await sessionFor(t, EMAIL, PASSWORD);
    await expectError(
      await t.post('/api/password/change', { currentPassword: PASSWORD, password: GOOD_PASSWORD }),
      401,
      'session_invalid',
    );
    await expectError(
      await t.post(
        '/api/password/change',
        { currentPassword: PASSWORD, password: GOOD_PASSWORD },
        bearer(tamperSignature(session)),
      ),
      401,
      'session_invalid',
    );
    await sessionFor(t, EMAIL, PASSWORD);
  });
});

describe('GET /api/session', () => {
  it('200 with its claims', async () => {
    const account = await seedMember();
    const res = await login(t, EMAIL, PASSWORD, { tenant: TENANT });
    const { session } = await bodyOf<LoginBody>(res);
    const claims = await bodyOf(await t.get('/api/session', bearer(session!)));
    const decoded = decodeJwt(session!);
    expect(claims).toMatchObject({
      sub: account.id,
      tid: TENANT,
      iss: TEST_PUBLIC_URL,
      aud: TEST_PUBLIC_URL,
      iat: decoded.iat,
      exp: decoded.exp,
      jti: decoded.jti,
    });
    expect(decodeProtectedHeader(session!).kid).toBeTruthy();
  });

  it('401 session_invalid once expired, not before', async () => {
    await seedMember();
    const session = await sessionFor(t, EMAIL, PASSWORD);
    const exp = decodeJwt(session).exp! * 1000;
    t.clock.set(exp - 5 * SECOND);
    expect((await t.get('/api/session', bearer(session))).status).toBe(200);
    t.clock.set(exp + SECOND);
    await expectError(await t.get('/api/session', bearer(session)), 401, 'session_invalid');
  });

  it('401 session_invalid after a password change, or once login is disabled', async () => {
    const account = await seedMember();
    const session = await sessionFor(t, EMAIL, PASSWORD);
    const other = await sessionFor(t, EMAIL, PASSWORD);
    await t.post(
      '/api/password/change',
      { currentPassword: PASSWORD, password: GOOD_PASSWORD },
      bearer(session),
    );
    await expectError(await t.get('/api/session', bearer(other)), 401, 'session_invalid');
    const fresh = await sessionFor(t, EMAIL, GOOD_PASSWORD);
    expect(
      (await t.patch(`/api/admin/clients/${account.id}`, { loginEnabled: false }, await t.asStaff())).status,
    ).toBe(200);
    await expectError(await t.get('/api/session', bearer(fresh)), 401, 'session_invalid');
  });

  it('401 session_invalid after staff set a password', async () => {
    const account = await seedMember();
    const session = await sessionFor(t, EMAIL, PASSWORD);
    await staffSetPassword(t, account.id, {
      mode: 'custom',
      password: OTHER_GOOD_PASSWORD,
      delivery: 'none',
    });
    await expectError(await t.get('/api/session', bearer(session)), 401, 'session_invalid');
  });

  it('401 session_invalid with no bearer, another scheme, or garbage', async () => {
    await seedMember();
    const session = await sessionFor(t, EMAIL, PASSWORD);
    await expectError(await t.get('/api/session'), 401, 'session_invalid');
    await expectError(
      await t.get('/api/session', { Authorization: `Basic ${session}` }),
      401,
      'session_invalid',
    );
    await expectError(await t.get('/api/session', bearer('garbage')), 401, 'session_invalid');
    await expectError(await t.get('/api/session', bearer(tamperSignature(session))), 401, 'session_invalid');
    expect((await t.get('/api/session', bearer(session))).status).toBe(200);
  });
});
