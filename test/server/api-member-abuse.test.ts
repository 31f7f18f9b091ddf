/**
 * SECURITY.md "Abuse and enumeration" and "Passwords" on the member endpoints: forgot answers the
 * same for every kind of account and drops over its limits silently; login spends a verify on
 * unknown identifiers, survives a malformed stored hash, re-hashes old parameters, normalises.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HOUR, MINUTE } from '../../server/clock.js';
import type { Mailer, MailRequest } from '../../server/mail/mailer.js';
import { createTestApp, GOOD_PASSWORD, type TestApp } from '../helpers/app.js';
import {
  bodyOf,
  expectError,
  forgot,
  headerPairs,
  login,
  mailsOfKind,
  sessionFor,
  staffTemporaryPassword,
} from './api-member-helpers.js';

const PASSWORD = 'old-saffron-meadow-48';

let t: TestApp;
afterEach(() => t?.close());

describe('POST /api/forgot never tells who exists', () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('same status, body and headers for existing, unknown, disabled, email-less and force-reset accounts; mail only to the active one', async () => {
    await t.seedClient({ email: 'active@example.com', password: PASSWORD });
    await t.seedClient({ email: 'disabled@example.com', password: PASSWORD, loginEnabled: false });
    await t.seedClient({ email: null, username: 'no-mail-member', password: PASSWORD });
    const forced = await t.seedClient({ email: 'forced@example.com', password: PASSWORD });
    await staffTemporaryPassword(t, forced.id);
    const invited = await t.seedClient({ email: 'invited@example.com' });
    expect(invited.id).toBeTruthy();

    const identifiers = [
      'active@example.com',
      'nobody@example.com',
      'disabled@example.com',
      'no-mail-member',
      'forced@example.com',
      'invited@example.com',
    ];
    const answers = [];
    for (const identifier of identifiers) {
      const res = await t.post('/api/forgot', { identifier });
      answers.push({ status: res.status, body: await res.text(), headers: headerPairs(res) });
    }
    for (const answer of answers.slice(1)) expect(answer).toEqual(answers[0]);
    expect(answers[0]).toMatchObject({ status: 202, body: JSON.stringify({ ok: true }) });

    const resets = (await t.outbox())
      .filter((message) => message.kind === 'reset')
      .map((message) => message.to);
    // An invited member (no password yet) may get a link too; nobody else but the active one.
    expect(resets).toContain('active@example.com');
    expect(resets).not.toContain('disabled@example.com');
    expect(resets).not.toContain('forced@example.com');
    expect(resets.filter((to) => to === 'active@example.com')).toHaveLength(1);
  });

  it('a force-reset account gets no reset mail, and its temporary password keeps working', async () => {
    const forced = await t.seedClient({ email: 'forced@example.com', password: PASSWORD });
    const temporary = await staffTemporaryPassword(t, forced.id);
    expect((await t.post('/api/forgot', { identifier: 'forced@example.com' })).status).toBe(202);
    expect(
      (await t.outbox()).filter(
        (message) => message.to === 'forced@example.com' && message.kind !== 'password-changed',
      ),
    ).toHaveLength(0);
    expect(await bodyOf(await login(t, 'forced@example.com', temporary))).toMatchObject({
      status: 'password_change_required',
    });
  });

  it('the answer leaves before the mail is sent (no timing oracle)', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sent: MailRequest[] = [];
    const mailer: Mailer = {
      async send(request) {
        await gate;
        sent.push(request);
      },
      async verify() {},
      async close() {},
    };
    await t.close();
    t = await createTestApp({ overrides: { mailer } });
    await t.seedClient({ email: 'active@example.com', password: PASSWORD });
    const res = await t.post('/api/forgot', { identifier: 'active@example.com' });
    expect(res.status).toBe(202);
    expect(sent).toHaveLength(0);
    release();
    await t.drain();
    expect(sent.map((request) => [request.to, request.content.kind])).toEqual([
      ['active@example.com', 'reset'],
    ]);
  });

  it('per-account limit: the 6th request in an hour is dropped silently; an hour later it works again', async () => {
    await t.seedClient({ email: 'active@example.com', password: PASSWORD });
    const bodies = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const res = await t.post(
        '/api/forgot',
        { identifier: 'active@example.com' },
        undefined,
        `198.51.100.${i + 1}`,
      );
      expect(res.status).toBe(202);
      bodies.add(await res.text());
    }
    expect([...bodies]).toEqual([JSON.stringify({ ok: true })]);
    expect(await mailsOfKind(t, 'active@example.com', 'reset')).toHaveLength(5);
    t.clock.advance(HOUR + MINUTE);
    await forgot(t, 'active@example.com');
    expect(await mailsOfKind(t, 'active@example.com', 'reset')).toHaveLength(6);
  });

  it('renewing a link shares that limit and answers the same', async () => {
    await t.seedClient({ email: 'active@example.com', password: PASSWORD });
    const { token } = await forgot(t, 'active@example.com');
    for (let i = 0; i < 4; i++) await t.post('/api/forgot', { identifier: 'active@example.com' });
    expect(await mailsOfKind(t, 'active@example.com', 'reset')).toHaveLength(5);
    const res = await t.post('/api/links/renew', { token });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true });
    expect(await mailsOfKind(t, 'active@example.com', 'reset')).toHaveLength(5);
  });

  it('per-IP limit: a spoofed X-Forwarded-For does not give a fresh budget (no trusted proxy configured)', async () => {
    await t.seedClient({ email: 'active@example.com', password: PASSWORD });
    for (let i = 0; i < 30; i++) {
      await t.request('POST', '/api/forgot', {
        body: { identifier: `nobody-${i}@example.com` },
        ip: '203.0.113.7',
        headers: { 'X-Forwarded-For': `10.0.0.${i}` },
      });
    }
    const res = await t.request('POST', '/api/forgot', {
      body: { identifier: 'active@example.com' },
      ip: '203.0.113.7',
      headers: { 'X-Forwarded-For': '10.9.9.9' },
    });
    expect(res.status).toBe(202);
    expect(await mailsOfKind(t, 'active@example.com', 'reset')).toHaveLength(0);
  });

  it('behind a trusted proxy (TRUST_PROXY=1) the client address comes from X-Forwarded-For', async () => {
    await t.close();
    t = await createTestApp({ env: { TRUST_PROXY: '1' } });
    await t.seedClient({ email: 'active@example.com', password: PASSWORD });
    const proxy = '192.0.2.99';
    for (let i = 0; i < 30; i++) {
      await t.request('POST', '/api/forgot', {
        body: { identifier: `nobody-${i}@example.com` },
        ip: proxy,
        headers: { 'X-Forwarded-For': '203.0.113.7' },
      });
    }
    const sameClient = await t.request('POST', '/api/forgot', {
      body: { identifier: 'active@example.com' },
      ip: proxy,
      headers: { 'X-Forwarded-For': '203.0.113.7' },
    });
    expect(sameClient.status).toBe(202);
    expect(await mailsOfKind(t, 'active@example.com', 'reset')).toHaveLength(0);
    // The client cannot pick its address: the proxy appends the real one last.
    const spoofed = await t.request('POST', '/api/forgot', {
      body: { identifier: 'active@example.com' },
      ip: proxy,
      headers: { 'X-Forwarded-For': '10.1.1.1, 203.0.113.7' },
    });
    expect(spoofed.status).toBe(202);
    expect(await mailsOfKind(t, 'active@example.com', 'reset')).toHaveLength(0);
    const otherClient = await t.request('POST', '/api/forgot', {
      body: { identifier: 'active@example.com' },
      ip: proxy,
      headers: { 'X-Forwarded-For': '203.0.113.8' },
    });
    expect(otherClient.status).toBe(202);
    expect(await mailsOfKind(t, 'active@example.com', 'reset')).toHaveLength(1);
  });

  it('per-IP limit: after 30 requests from one address its requests are dropped silently; other addresses still get mail', async () => {
    await t.seedClient({ email: 'active@example.com', password: PASSWORD });
    for (let i = 0; i < 30; i++) {
      expect(
        (await t.post('/api/forgot', { identifier: `nobody-${i}@example.com` }, undefined, '203.0.113.7'))
          .status,
      ).toBe(202);
    }
    const res = await t.post('/api/forgot', { identifier: 'active@example.com' }, undefined, '203.0.113.7');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ ok: true });
    expect(await mailsOfKind(t, 'active@example.com', 'reset')).toHaveLength(0);
    await forgot(t, 'active@example.com', '203.0.113.8');
    // Forgot's limits never lock anyone out of logging in.
    await sessionFor(t, 'active@example.com', PASSWORD);
  });
});

describe('login hashing', () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('an unknown identifier still runs one verify against a dummy hash; so does an invited account', async () => {
    await t.seedClient({ email: 'active@example.com', password: PASSWORD });
    await t.seedClient({ email: 'invited@example.com' });
    const dummy = vi.spyOn(t.deps.hasher, 'verifyDummy');
    const verify = vi.spyOn(t.deps.hasher, 'verify');
    await expectError(await login(t, 'nobody@example.com', 'some-guess-123456'), 401, 'invalid_credentials');
    expect(dummy).toHaveBeenCalledTimes(1);
    expect(dummy).toHaveBeenCalledWith('some-guess-123456');
    await expectError(await login(t, 'invited@example.com', 'some-guess-123456'), 401, 'invalid_credentials');
    expect(dummy).toHaveBeenCalledTimes(2);
    expect(verify).not.toHaveBeenCalled();
    // A known account verifies its own hash instead.
    await expectError(await login(t, 'active@example.com', 'some-guess-123456'), 401, 'invalid_credentials');
    expect(dummy).toHaveBeenCalledTimes(2);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('a malformed stored hash is a failed login (401), never a 500', async () => {
    const account = await t.seedClient({ email: 'active@example.com', password: PASSWORD });
    for (const hash of ['not-a-phc-string', '$argon2id$v=19$m=19456,t=2,p=1$!!!$???', '']) {
      await t.store.updateAccount(account.id, (current) => ({
        ...current,
        credential: { ...current.credential!, hash },
      }));
      await expectError(await login(t, 'active@example.com', PASSWORD), 401, 'invalid_credentials');
    }
  });

  it('re-hashes on login when the stored hash has older parameters', async () => {
    const weak = { memoryCost: 4096, timeCost: 1, parallelism: 1 };
    const old = await createTestApp({ overrides: { hashing: weak } });
    const account = await old.seedClient({ email: 'active@example.com', password: PASSWORD });
    const before = (await old.store.getAccount(account.id))!.credential!.hash;
    expect(before.startsWith('$argon2id$v=19$m=4096,t=1,p=1$')).toBe(true);

    await t.close();
    t = await createTestApp({ overrides: { store: old.store } });
    await old.drain();
    await sessionFor(t, 'active@example.com', PASSWORD);
    const after = (await t.store.getAccount(account.id))!;
    expect(after.credential!.hash.startsWith('$argon2id$v=19$m=19456,t=2,p=1$')).toBe(true);
    // History follows, so the old password is still recognised as recent.
    expect(after.passwordHistory[0]).toBe(after.credential!.hash);
    await sessionFor(t, 'active@example.com', PASSWORD);
    const { token } = await forgot(t, 'active@example.com');
    const reuse = await t.post('/api/reset', { token, password: PASSWORD });
    expect((await expectError(reuse, 422, 'password_rejected')).error.rules).toEqual(['not_recent']);
  });

  it('a wrong password does not re-hash', async () => {
    const weak = { memoryCost: 4096, timeCost: 1, parallelism: 1 };
    const old = await createTestApp({ overrides: { hashing: weak } });
    const account = await old.seedClient({ email: 'active@example.com', password: PASSWORD });
    const before = (await old.store.getAccount(account.id))!.credential!.hash;
    await old.drain();
    await t.close();
    t = await createTestApp({ overrides: { store: old.store } });
    await expectError(
      await login(t, 'active@example.com', 'not-the-password-at-all'),
      401,
      'invalid_credentials',
    );
    expect((await t.store.getAccount(account.id))!.credential!.hash).toBe(before);
  });

  it('every Unicode character is allowed, nothing is trimmed or truncated', async () => {
    const odd = ' pa\u0000ss \t wörd-\u202eRTL-\u05e9\u05dc\u05d5\u05dd-🔑 ';
    const long = 'lantern-'.repeat(12) + 'tail-end-x'; // 106 ASCII characters: past bcrypt's 72 bytes
    await t.seedClient({ email: 'one@example.com', password: PASSWORD });
    const { token } = await forgot(t, 'one@example.com');
    expect((await t.post('/api/reset', { token, password: odd })).status).toBe(200);
    await sessionFor(t, 'one@example.com', odd);
    await expectError(await login(t, 'one@example.com', odd.trim()), 401, 'invalid_credentials');
    await expectError(
      await login(t, 'one@example.com', odd.replace('\u0000', '')),
      401,
      'invalid_credentials',
    );

    await t.seedClient({ email: 'two@example.com', password: PASSWORD });
    const second = await forgot(t, 'two@example.com');
    expect((await t.post('/api/reset', { token: second.token, password: long })).status).toBe(200);
    await sessionFor(t, 'two@example.com', long);
    await expectError(await login(t, 'two@example.com', long.slice(0, 72)), 401, 'invalid_credentials');
    await expectError(await login(t, 'two@example.com', long.slice(0, -1)), 401, 'invalid_credentials');
  });

  it('NFKC: a password set with composed characters logs in with the decomposed form, and the reverse', async () => {
    const composed = 'Caf\u00e9-velvet-harbor-91';
    const decomposed = 'Cafe\u0301-velvet-harbor-91';
    expect(composed).not.toBe(decomposed);
    await t.seedClient({ email: 'one@example.com', password: PASSWORD });
    const { token } = await forgot(t, 'one@example.com');
    expect((await t.post('/api/reset', { token, password: composed })).status).toBe(200);
    await sessionFor(t, 'one@example.com', decomposed);
    await sessionFor(t, 'one@example.com', composed);

    await t.seedClient({ email: 'two@example.com', password: PASSWORD });
    const second = await forgot(t, 'two@example.com');
    expect((await t.post('/api/reset', { token: second.token, password: decomposed })).status).toBe(200);
    await sessionFor(t, 'two@example.com', composed);
  });

  it('NFKC: compatibility forms (full-width digits) match their plain form; the history check sees through them too', async () => {
    await t.seedClient({ email: 'one@example.com', password: PASSWORD });
    const { token } = await forgot(t, 'one@example.com');
    expect(
      (await t.post('/api/reset', { token, password: 'velvet-harbor-quartz-\uff19\uff11' })).status,
    ).toBe(200);
    await sessionFor(t, 'one@example.com', GOOD_PASSWORD); // 'velvet-harbor-quartz-91'
    const next = await forgot(t, 'one@example.com');
    const reuse = await t.post('/api/reset', { token: next.token, password: GOOD_PASSWORD });
    expect((await expectError(reuse, 422, 'password_rejected')).error.rules).toEqual(['not_recent']);
  });
});
