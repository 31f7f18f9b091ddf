/**
 * SECURITY.md "Links and tokens" on the member endpoints: when a link dies, how long it lives,
 * and JWT attacks on /api/reset and /api/session (RFC 8725).
 */
import {
  base64url,
  decodeJwt,
  decodeProtectedHeader,
  generateKeyPair,
  exportJWK,
  SignJWT,
  type JWTPayload,
  type JWTHeaderParameters,
} from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DAY, HOUR, MINUTE } from '../../server/clock.js';
import { rotateSigningKeys } from '../../server/crypto/keys.js';
import {
  createTestApp,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  tokenFromMail,
  type TestApp,
} from '../helpers/app.js';
import {
  bearer,
  bodyOf,
  expectError,
  forgot,
  login,
  onlyMail,
  sessionFor,
  staffSetPassword,
  staffTemporaryPassword,
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

describe('a link dies when…', () => {
  let accountId: string;
  let token: string;
  beforeEach(async () => {
    accountId = (await seedMember()).id;
    ({ token } = await forgot(t, EMAIL));
    expect((await t.post('/api/links/inspect', { token })).status).toBe(200);
  });

  it('staff set a password', async () => {
    await staffSetPassword(t, accountId, { mode: 'custom', password: OTHER_GOOD_PASSWORD, delivery: 'none' });
    await expectError(await t.post('/api/links/inspect', { token }), 410, 'link_revoked');
    await expectError(await t.post('/api/reset', { token, password: GOOD_PASSWORD }), 410, 'link_revoked');
    expect(await bodyOf(await login(t, EMAIL, OTHER_GOOD_PASSWORD))).toMatchObject({
      status: 'password_change_required',
    });
  });

  it('staff issue a temporary password', async () => {
    await staffTemporaryPassword(t, accountId);
    await expectError(await t.post('/api/reset', { token, password: GOOD_PASSWORD }), 410, 'link_revoked');
  });

  it('the member changes the password while logged in', async () => {
    const session = await sessionFor(t, EMAIL, PASSWORD);
    expect(
      (
        await t.post(
          '/api/password/change',
          { currentPassword: PASSWORD, password: OTHER_GOOD_PASSWORD },
          bearer(session),
        )
      ).status,
    ).toBe(200);
    await expectError(await t.post('/api/reset', { token, password: GOOD_PASSWORD }), 410, 'link_revoked');
    await sessionFor(t, EMAIL, OTHER_GOOD_PASSWORD);
  });

  it('login is disabled (and enabling it again does not bring the link back)', async () => {
    expect(
      (await t.patch(`/api/admin/clients/${accountId}`, { loginEnabled: false }, await t.asStaff())).status,
    ).toBe(200);
    await expectError(await t.post('/api/reset', { token, password: GOOD_PASSWORD }), 410, 'link_revoked');
    expect(
      (await t.patch(`/api/admin/clients/${accountId}`, { loginEnabled: true }, await t.asStaff())).status,
    ).toBe(200);
    await expectError(await t.post('/api/reset', { token, password: GOOD_PASSWORD }), 410, 'link_revoked');
    await sessionFor(t, EMAIL, PASSWORD);
  });

  it('the email changes (the code of that mail dies too)', async () => {
    const { token: latest, code } = await forgot(t, EMAIL);
    expect(
      (
        await t.patch(
          `/api/admin/clients/${accountId}`,
          { email: 'jamie.new@example.com' },
          await t.asStaff(),
        )
      ).status,
    ).toBe(200);
    await expectError(
      await t.post('/api/reset', { token: latest, password: GOOD_PASSWORD }),
      410,
      'link_revoked',
    );
    const byCode = await t.post('/api/reset', {
      identifier: 'jamie.new@example.com',
      code,
      password: GOOD_PASSWORD,
    });
    await expectError(byCode, 400, 'code_invalid');
  });

  it('a newer link is made: the older one is link_replaced, before and after the newer one is used', async () => {
    const { token: newer } = await forgot(t, EMAIL);
    await expectError(await t.post('/api/reset', { token, password: GOOD_PASSWORD }), 410, 'link_replaced');
    expect((await t.post('/api/reset', { token: newer, password: GOOD_PASSWORD })).status).toBe(200);
    await expectError(
      await t.post('/api/reset', { token, password: OTHER_GOOD_PASSWORD }),
      410,
      'link_replaced',
    );
  });
});

describe('link lifetimes', () => {
  it('a reset link expires after 24 hours, not before', async () => {
    await seedMember();
    const { token } = await forgot(t, EMAIL);
    t.clock.advance(24 * HOUR - MINUTE);
    expect((await t.post('/api/links/inspect', { token })).status).toBe(200);
    t.clock.advance(2 * MINUTE);
    await expectError(await t.post('/api/links/inspect', { token }), 410, 'link_expired');
    await expectError(await t.post('/api/reset', { token, password: GOOD_PASSWORD }), 410, 'link_expired');
    await sessionFor(t, EMAIL, PASSWORD);
  });

  it('a reset link used just before 24 hours works', async () => {
    await seedMember();
    const { token } = await forgot(t, EMAIL);
    t.clock.advance(24 * HOUR - MINUTE);
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
  });

  it('an invite link still works after 30 days', async () => {
    const invited = await t.seedClient({ email: 'new.member@example.com', emailConfirmed: false });
    expect(
      (await t.post(`/api/admin/clients/${invited.id}/invite`, undefined, await t.asStaff())).status,
    ).toBe(202);
    const token = tokenFromMail(await onlyMail(t, 'new.member@example.com', 'invite'));
    t.clock.advance(30 * DAY);
    expect(await bodyOf(await t.post('/api/links/inspect', { token }))).toMatchObject({ purpose: 'invite' });
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
    await sessionFor(t, 'new.member@example.com', GOOD_PASSWORD);
    await expectError(await t.post('/api/reset', { token, password: OTHER_GOOD_PASSWORD }), 410, 'link_used');
  });

  it('an invite link dies when staff set a password meanwhile', async () => {
    const invited = await t.seedClient({ email: 'new.member@example.com' });
    await t.post(`/api/admin/clients/${invited.id}/invite`, undefined, await t.asStaff());
    const token = tokenFromMail(await onlyMail(t, 'new.member@example.com', 'invite'));
    await staffSetPassword(t, invited.id, {
      mode: 'custom',
      password: OTHER_GOOD_PASSWORD,
      delivery: 'none',
    });
    await expectError(await t.post('/api/reset', { token, password: GOOD_PASSWORD }), 410, 'link_revoked');
  });
});

describe('signing keys', () => {
  it('the JWKS publishes public keys only, each with kid and alg', async () => {
    const res = await t.get('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const { keys } = await bodyOf<{ keys: Array<Record<string, unknown>> }>(res);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      for (const secret of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) expect(key).not.toHaveProperty(secret);
      expect(key.kid).toBeTruthy();
      expect(['EdDSA', 'ES256']).toContain(key.alg);
    }
  });

  it('are kept: a second server over the same store verifies the first one’s sessions and links', async () => {
    await seedMember();
    const session = await sessionFor(t, EMAIL, PASSWORD);
    const { token } = await forgot(t, EMAIL);
    const second = await createTestApp({ overrides: { store: t.store } });
    expect((await second.get('/api/session', bearer(session))).status).toBe(200);
    expect((await second.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
    await second.drain();
  });

  it('after rotation, what the retired key signed still verifies, and the JWKS publishes both keys', async () => {
    await seedMember();
    const session = await sessionFor(t, EMAIL, PASSWORD);
    const { token } = await forgot(t, EMAIL);
    const oldKid = decodeProtectedHeader(token).kid;
    await rotateSigningKeys(t.store, t.clock.now());
    const second = await createTestApp({ overrides: { store: t.store } });
    const kids = (
      await bodyOf<{ keys: Array<{ kid: string }> }>(await second.get('/.well-known/jwks.json'))
    ).keys.map((key) => key.kid);
    expect(kids).toHaveLength(2);
    expect(kids).toContain(oldKid);
    expect((await second.get('/api/session', bearer(session))).status).toBe(200);
    expect((await second.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
    const fresh = await sessionFor(second, EMAIL, GOOD_PASSWORD);
    expect(decodeProtectedHeader(fresh).kid).not.toBe(oldKid);
    await second.drain();
  });
});

describe('JWT attacks', () => {
  const ATTACKER_URL = 'https://attacker.example/jwks.json';
  let accountId: string;
  let resetToken: string;
  let session: string;
  let resetHeader: JWTHeaderParameters;
  let resetClaims: JWTPayload;
  let sessionHeader: JWTHeaderParameters;
  let sessionClaims: JWTPayload;

  const serverKey = () => t.deps.keyRing.signingKey();
  const sign = (claims: JWTPayload, header: JWTHeaderParameters, key: CryptoKey | Uint8Array) =>
    new SignJWT(claims).setProtectedHeader(header).sign(key);
  const encode = (value: unknown) => base64url.encode(JSON.stringify(value));
  const unsigned = (claims: JWTPayload, header: Record<string, unknown>) =>
    `${encode(header)}.${encode(claims)}.`;

  /** Every forged reset token is refused as invalid, changes nothing, and burns nothing. */
  const refusedAtReset = async (token: string) => {
    await expectError(await t.post('/api/reset', { token, password: GOOD_PASSWORD }), 400, 'link_invalid');
    await expectError(await t.post('/api/links/inspect', { token }), 400, 'link_invalid');
  };
  const refusedAtSession = async (token: string) =>
    expectError(await t.get('/api/session', bearer(token)), 401, 'session_invalid');

  beforeEach(async () => {
    accountId = (await seedMember()).id;
    session = await sessionFor(t, EMAIL, PASSWORD);
    ({ token: resetToken } = await forgot(t, EMAIL));
    resetHeader = decodeProtectedHeader(resetToken) as JWTHeaderParameters;
    resetClaims = decodeJwt(resetToken);
    sessionHeader = decodeProtectedHeader(session) as JWTHeaderParameters;
    sessionClaims = decodeJwt(session);
    expect(resetHeader.kid).toBeTruthy();
  });

  afterEach(async () => {
    // Nothing the attacks did burned the real link or changed the password.
    await sessionFor(t, EMAIL, PASSWORD);
    expect((await t.post('/api/reset', { token: resetToken, password: GOOD_PASSWORD })).status).toBe(200);
  });

  it('control: the same claims and header re-signed with the server key are accepted', async () => {
    expect(
      (await t.post('/api/links/inspect', { token: await sign(resetClaims, resetHeader, serverKey()) }))
        .status,
    ).toBe(200);
    expect(
      (await t.get('/api/session', bearer(await sign(sessionClaims, sessionHeader, serverKey())))).status,
    ).toBe(200);
  });

  it('alg:none is refused', async () => {
    await refusedAtReset(unsigned(resetClaims, { ...resetHeader, alg: 'none' }));
    await refusedAtReset(unsigned(resetClaims, { alg: 'none' }));
    await refusedAtSession(unsigned(sessionClaims, { ...sessionHeader, alg: 'none' }));
    // The real signature under an alg:none header does not help either.
    const [, , signature] = resetToken.split('.');
    await refusedAtReset(`${encode({ ...resetHeader, alg: 'none' })}.${encode(resetClaims)}.${signature}`);
  });

  it('a token signed by another Ed25519 key with the same kid is refused', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
    await refusedAtReset(await sign(resetClaims, resetHeader, privateKey));
    await refusedAtSession(await sign(sessionClaims, sessionHeader, privateKey));
  });

  it('an HS256 token keyed with the server’s public key bytes is refused', async () => {
    const jwks = await bodyOf<{ keys: Array<{ kid: string; x: string }> }>(
      await t.get('/.well-known/jwks.json'),
    );
    const published = jwks.keys.find((key) => key.kid === resetHeader.kid)!;
    expect(published.x).toBeTruthy();
    const raw = base64url.decode(published.x);
    for (const secret of [
      raw,
      new TextEncoder().encode(published.x),
      new TextEncoder().encode(JSON.stringify(published)),
    ]) {
      await refusedAtReset(await sign(resetClaims, { ...resetHeader, alg: 'HS256' }, secret));
      await refusedAtSession(await sign(sessionClaims, { ...sessionHeader, alg: 'HS256' }, secret));
    }
  });

  it('a token without exp is refused, even signed with the server key', async () => {
    const { exp: _resetExp, ...resetNoExp } = resetClaims;
    const { exp: _sessionExp, ...sessionNoExp } = sessionClaims;
    await refusedAtReset(await sign(resetNoExp, resetHeader, serverKey()));
    await refusedAtSession(await sign(sessionNoExp, sessionHeader, serverKey()));
  });

  it('tokens missing jti, sub or iat, or with another iss or aud, are refused even signed with the server key', async () => {
    for (const claim of ['jti', 'sub', 'iat'] as const) {
      const { [claim]: _dropped, ...rest } = sessionClaims;
      await refusedAtSession(await sign(rest, sessionHeader, serverKey()));
    }
    await refusedAtSession(
      await sign({ ...sessionClaims, iss: 'https://attacker.example' }, sessionHeader, serverKey()),
    );
    await refusedAtSession(
      await sign({ ...sessionClaims, aud: 'https://attacker.example' }, sessionHeader, serverKey()),
    );
    await refusedAtReset(
      await sign({ ...resetClaims, iss: 'https://attacker.example' }, resetHeader, serverKey()),
    );
    await refusedAtReset(await sign({ ...resetClaims, aud: sessionClaims.aud }, resetHeader, serverKey()));
  });

  it('an unknown kid, or no kid, is refused', async () => {
    await refusedAtReset(await sign(resetClaims, { ...resetHeader, kid: 'not-a-known-kid' }, serverKey()));
    const { kid: _kid, ...noKid } = sessionHeader;
    await refusedAtSession(await sign(sessionClaims, noKid as JWTHeaderParameters, serverKey()));
    await refusedAtSession(
      await sign(sessionClaims, { ...sessionHeader, kid: 'not-a-known-kid' }, serverKey()),
    );
  });

  it('jku / jwk / x5u headers are refused, with no outbound fetch', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
      const attackerJwk = await exportJWK(publicKey);
      await refusedAtReset(await sign(resetClaims, { ...resetHeader, jku: ATTACKER_URL }, privateKey));
      await refusedAtReset(await sign(resetClaims, { ...resetHeader, jwk: attackerJwk }, privateKey));
      await refusedAtSession(await sign(sessionClaims, { ...sessionHeader, jku: ATTACKER_URL }, privateKey));
      await refusedAtSession(await sign(sessionClaims, { ...sessionHeader, jwk: attackerJwk }, privateKey));
      // Even with the real key: a token that names its own key source is not taken.
      await refusedAtReset(await sign(resetClaims, { ...resetHeader, jku: ATTACKER_URL }, serverKey()));
      await refusedAtSession(await sign(sessionClaims, { ...sessionHeader, x5u: ATTACKER_URL }, serverKey()));
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });

  it('wrong purpose: a session, a challenge or a verify-email token is not a reset link', async () => {
    await refusedAtReset(session);
    const temporaryAccount = await t.seedClient({ email: 'temp@example.com', password: PASSWORD });
    const temporary = await staffTemporaryPassword(t, temporaryAccount.id);
    const challenge = (await bodyOf<{ challenge: string }>(await login(t, 'temp@example.com', temporary)))
      .challenge;
    expect(challenge).toBeTruthy();
    await refusedAtReset(challenge);
    const unconfirmed = await t.seedClient({
      email: 'unconfirmed@example.com',
      password: PASSWORD,
      emailConfirmed: false,
    });
    expect(unconfirmed.id).toBeTruthy();
    await expectError(await login(t, 'unconfirmed@example.com', PASSWORD), 403, 'email_not_confirmed');
    const verify = tokenFromMail(await onlyMail(t, 'unconfirmed@example.com', 'verify-email'));
    await expectError(
      await t.post('/api/reset', { token: verify, password: GOOD_PASSWORD }),
      400,
      'link_invalid',
    );
    // …and the verify link itself is still good for what it is.
    expect((await t.post('/api/verify-email', { token: verify })).status).toBe(200);
  });

  it('a claimed purpose that does not match the signed type is refused', async () => {
    // A session re-labelled as a reset link (as if an attacker could edit the payload): signature no longer matches.
    const [header, , signature] = session.split('.');
    await refusedAtReset(`${header}.${encode({ ...sessionClaims, pur: 'reset' })}.${signature}`);
    // Signed by the server key with a mismatching typ: still refused.
    await refusedAtReset(await sign(resetClaims, { ...resetHeader, typ: 'at+jwt' }, serverKey()));
    await refusedAtSession(await sign(sessionClaims, { ...sessionHeader, typ: 'reset+jwt' }, serverKey()));
    await refusedAtSession(await sign({ ...sessionClaims, pur: 'reset' }, sessionHeader, serverKey()));
  });

  it('wrong purpose: reset, invite and verify-email links are not sessions', async () => {
    await refusedAtSession(resetToken);
    const invited = await t.seedClient({ email: 'invited@example.com' });
    await t.post(`/api/admin/clients/${invited.id}/invite`, undefined, await t.asStaff());
    await refusedAtSession(tokenFromMail(await onlyMail(t, 'invited@example.com', 'invite')));
    await t.seedClient({ email: 'unconfirmed@example.com', password: PASSWORD, emailConfirmed: false });
    await login(t, 'unconfirmed@example.com', PASSWORD);
    await refusedAtSession(tokenFromMail(await onlyMail(t, 'unconfirmed@example.com', 'verify-email')));
    expect(accountId).toBeTruthy();
  });

  it('a staff token or the provisioning key is not a member session', async () => {
    await refusedAtSession(await t.staffToken());
    await refusedAtSession('test-provision-key');
  });

  it('an expired session is refused even though everything else is right', async () => {
    const expired = await sign(
      { ...sessionClaims, exp: Math.floor(t.clock.now() / 1000) - 1 },
      sessionHeader,
      serverKey(),
    );
    await refusedAtSession(expired);
  });
});

describe('a link cut short in the mail client', () => {
  it('is link_invalid (the sentence that says what to do), not a field error', async () => {
    const t = await createTestApp();
    try {
      for (const path of ['/api/links/inspect', '/api/verify-email', '/api/links/renew']) {
        const res = await t.post(path, { token: 'eyJhbGci' });
        expect(res.status, path).toBe(400);
        expect(((await res.json()) as { error: { code: string } }).error.code, path).toBe('link_invalid');
      }
      const reset = await t.post('/api/reset', { token: 'eyJhbGci', password: 'harbor-violet-lamp-29' });
      expect(((await reset.json()) as { error: { code: string } }).error.code).toBe('link_invalid');
    } finally {
      await t.close();
    }
  });
});
