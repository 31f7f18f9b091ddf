/**
 * Member API, links side (API.md member rows, PRODUCT.md workflow 6): password policy, forgot,
 * inspecting, using (link or code), renewing links, confirming the email.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../server/clock.js';
import {
  codeFromMail,
  createTestApp,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  TENANT,
  tokenFromMail,
  type TestApp,
} from '../helpers/app.js';
import {
  bearer,
  bodyOf,
  expectError,
  forgot,
  newMail,
  onlyMail,
  login,
  mailsOfKind,
  sessionFor,
  staffTemporaryPassword,
  tamperSignature,
} from './api-member-helpers.js';

const OLD_PASSWORD = 'old-saffron-meadow-48';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

/** An active member with a confirmed address, `jamie@example.com`, in TENANT. */
const seedMember = (fields: Parameters<TestApp['seedClient']>[0] = {}) =>
  t.seedClient({ email: 'jamie@example.com', password: OLD_PASSWORD, ...fields });

describe('GET /api/policy', () => {
  it('serves the default rules', async () => {
    const res = await t.get('/api/policy');
    expect(res.status).toBe(200);
    const policy = await bodyOf<{
      minLength: number;
      maxLength: number;
      rules: Array<{ id: string; value?: number }>;
    }>(res);
    expect(policy).toMatchObject({ minLength: 12, maxLength: 128 });
    expect(policy.rules.map((rule) => rule.id)).toEqual(
      expect.arrayContaining(['min_length', 'max_length', 'not_common', 'no_personal_info', 'not_recent']),
    );
    expect(policy.rules).toContainEqual({ id: 'min_length', value: 12 });
  });

  it('an unknown tenant gets the defaults; a tenant with a longer minimum gets its own', async () => {
    expect(await bodyOf(await t.get('/api/policy?tenant=nobody-here'))).toMatchObject({
      minLength: 12,
      maxLength: 128,
    });
    expect(
      (await t.provisionTenant('strict-gym', { name: 'Strict Gym', minPasswordLength: 16 })).status,
    ).toBe(201);
    const res = await t.get('/api/policy?tenant=strict-gym');
    expect(res.status).toBe(200);
    const policy = await bodyOf<{ minLength: number; rules: unknown[] }>(res);
    expect(policy.minLength).toBe(16);
    expect(policy.rules).toContainEqual({ id: 'min_length', value: 16 });
    // The other tenants keep the default.
    expect(await bodyOf(await t.get(`/api/policy?tenant=${TENANT}`))).toMatchObject({ minLength: 12 });
  });

  // API.md lists no error for this endpoint and writes it as `/api/policy?tenant=`: an empty
  // tenant (what a page without a configured tenant sends) should mean "no tenant".
  // Regression: `?tenant=` was once refused with 400 invalid_request.
  it('an empty ?tenant= gets the defaults', async () => {
    const res = await t.get('/api/policy?tenant=');
    expect(res.status).toBe(200);
    expect(await bodyOf(res)).toMatchObject({ minLength: 12, maxLength: 128 });
  });

  it('the tenant minimum is what reset enforces for its members', async () => {
    await t.provisionTenant('strict-gym', { name: 'Strict Gym', minPasswordLength: 16 });
    await seedMember({ tenants: ['strict-gym'] });
    const { token } = await forgot(t, 'jamie@example.com');
    const short = await t.post('/api/reset', { token, password: 'quartz-lemon-71' }); // 15 code points
    expect((await expectError(short, 422, 'password_rejected')).error.rules).toEqual(['min_length']);
    expect((await t.post('/api/reset', { token, password: 'quartz-lemon-715' })).status).toBe(200);
  });
});

describe('POST /api/forgot', () => {
  it('202 {ok:true} and a reset mail with a link and a code', async () => {
    await seedMember();
    const res = await t.post('/api/forgot', { identifier: 'jamie@example.com' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true });
    const mail = await onlyMail(t, 'jamie@example.com', 'reset');
    expect(mail.text).toMatch(/https:\/\/portal\.example\.test\/reset\?tenant=[\w-]+#token=/);
    expect(codeFromMail(mail)).toMatch(/^[A-Z2-9]{8}$/);
  });

  it('accepts the username, case-insensitively, and a tenant the member belongs to', async () => {
    await seedMember({ username: 'JamieR' });
    expect((await t.post('/api/forgot', { identifier: '  jamier ', tenant: TENANT })).status).toBe(202);
    expect(await mailsOfKind(t, 'jamie@example.com', 'reset')).toHaveLength(1);
  });

  it('a tenant the member does not belong to sends nothing, with the same answer', async () => {
    await seedMember();
    const res = await t.post('/api/forgot', { identifier: 'jamie@example.com', tenant: 'studio-z' });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true });
    expect(await mailsOfKind(t, 'jamie@example.com', 'reset')).toHaveLength(0);
  });

  it('400 invalid_request without an identifier (missing or blank)', async () => {
    await expectError(await t.post('/api/forgot', {}), 400, 'invalid_request');
    await expectError(await t.post('/api/forgot', { identifier: '   ' }), 400, 'invalid_request');
    await expectError(await t.post('/api/forgot', { identifier: 42 }), 400, 'invalid_request');
  });
});

describe('POST /api/links/inspect', () => {
  it('200 {purpose, email masked}, without consuming: inspect twice, then reset still works', async () => {
    await seedMember();
    const { token } = await forgot(t, 'jamie@example.com');
    for (let i = 0; i < 2; i++) {
      const res = await t.post('/api/links/inspect', { token });
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(JSON.parse(text)).toMatchObject({ purpose: 'reset', email: 'j***@example.com' });
      expect(text).not.toContain('jamie@example.com');
    }
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
  });

  it('names an invite link as such', async () => {
    const invited = await t.seedClient({ email: 'new.member@example.com' });
    expect(
      (await t.post(`/api/admin/clients/${invited.id}/invite`, undefined, await t.asStaff())).status,
    ).toBe(202);
    const token = tokenFromMail(await onlyMail(t, 'new.member@example.com', 'invite'));
    expect(await bodyOf(await t.post('/api/links/inspect', { token }))).toMatchObject({
      purpose: 'invite',
      email: 'n***@example.com',
    });
  });

  it('410 link_expired after 24 hours', async () => {
    await seedMember();
    const { token } = await forgot(t, 'jamie@example.com');
    t.clock.advance(24 * HOUR + MINUTE);
    await expectError(await t.post('/api/links/inspect', { token }), 410, 'link_expired');
  });

  it('410 link_used after a reset', async () => {
    await seedMember();
    const { token } = await forgot(t, 'jamie@example.com');
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
    await expectError(await t.post('/api/links/inspect', { token }), 410, 'link_used');
  });

  it('410 link_replaced once a newer link was sent; the newer one works', async () => {
    await seedMember();
    const first = await forgot(t, 'jamie@example.com');
    const second = await forgot(t, 'jamie@example.com');
    expect(second.token).not.toBe(first.token);
    await expectError(await t.post('/api/links/inspect', { token: first.token }), 410, 'link_replaced');
    expect((await t.post('/api/links/inspect', { token: second.token })).status).toBe(200);
  });

  it('400 link_invalid for garbage and for a tampered signature', async () => {
    await seedMember();
    const { token } = await forgot(t, 'jamie@example.com');
    await expectError(
      await t.post('/api/links/inspect', { token: 'this-is-not-a-token-at-all' }),
      400,
      'link_invalid',
    );
    await expectError(
      await t.post('/api/links/inspect', { token: 'aaaa.bbbb.cccc-dddd-eeee' }),
      400,
      'link_invalid',
    );
    await expectError(
      await t.post('/api/links/inspect', { token: tamperSignature(token) }),
      400,
      'link_invalid',
    );
    // The real one is untouched.
    expect((await t.post('/api/links/inspect', { token })).status).toBe(200);
  });
});

describe('POST /api/reset with a link', () => {
  it('200 {ok:true}: the new password logs in, the old one does not, a notice is mailed', async () => {
    await seedMember();
    const { token } = await forgot(t, 'jamie@example.com');
    const res = await t.post('/api/reset', { token, password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    await expectError(await login(t, 'jamie@example.com', OLD_PASSWORD), 401, 'invalid_credentials');
    await sessionFor(t, 'jamie@example.com', GOOD_PASSWORD);
    expect(await mailsOfKind(t, 'jamie@example.com', 'password-changed')).toHaveLength(1);
  });

  it('410 link_used the second time, link_expired after 24 h, link_replaced for an older link', async () => {
    await seedMember();
    const older = await forgot(t, 'jamie@example.com');
    const newer = await forgot(t, 'jamie@example.com');
    await expectError(
      await t.post('/api/reset', { token: older.token, password: GOOD_PASSWORD }),
      410,
      'link_replaced',
    );
    expect((await t.post('/api/reset', { token: newer.token, password: GOOD_PASSWORD })).status).toBe(200);
    await expectError(
      await t.post('/api/reset', { token: newer.token, password: OTHER_GOOD_PASSWORD }),
      410,
      'link_used',
    );
    // The second use changed nothing.
    await sessionFor(t, 'jamie@example.com', GOOD_PASSWORD);

    const later = await forgot(t, 'jamie@example.com');
    t.clock.advance(24 * HOUR + MINUTE);
    await expectError(
      await t.post('/api/reset', { token: later.token, password: OTHER_GOOD_PASSWORD }),
      410,
      'link_expired',
    );
    await sessionFor(t, 'jamie@example.com', GOOD_PASSWORD);
  });

  it('400 link_invalid for garbage or a tampered signature', async () => {
    await seedMember();
    const { token } = await forgot(t, 'jamie@example.com');
    await expectError(
      await t.post('/api/reset', { token: 'garbage-garbage-garbage', password: GOOD_PASSWORD }),
      400,
      'link_invalid',
    );
    await expectError(
      await t.post('/api/reset', { token: tamperSignature(token), password: GOOD_PASSWORD }),
      400,
      'link_invalid',
    );
    await sessionFor(t, 'jamie@example.com', OLD_PASSWORD);
  });

  it('400 invalid_request when the body mixes or misses fields', async () => {
    await expectError(await t.post('/api/reset', { password: GOOD_PASSWORD }), 400, 'invalid_request');
    await expectError(await t.post('/api/reset', { token: 'x'.repeat(40) }), 400, 'invalid_request');
  });

  describe('422 password_rejected names the failed rules, and the link stays usable', () => {
    let token: string;
    beforeEach(async () => {
      await t.provisionTenant(TENANT, { name: 'Quokka Fitness' });
      await seedMember();
      ({ token } = await forgot(t, 'jamie@example.com'));
    });

    const rejected = async (password: string) =>
      (await expectError(await t.post('/api/reset', { token, password }), 422, 'password_rejected')).error
        .rules;

    it('min_length (11 code points), and 12 is enough', async () => {
      expect(await rejected('harbor-quil')).toEqual(['min_length']);
      expect((await t.post('/api/reset', { token, password: 'harbor-quilt' })).status).toBe(200);
    });

    it('not_common', async () => {
      expect(await rejected('password1234')).toEqual(['not_common']);
      expect(await rejected('QWERTY123456')).toEqual(['not_common']);
    });

    it("no_personal_info: the member's name, email or tenant name", async () => {
      expect(await rejected('rivera-velvet-harbor-9')).toEqual(['no_personal_info']);
      expect(await rejected('velvet-JAMIE-harbor-9')).toEqual(['no_personal_info']);
      expect(await rejected('velvet-quokka-harbor-9')).toEqual(['no_personal_info']);
    });

    it('not_recent: the current password, and a previous one', async () => {
      expect(await rejected(OLD_PASSWORD)).toEqual(['not_recent']);
      expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
      const next = await forgot(t, 'jamie@example.com');
      const res = await t.post('/api/reset', { token: next.token, password: OLD_PASSWORD });
      expect((await expectError(res, 422, 'password_rejected')).error.rules).toEqual(['not_recent']);
    });

    it('max_length: 129 code points are too many, 128 (as 256 UTF-16 units) are fine', async () => {
      expect(await rejected('🔑'.repeat(129))).toEqual(['max_length']);
      expect(await rejected('k'.repeat(129))).toEqual(['max_length']);
      expect((await t.post('/api/reset', { token, password: '🔑'.repeat(128) })).status).toBe(200);
      await sessionFor(t, 'jamie@example.com', '🔑'.repeat(128));
    });

    it('several rules at once, and the message does not echo the password', async () => {
      const res = await t.post('/api/reset', { token, password: 'rivera' });
      const text = await res.text();
      expect(res.status).toBe(422);
      expect(JSON.parse(text).error.rules).toEqual(
        expect.arrayContaining(['min_length', 'no_personal_info']),
      );
      expect(text).not.toContain('"rivera"');
    });
  });

  it('confirms the email: an unconfirmed member can log in after resetting', async () => {
    await seedMember({ emailConfirmed: false });
    await expectError(await login(t, 'jamie@example.com', OLD_PASSWORD), 403, 'email_not_confirmed');
    const { token } = await forgot(t, 'jamie@example.com');
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
    await sessionFor(t, 'jamie@example.com', GOOD_PASSWORD);
  });

  it('ends the force-reset state: a staff-sent link after a temporary password leads to a normal login', async () => {
    const account = await seedMember();
    const temporary = await staffTemporaryPassword(t, account.id);
    expect(
      (await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, await t.asStaff())).status,
    ).toBe(202);
    const token = tokenFromMail(await onlyMail(t, 'jamie@example.com', 'reset'));
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
    expect(await bodyOf(await login(t, 'jamie@example.com', GOOD_PASSWORD))).toMatchObject({ status: 'ok' });
    await expectError(await login(t, 'jamie@example.com', temporary), 401, 'invalid_credentials');
    const summary = await bodyOf(await t.get(`/api/admin/clients/${account.id}`, await t.asStaff()));
    expect(summary.status).toBe('active');
  });

  it('revokes sessions made before it', async () => {
    await seedMember();
    const before = await sessionFor(t, 'jamie@example.com', OLD_PASSWORD);
    expect((await t.get('/api/session', bearer(before))).status).toBe(200);
    const { token } = await forgot(t, 'jamie@example.com');
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
    await expectError(await t.get('/api/session', bearer(before)), 401, 'session_invalid');
    const after = await sessionFor(t, 'jamie@example.com', GOOD_PASSWORD);
    expect((await t.get('/api/session', bearer(after))).status).toBe(200);
  });

  it('sets the first password through an invite link', async () => {
    const invited = await t.seedClient({ email: 'new.member@example.com', emailConfirmed: false });
    await expectError(await login(t, 'new.member@example.com', GOOD_PASSWORD), 401, 'invalid_credentials');
    await t.post(`/api/admin/clients/${invited.id}/invite`, undefined, await t.asStaff());
    const token = tokenFromMail(await onlyMail(t, 'new.member@example.com', 'invite'));
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
    await sessionFor(t, 'new.member@example.com', GOOD_PASSWORD);
  });
});

describe('POST /api/reset with the identifier and the code from the same mail', () => {
  it('200: sets the password; the link of that mail is then used', async () => {
    await seedMember({ username: 'jamier' });
    const { token, code } = await forgot(t, 'jamie@example.com');
    const res = await t.post('/api/reset', { identifier: 'JamieR', code, password: GOOD_PASSWORD });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    await sessionFor(t, 'jamie@example.com', GOOD_PASSWORD);
    await expectError(await t.post('/api/reset', { token, password: OTHER_GOOD_PASSWORD }), 410, 'link_used');
    // …and the code does not work twice.
    const again = await t.post('/api/reset', {
      identifier: 'jamie@example.com',
      code,
      password: OTHER_GOOD_PASSWORD,
    });
    await expectError(again, 400, 'code_invalid');
  });

  it('is typed case-insensitively, with spaces or dashes', async () => {
    await seedMember();
    const { code } = await forgot(t, 'jamie@example.com');
    const typed = `${code.slice(0, 4)}-${code.slice(4)}`.toLowerCase();
    expect(
      (await t.post('/api/reset', { identifier: 'jamie@example.com', code: typed, password: GOOD_PASSWORD }))
        .status,
    ).toBe(200);
  });

  it('a code from a replaced mail does not work, the newest does', async () => {
    await seedMember();
    const older = await forgot(t, 'jamie@example.com');
    const newer = await forgot(t, 'jamie@example.com');
    expect(newer.code).not.toBe(older.code);
    await expectError(
      await t.post('/api/reset', {
        identifier: 'jamie@example.com',
        code: older.code,
        password: GOOD_PASSWORD,
      }),
      400,
      'code_invalid',
    );
    expect(
      (
        await t.post('/api/reset', {
          identifier: 'jamie@example.com',
          code: newer.code,
          password: GOOD_PASSWORD,
        })
      ).status,
    ).toBe(200);
  });

  it('after 5 wrong codes from one address, that address waits (429); the link still works', async () => {
    await seedMember();
    const { token, code } = await forgot(t, 'jamie@example.com');
    const wrong = code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA';
    for (let i = 0; i < 5; i++) {
      await expectError(
        await t.post('/api/reset', { identifier: 'jamie@example.com', code: wrong, password: GOOD_PASSWORD }),
        400,
        'code_invalid',
      );
    }
    const sixth = await t.post('/api/reset', {
      identifier: 'jamie@example.com',
      code,
      password: GOOD_PASSWORD,
    });
    await expectError(sixth, 429, 'too_many_attempts');
    expect(Number(sixth.headers.get('Retry-After'))).toBeGreaterThan(0);
    await sessionFor(t, 'jamie@example.com', OLD_PASSWORD);
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
    await sessionFor(t, 'jamie@example.com', GOOD_PASSWORD);
  });

  it('4 wrong codes still leave the right one working', async () => {
    await seedMember();
    const { code } = await forgot(t, 'jamie@example.com');
    const wrong = code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA';
    for (let i = 0; i < 4; i++) {
      await t.post('/api/reset', { identifier: 'jamie@example.com', code: wrong, password: GOOD_PASSWORD });
    }
    expect(
      (await t.post('/api/reset', { identifier: 'jamie@example.com', code, password: GOOD_PASSWORD })).status,
    ).toBe(200);
  });

  it('an unknown identifier gets exactly the answer of a wrong code', async () => {
    await seedMember();
    const { code } = await forgot(t, 'jamie@example.com');
    const wrong = code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA';
    const known = await t.post('/api/reset', {
      identifier: 'jamie@example.com',
      code: wrong,
      password: GOOD_PASSWORD,
    });
    const unknown = await t.post('/api/reset', {
      identifier: 'nobody@example.com',
      code,
      password: GOOD_PASSWORD,
    });
    expect(unknown.status).toBe(known.status);
    expect(await unknown.text()).toBe(await known.text());
    expect(known.status).toBe(400);
  });

  it('422 password_rejected keeps the code usable', async () => {
    await seedMember();
    const { code } = await forgot(t, 'jamie@example.com');
    const res = await t.post('/api/reset', {
      identifier: 'jamie@example.com',
      code,
      password: 'password1234',
    });
    expect((await expectError(res, 422, 'password_rejected')).error.rules).toEqual(['not_common']);
    expect(
      (await t.post('/api/reset', { identifier: 'jamie@example.com', code, password: GOOD_PASSWORD })).status,
    ).toBe(200);
  });

  // API.md: the code printed in the same mail finishes that mail's link on another device. An
  // invited member who also asked for a reset has two live links (invite and reset, different
  // purposes); each mail's code must work for its own link.
  // Regression: only the first live link with a code was once compared.
  it('the code of a live invite mail works while a reset link is also live', async () => {
    const invited = await t.seedClient({ email: 'new.member@example.com' });
    await t.post(`/api/admin/clients/${invited.id}/invite`, undefined, await t.asStaff());
    const invite = await onlyMail(t, 'new.member@example.com', 'invite');
    await forgot(t, 'new.member@example.com');
    expect(await bodyOf(await t.post('/api/links/inspect', { token: tokenFromMail(invite) }))).toMatchObject({
      purpose: 'invite',
    });
    const res = await t.post('/api/reset', {
      identifier: 'new.member@example.com',
      code: codeFromMail(invite),
      password: GOOD_PASSWORD,
    });
    expect(res.status).toBe(200);
  });

  it('the code of the reset mail works while an older invite is live', async () => {
    const invited = await t.seedClient({ email: 'new.member@example.com' });
    await t.post(`/api/admin/clients/${invited.id}/invite`, undefined, await t.asStaff());
    const { code } = await forgot(t, 'new.member@example.com');
    expect(
      (await t.post('/api/reset', { identifier: 'new.member@example.com', code, password: GOOD_PASSWORD }))
        .status,
    ).toBe(200);
  });

  it('an expired code does not work', async () => {
    await seedMember();
    const { code } = await forgot(t, 'jamie@example.com');
    t.clock.advance(24 * HOUR + MINUTE);
    await expectError(
      await t.post('/api/reset', { identifier: 'jamie@example.com', code, password: GOOD_PASSWORD }),
      400,
      'code_invalid',
    );
  });
});

describe('POST /api/links/renew', () => {
  it('an expired link: 202 and a new mail whose link works', async () => {
    await seedMember();
    const { token } = await forgot(t, 'jamie@example.com');
    t.clock.advance(25 * HOUR);
    const mail = await newMail(t, 'jamie@example.com', 'reset', async () => {
      const res = await t.post('/api/links/renew', { token });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ ok: true });
    });
    const fresh = tokenFromMail(mail);
    expect(fresh).not.toBe(token);
    expect((await t.post('/api/links/inspect', { token: fresh })).status).toBe(200);
    expect((await t.post('/api/reset', { token: fresh, password: GOOD_PASSWORD })).status).toBe(200);
    await sessionFor(t, 'jamie@example.com', GOOD_PASSWORD);
  });

  it('a replaced link: 202 and a new mail whose link works', async () => {
    await seedMember();
    const older = await forgot(t, 'jamie@example.com');
    await forgot(t, 'jamie@example.com');
    const mail = await newMail(t, 'jamie@example.com', 'reset', async () => {
      expect((await t.post('/api/links/renew', { token: older.token })).status).toBe(202);
    });
    expect((await t.post('/api/reset', { token: tokenFromMail(mail), password: GOOD_PASSWORD })).status).toBe(
      200,
    );
  });

  it('a renewed invite is still an invite', async () => {
    const invited = await t.seedClient({ email: 'new.member@example.com' });
    await t.post(`/api/admin/clients/${invited.id}/invite`, undefined, await t.asStaff());
    const first = tokenFromMail(await onlyMail(t, 'new.member@example.com', 'invite'));
    await t.post(`/api/admin/clients/${invited.id}/invite`, undefined, await t.asStaff());
    await expectError(await t.post('/api/links/inspect', { token: first }), 410, 'link_replaced');
    const mail = await newMail(t, 'new.member@example.com', 'invite', async () => {
      expect((await t.post('/api/links/renew', { token: first })).status).toBe(202);
    });
    expect(await bodyOf(await t.post('/api/links/inspect', { token: tokenFromMail(mail) }))).toMatchObject({
      purpose: 'invite',
    });
  });

  it('a used link: the same 202, and no mail', async () => {
    await seedMember();
    const { token } = await forgot(t, 'jamie@example.com');
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
    const res = await t.post('/api/links/renew', { token });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true });
    expect(await mailsOfKind(t, 'jamie@example.com', 'reset')).toHaveLength(1);
  });

  it('400 link_invalid for a bad signature or garbage, and no mail', async () => {
    await seedMember();
    const { token } = await forgot(t, 'jamie@example.com');
    t.clock.advance(25 * HOUR);
    await expectError(
      await t.post('/api/links/renew', { token: tamperSignature(token) }),
      400,
      'link_invalid',
    );
    await expectError(
      await t.post('/api/links/renew', { token: 'not-a-token-not-a-token' }),
      400,
      'link_invalid',
    );
    expect(await mailsOfKind(t, 'jamie@example.com', 'reset')).toHaveLength(1);
  });
});

describe('POST /api/verify-email', () => {
  /** An unconfirmed member tries to log in: 403 and a verify-email mail; returns its token. */
  const verifyToken = async () => {
    await seedMember({ emailConfirmed: false });
    await expectError(await login(t, 'jamie@example.com', OLD_PASSWORD), 403, 'email_not_confirmed');
    return tokenFromMail(await onlyMail(t, 'jamie@example.com', 'verify-email'));
  };

  it('200 {ok:true}: the email is confirmed and login then works', async () => {
    const token = await verifyToken();
    expect(await bodyOf(await t.post('/api/links/inspect', { token }))).toMatchObject({
      purpose: 'verify-email',
    });
    const res = await t.post('/api/verify-email', { token });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    await sessionFor(t, 'jamie@example.com', OLD_PASSWORD);
  });

  it('410 link_used the second time', async () => {
    const token = await verifyToken();
    expect((await t.post('/api/verify-email', { token })).status).toBe(200);
    await expectError(await t.post('/api/verify-email', { token }), 410, 'link_used');
  });

  it('410 link_expired after 7 days, but not before', async () => {
    const token = await verifyToken();
    t.clock.advance(7 * DAY - HOUR);
    expect((await t.post('/api/links/inspect', { token })).status).toBe(200);
    t.clock.advance(2 * HOUR);
    await expectError(await t.post('/api/verify-email', { token }), 410, 'link_expired');
    await expectError(await login(t, 'jamie@example.com', OLD_PASSWORD), 403, 'email_not_confirmed');
  });

  it('410 link_replaced when a newer one was sent', async () => {
    const token = await verifyToken();
    const mail = await newMail(t, 'jamie@example.com', 'verify-email', async () => {
      expect((await t.post('/api/links/renew', { token })).status).toBe(202);
    });
    await expectError(await t.post('/api/verify-email', { token }), 410, 'link_replaced');
    expect((await t.post('/api/verify-email', { token: tokenFromMail(mail) })).status).toBe(200);
  });

  it('400 link_invalid for a tampered token or a reset link', async () => {
    const token = await verifyToken();
    await expectError(
      await t.post('/api/verify-email', { token: tamperSignature(token) }),
      400,
      'link_invalid',
    );
    const reset = await forgot(t, 'jamie@example.com');
    await expectError(await t.post('/api/verify-email', { token: reset.token }), 400, 'link_invalid');
    await expectError(await login(t, 'jamie@example.com', OLD_PASSWORD), 403, 'email_not_confirmed');
  });
});
