/**
 * SECURITY.md "HTTP surface" and "never in logs or audit" on the member endpoints: JSON only,
 * body limit, error shape, headers, CORS, GET/HEAD never consume, links built from PUBLIC_URL
 * with the token in the fragment, and no secret in audit events, logs or answers.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
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
  forgot,
  login,
  mailsOfKind,
  onlyMail,
  sessionFor,
  staffTemporaryPassword,
} from './api-member-helpers.js';

const PASSWORD = 'old-saffron-meadow-48';
const EMAIL = 'jamie@example.com';

let t: TestApp;
afterEach(() => t?.close());

/** Every member write endpoint, with a body that would otherwise be acceptable in shape. */
const WRITES: Array<[string, Record<string, unknown>]> = [
  ['/api/forgot', { identifier: EMAIL }],
  ['/api/links/inspect', { token: 'x'.repeat(40) }],
  ['/api/links/renew', { token: 'x'.repeat(40) }],
  ['/api/reset', { token: 'x'.repeat(40), password: GOOD_PASSWORD }],
  ['/api/verify-email', { token: 'x'.repeat(40) }],
  ['/api/login', { identifier: EMAIL, password: PASSWORD }],
  ['/api/password/force-change', { challenge: 'x'.repeat(40), password: GOOD_PASSWORD }],
  ['/api/password/change', { currentPassword: PASSWORD, password: GOOD_PASSWORD }],
];

describe('request guards', () => {
  it.each(WRITES)('%s: malformed JSON → 400 invalid_request', async (path) => {
    t = await createTestApp();
    const res = await t.request('POST', path, {
      rawBody: '{"identifier": "jamie@example.com", "password": ',
      headers: { 'Content-Type': 'application/json' },
    });
    const body = await expectError(res, 400, 'invalid_request');
    expect(Object.keys(body)).toEqual(['error']);
  });

  it.each(WRITES)(
    '%s: text/plain, form or multipart body → 415 unsupported_media_type',
    async (path, body) => {
      t = await createTestApp();
      await expectError(
        await t.request('POST', path, {
          rawBody: JSON.stringify(body),
          headers: { 'Content-Type': 'text/plain' },
        }),
        415,
        'unsupported_media_type',
      );
      const form = new URLSearchParams(
        Object.entries(body).map(([key, value]) => [key, String(value)]),
      ).toString();
      await expectError(
        await t.request('POST', path, {
          rawBody: form,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        }),
        415,
        'unsupported_media_type',
      );
      await expectError(
        await t.request('POST', path, {
          rawBody: '--b\r\n\r\nx\r\n--b--',
          headers: { 'Content-Type': 'multipart/form-data; boundary=b' },
        }),
        415,
        'unsupported_media_type',
      );
    },
  );

  it.each(WRITES)('%s: a 17 KiB body → 413 payload_too_large', async (path) => {
    t = await createTestApp();
    const res = await t.request('POST', path, {
      rawBody: JSON.stringify({ identifier: 'x'.repeat(17 * 1024), password: 'y' }),
      headers: { 'Content-Type': 'application/json' },
    });
    await expectError(res, 413, 'payload_too_large');
  });

  it('application/json with a charset parameter is accepted', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD });
    const res = await t.request('POST', '/api/login', {
      rawBody: JSON.stringify({ identifier: EMAIL, password: PASSWORD }),
      headers: { 'Content-Type': 'application/json; charset=utf-8' },
    });
    expect(await bodyOf(res)).toMatchObject({ status: 'ok' });
  });

  it('a form POST to /api/login does not log in, even with the right password', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD });
    const form = new URLSearchParams({ identifier: EMAIL, password: PASSWORD }).toString();
    const res = await t.request('POST', '/api/login', {
      rawBody: form,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    await expectError(res, 415, 'unsupported_media_type');
  });

  it('a JSON body of the wrong shape → 400 invalid_request that names fields but never echoes values', async () => {
    t = await createTestApp();
    const res = await t.post('/api/login', { identifier: ['x'], password: { secret: 'hunter2-hunter2' } });
    const text = await res.text();
    expect(res.status).toBe(400);
    expect(JSON.parse(text).error.code).toBe('invalid_request');
    expect(text).not.toContain('hunter2');
  });
});

describe('response headers', () => {
  it('every member answer, success or error, carries Cache-Control: no-store and X-Content-Type-Options: nosniff', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD });
    const session = await sessionFor(t, EMAIL, PASSWORD);
    const answers = [
      await t.get('/api/policy'),
      await t.post('/api/forgot', { identifier: EMAIL }),
      await login(t, EMAIL, PASSWORD),
      await login(t, EMAIL, 'not-the-password-at-all'),
      await t.get('/api/session', bearer(session)),
      await t.get('/api/session'),
      await t.post('/api/links/inspect', { token: 'x'.repeat(40) }),
      await t.post('/api/reset', { token: 'x'.repeat(40), password: GOOD_PASSWORD }),
      await t.request('POST', '/api/login', {
        rawBody: '{',
        headers: { 'Content-Type': 'application/json' },
      }),
      await t.request('POST', '/api/login', { rawBody: 'a=b', headers: { 'Content-Type': 'text/plain' } }),
      await t.get('/api/no-such-endpoint'),
    ];
    for (const res of answers) {
      expect({
        status: res.status,
        cache: res.headers.get('Cache-Control'),
        nosniff: res.headers.get('X-Content-Type-Options'),
      }).toEqual({
        status: res.status,
        cache: 'no-store',
        nosniff: 'nosniff',
      });
      expect(res.headers.get('Content-Type')).toMatch(/^application\/json/);
    }
    const token = tokenFromMail(await onlyMail(t, EMAIL, 'reset'));
    const inspected = await t.post('/api/links/inspect', { token });
    expect(inspected.headers.get('Cache-Control')).toBe('no-store');
  });

  it('429 carries Retry-After and no-store', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD });
    for (let i = 0; i < 5; i++) await login(t, EMAIL, 'not-the-password-at-all');
    const res = await login(t, EMAIL, 'not-the-password-at-all');
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
  });
});

describe('CORS', () => {
  const preflight = (origin: string, path = '/api/login') =>
    t.request('OPTIONS', path, {
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });

  it('without CORS_ORIGINS no answer allows any origin', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD });
    const post = await t.post(
      '/api/login',
      { identifier: EMAIL, password: PASSWORD },
      { Origin: 'https://app.example' },
    );
    expect(post.status).toBe(200);
    expect(post.headers.get('Access-Control-Allow-Origin')).toBeNull();
    const options = await preflight('https://app.example');
    expect(options.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(options.headers.get('Access-Control-Allow-Credentials')).toBeNull();
  });

  it('with CORS_ORIGINS=https://app.example only that origin is echoed; an evil origin gets none', async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: 'https://app.example' } });
    await t.seedClient({ email: EMAIL, password: PASSWORD });

    const allowed = await t.post(
      '/api/login',
      { identifier: EMAIL, password: PASSWORD },
      { Origin: 'https://app.example' },
    );
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
    expect(allowed.headers.get('Vary') ?? '').toMatch(/origin/i);
    const allowedPreflight = await preflight('https://app.example');
    expect(allowedPreflight.status).toBeLessThan(300);
    expect(allowedPreflight.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
    expect((allowedPreflight.headers.get('Access-Control-Allow-Methods') ?? '').toUpperCase()).toContain(
      'POST',
    );
    expect((allowedPreflight.headers.get('Access-Control-Allow-Headers') ?? '').toLowerCase()).toContain(
      'content-type',
    );
    expect(allowedPreflight.headers.get('Access-Control-Allow-Headers')).not.toBe('*');

    // Errors reach the page too (it must read "Invalid username or password" and Retry-After).
    const refused = await t.post(
      '/api/login',
      { identifier: EMAIL, password: 'not-the-password-at-all' },
      { Origin: 'https://app.example' },
    );
    expect(refused.status).toBe(401);
    expect(refused.headers.get('Access-Control-Allow-Origin')).toBe('https://app.example');
    expect((refused.headers.get('Access-Control-Expose-Headers') ?? '').toLowerCase()).toContain(
      'retry-after',
    );

    for (const evil of [
      'https://evil.example',
      'https://app.example.evil.example',
      'null',
      'http://app.example',
    ]) {
      const post = await t.post('/api/forgot', { identifier: EMAIL }, { Origin: evil });
      expect({ evil, acao: post.headers.get('Access-Control-Allow-Origin') }).toEqual({ evil, acao: null });
      const options = await preflight(evil);
      expect({ evil, acao: options.headers.get('Access-Control-Allow-Origin') }).toEqual({
        evil,
        acao: null,
      });
    }
  });
});

describe('GET and HEAD never consume', () => {
  it('GET/HEAD on /api/reset, /api/links/inspect, /api/verify-email and /api/links/renew do nothing; the link still works', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD });
    const { token, code } = await forgot(t, EMAIL);
    const query = `token=${encodeURIComponent(token)}&password=${encodeURIComponent(GOOD_PASSWORD)}`;
    for (const path of [
      '/api/reset',
      '/api/links/inspect',
      '/api/verify-email',
      '/api/links/renew',
      '/api/password/force-change',
    ]) {
      for (const method of ['GET', 'HEAD']) {
        const res = await t.request(method, `${path}?${query}`);
        expect([404, 405], `${method} ${path}`).toContain(res.status);
      }
    }
    const byCode = await t.request(
      'GET',
      `/api/reset?identifier=${EMAIL}&code=${code}&password=${GOOD_PASSWORD}`,
    );
    expect([404, 405]).toContain(byCode.status);
    // No new mail, the old password still works, the link and its code are untouched.
    expect(await mailsOfKind(t, EMAIL, 'reset')).toHaveLength(1);
    await sessionFor(t, EMAIL, PASSWORD);
    expect(await bodyOf(await t.post('/api/links/inspect', { token }))).toMatchObject({ purpose: 'reset' });
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
  });

  it('a verify-email link opened with GET or HEAD stays unconfirmed and usable', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD, emailConfirmed: false });
    await login(t, EMAIL, PASSWORD);
    const token = tokenFromMail(await onlyMail(t, EMAIL, 'verify-email'));
    for (const method of ['GET', 'HEAD'])
      expect([404, 405]).toContain((await t.request(method, `/api/verify-email?token=${token}`)).status);
    await expectError(await login(t, EMAIL, PASSWORD), 403, 'email_not_confirmed');
    expect((await t.post('/api/verify-email', { token })).status).toBe(200);
  });
});

describe('links in mail', () => {
  it('are built from PUBLIC_URL, never from Host or X-Forwarded-Host', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD });
    const res = await t.request('POST', 'http://evil.example/api/forgot', {
      body: { identifier: EMAIL },
      headers: {
        Host: 'evil.example',
        'X-Forwarded-Host': 'evil.example',
        'X-Forwarded-Proto': 'http',
        Forwarded: 'host=evil.example',
      },
    });
    expect(res.status).toBe(202);
    const mail = await onlyMail(t, EMAIL, 'reset');
    const link = /https?:\/\/\S+#token=\S+/.exec(mail.text)?.[0] ?? '';
    expect(link.startsWith(`https://portal.example.test/reset?tenant=${TENANT}#token=`)).toBe(true);
    expect(mail.text).not.toContain('evil.example');
    expect(mail.html).not.toContain('evil.example');
  });

  it("use the tenant's configured reset page when it has one (still never the Host)", async () => {
    t = await createTestApp();
    expect(
      (
        await t.provisionTenant('studio-a', {
          name: 'Studio A',
          resetUrl: 'https://members.studio-a.example/password',
        })
      ).status,
    ).toBe(201);
    await t.seedClient({ email: EMAIL, password: PASSWORD });
    await t.request('POST', 'http://evil.example/api/forgot', {
      body: { identifier: EMAIL },
      headers: { 'X-Forwarded-Host': 'evil.example' },
    });
    const mail = await onlyMail(t, EMAIL, 'reset');
    expect(mail.text).toContain('https://members.studio-a.example/password#token=');
    expect(mail.text).not.toContain('evil.example');
    const token = tokenFromMail(mail);
    expect((await t.post('/api/reset', { token, password: GOOD_PASSWORD })).status).toBe(200);
  });

  it('carry the token in the fragment only, never in a query string (reset, invite, verify-email)', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD });
    await forgot(t, EMAIL);
    const invited = await t.seedClient({ email: 'invited@example.com' });
    await t.post(`/api/admin/clients/${invited.id}/invite`, undefined, await t.asStaff());
    await t.seedClient({ email: 'unconfirmed@example.com', password: PASSWORD, emailConfirmed: false });
    await login(t, 'unconfirmed@example.com', PASSWORD);

    const mails = (await t.outbox()).filter((message) =>
      ['reset', 'invite', 'verify-email'].includes(message.kind),
    );
    expect(mails.map((message) => message.kind).sort()).toEqual(['invite', 'reset', 'verify-email']);
    for (const mail of mails) {
      const token = tokenFromMail(mail);
      for (const part of [mail.text, mail.html]) {
        const urls = part.match(/https?:\/\/[^\s"'<>]+/g) ?? [];
        expect(urls.length).toBeGreaterThan(0);
        for (const raw of urls) {
          const url = new URL(raw.replace(/&amp;/g, '&'));
          expect(url.origin).toBe(TEST_PUBLIC_URL);
          // The query names the tenant (not a secret); the token is never there.
          expect(url.search).toBe(`?tenant=${TENANT}`);
        }
        // Every occurrence of the token follows `#token=`.
        const occurrences = part.split(token).length - 1;
        const inFragment = part.split(`#token=${token}`).length - 1;
        expect(occurrences).toBeGreaterThan(0);
        expect(inFragment).toBe(occurrences);
      }
    }
  });
});

describe('secrets stay out of audit events, logs and answers', () => {
  it('audit events after reset, code tries and logins hold no password, token, code or hash', async () => {
    t = await createTestApp();
    const account = await t.seedClient({ email: EMAIL, password: PASSWORD });
    const first = await forgot(t, EMAIL);
    await t.post('/api/reset', {
      identifier: EMAIL,
      code: first.code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA',
      password: GOOD_PASSWORD,
    });
    await t.post('/api/reset', { token: first.token, password: 'password1234' });
    expect((await t.post('/api/reset', { token: first.token, password: GOOD_PASSWORD })).status).toBe(200);
    await login(t, EMAIL, 'wrong-guess-wrong-guess');
    const session = await sessionFor(t, EMAIL, GOOD_PASSWORD);
    await t.post(
      '/api/password/change',
      { currentPassword: 'wrong-guess-wrong-guess', password: OTHER_GOOD_PASSWORD },
      bearer(session),
    );
    expect(
      (
        await t.post(
          '/api/password/change',
          { currentPassword: GOOD_PASSWORD, password: OTHER_GOOD_PASSWORD },
          bearer(session),
        )
      ).status,
    ).toBe(200);
    const temporary = await staffTemporaryPassword(t, account.id);
    const challenge = (await bodyOf<{ challenge: string }>(await login(t, EMAIL, temporary))).challenge;
    expect(
      (await t.post('/api/password/force-change', { challenge, password: 'saffron-river-lantern-5' })).status,
    ).toBe(200);

    const events = await t.store.listAudit(account.id, 100);
    const actions = events.map((event) => `${event.action}:${event.outcome}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'password.reset:ok',
        'password.reset:refused',
        'login:ok',
        'login:refused',
        'password.change:ok',
        'password.force_change:ok',
      ]),
    );
    const json = JSON.stringify(events);
    const stored = (await t.store.getAccount(account.id))!;
    const secrets = [
      PASSWORD,
      GOOD_PASSWORD,
      OTHER_GOOD_PASSWORD,
      'password1234',
      'wrong-guess-wrong-guess',
      temporary,
      'saffron-river-lantern-5',
      first.token,
      first.code,
      session,
      challenge,
      stored.credential!.hash,
      ...stored.passwordHistory,
    ];
    for (const secret of secrets) expect(json).not.toContain(secret);
    expect(json).not.toContain('$argon2');
    for (const event of events) {
      for (const key of Object.keys(event.detail ?? {}))
        expect(key).not.toMatch(/password|token|secret|hash|^code$|session|challenge/i);
    }
  });

  it('logs hold no password, token, code or hash after a full forgot → reset → login flow, with errors on the way', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(chunk.toString());
        callback();
      },
    });
    // No redaction here: nothing secret may reach the logger in the first place.
    t = await createTestApp({ overrides: { logger: pino({ level: 'trace' }, sink) } });
    const account = await t.seedClient({ email: EMAIL, password: PASSWORD });
    const answers: string[] = [];
    const keep = async (res: Response) => {
      answers.push(await res.clone().text());
      return res;
    };

    const { token, code } = await forgot(t, EMAIL);
    await keep(await t.request('GET', `/api/reset?token=${token}&password=${GOOD_PASSWORD}`));
    await keep(
      await t.request('POST', '/api/reset', {
        rawBody: `{"token":"${token}","password":"${GOOD_PASSWORD}"`,
        headers: { 'Content-Type': 'application/json' },
      }),
    );
    await keep(
      await t.post('/api/reset', {
        identifier: EMAIL,
        code: code === 'AAAAAAAA' ? 'BBBBBBBB' : 'AAAAAAAA',
        password: GOOD_PASSWORD,
      }),
    );
    await keep(await t.post('/api/reset', { token, password: 'password1234' }));
    await keep(await t.post('/api/reset', { token, password: GOOD_PASSWORD }));
    await keep(await t.post('/api/reset', { token, password: GOOD_PASSWORD }));
    await keep(await login(t, EMAIL, 'wrong-guess-wrong-guess'));
    const sessionRes = await login(t, EMAIL, GOOD_PASSWORD);
    const { session } = await bodyOf<{ session: string }>(sessionRes);
    await keep(await t.get('/api/session', bearer(session)));
    await keep(
      await t.post(
        '/api/password/change',
        { currentPassword: GOOD_PASSWORD, password: OTHER_GOOD_PASSWORD },
        bearer(session),
      ),
    );
    const temporary = await staffTemporaryPassword(t, account.id);
    const challenge = (await bodyOf<{ challenge: string }>(await login(t, EMAIL, temporary))).challenge;
    await keep(await t.post('/api/password/force-change', { challenge, password: temporary }));
    await keep(
      await t.post('/api/password/force-change', { challenge, password: 'saffron-river-lantern-5' }),
    );
    await t.drain();

    const log = lines.join('');
    expect(lines.length).toBeGreaterThan(10);
    expect(log).toContain('"path":"/api/reset"');
    const stored = (await t.store.getAccount(account.id))!;
    const secrets = [
      PASSWORD,
      GOOD_PASSWORD,
      OTHER_GOOD_PASSWORD,
      'password1234',
      'wrong-guess-wrong-guess',
      temporary,
      'saffron-river-lantern-5',
      token,
      code,
      session,
      challenge,
      stored.credential!.hash,
    ];
    for (const secret of secrets) expect(log).not.toContain(secret);
    expect(log).not.toContain('$argon2');
    expect(log).not.toContain('token=');
    // Answers other than login/session issuance never carry a password, a link token or a code.
    const answersText = answers.join('\n');
    for (const secret of [
      PASSWORD,
      GOOD_PASSWORD,
      OTHER_GOOD_PASSWORD,
      'password1234',
      'wrong-guess-wrong-guess',
      temporary,
      token,
      code,
    ]) {
      expect(answersText).not.toContain(secret);
    }
  });
});
