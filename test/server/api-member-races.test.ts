/**
 * SECURITY.md "single use … atomically: 50 parallel uses of one link → exactly one success", on
 * every storage backend (memory, fs, a real Redis), plus the limits that must hold under
 * parallel requests.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, tokenFromMail, type TestApp } from '../helpers/app.js';
import { startRedis } from '../helpers/redis-server.js';
import { storeBackends } from '../helpers/store-backends.js';
import { bodyOf, expectError, forgot, login, mailsOfKind } from './api-member-helpers.js';

const PASSWORD = 'old-saffron-meadow-48';
const EMAIL = 'jamie@example.com';
const PARALLEL = 50;

/** A distinct acceptable password per parallel request, so the winner can be told. */
const candidate = (i: number) => `velvet-harbor-quartz-${i}`;

const backends = storeBackends('api-member-races');

describe.each(backends)('on %s storage', (backend, env) => {
  let t: TestApp;
  afterEach(() => t?.close());

  const fresh = async () => {
    t = await createTestApp({ env: await env() });
    expect(t.store.backend).toBe(backend);
    // Redis outlives each test: every test uses its own addresses.
    const email = `jamie.${Math.random().toString(36).slice(2, 10)}@example.com`;
    const account = await t.seedClient({ email, password: PASSWORD });
    return { email, account };
  };

  it(`${PARALLEL} parallel POST /api/reset with one token → exactly one 200 and ${PARALLEL - 1} × 410 link_used`, async () => {
    const { email } = await fresh();
    const { token } = await forgot(t, email);
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) => t.post('/api/reset', { token, password: candidate(i) })),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 410)).toHaveLength(PARALLEL - 1);
    const winner = statuses.indexOf(200);
    for (const [i, res] of answers.entries()) {
      if (i !== winner) expect((await bodyOf<{ error: { code: string } }>(res)).error.code).toBe('link_used');
    }
    // The winner's password is the one in force; one notice went out.
    expect(await bodyOf(await login(t, email, candidate(winner)))).toMatchObject({ status: 'ok' });
    await expectError(await login(t, email, candidate((winner + 1) % PARALLEL)), 401, 'invalid_credentials');
    expect(await mailsOfKind(t, email, 'password-changed')).toHaveLength(1);
    await expectError(await t.post('/api/reset', { token, password: candidate(PARALLEL) }), 410, 'link_used');
  });

  it(`${PARALLEL} parallel resets mixing the link and its code → exactly one success`, async () => {
    const { email } = await fresh();
    const { token, code } = await forgot(t, email);
    const answers = await Promise.all(
      Array.from({ length: PARALLEL }, (_, i) =>
        i % 2 === 0
          ? t.post('/api/reset', { token, password: candidate(i) })
          : t.post('/api/reset', { identifier: email, code, password: candidate(i) }),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    // Losers: link_used (410) for the link; code_invalid (400), link_used, or too_many_attempts
    // (429: one address may have 5 code tries in flight at once) for the code.
    expect(statuses.every((status) => [200, 400, 410, 429].includes(status))).toBe(true);
    expect(await bodyOf(await login(t, email, candidate(statuses.indexOf(200))))).toMatchObject({
      status: 'ok',
    });
  });

  it('20 parallel POST /api/forgot for one account → exactly 5 mails, every answer 202', async () => {
    const { email } = await fresh();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.post('/api/forgot', { identifier: email }, undefined, `198.51.100.${i + 1}`),
      ),
    );
    expect(answers.map((res) => res.status)).toEqual(Array(20).fill(202));
    expect(await mailsOfKind(t, email, 'reset')).toHaveLength(5);
  });
});

describe('limits under parallel requests (memory)', () => {
  let t: TestApp;
  afterEach(() => t?.close());

  it('10 parallel force-changes with one challenge → exactly one 200, the rest 401 challenge_invalid', async () => {
    t = await createTestApp();
    const account = await t.seedClient({ email: EMAIL, password: PASSWORD });
    const shown = await t.post(
      `/api/admin/clients/${account.id}/password`,
      { mode: 'random', delivery: 'display', temporary: true },
      await t.asStaff(),
    );
    const { password: temporary } = await bodyOf<{ password: string }>(shown);
    const { challenge } = await bodyOf<{ challenge: string }>(await login(t, EMAIL, temporary));
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.post('/api/password/force-change', { challenge, password: candidate(i) }),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    // The rest: 401 once the winner revoked the session, or 429 once the burst used the free checks.
    expect(statuses.filter((status) => status === 401 || status === 429)).toHaveLength(9);
    expect(await bodyOf(await login(t, EMAIL, candidate(statuses.indexOf(200))))).toMatchObject({
      status: 'ok',
    });
  });

  it('10 parallel password changes with one session → exactly one 200', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD });
    const { session } = await bodyOf<{ session: string }>(await login(t, EMAIL, PASSWORD));
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        t.post(
          '/api/password/change',
          { currentPassword: PASSWORD, password: candidate(i) },
          { Authorization: `Bearer ${session}` },
        ),
      ),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    // The rest: 401 once the winner revoked the session, or 429 once the burst used the free checks.
    expect(statuses.filter((status) => status === 401 || status === 429)).toHaveLength(9);
    expect(await bodyOf(await login(t, EMAIL, candidate(statuses.indexOf(200))))).toMatchObject({
      status: 'ok',
    });
  });

  it('20 parallel POST /api/verify-email with one link → exactly one 200, the rest 410 link_used', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD, emailConfirmed: false });
    await expectError(await login(t, EMAIL, PASSWORD), 403, 'email_not_confirmed');
    const [mail] = await mailsOfKind(t, EMAIL, 'verify-email');
    const token = tokenFromMail(mail);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => t.post('/api/verify-email', { token })),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 410)).toHaveLength(19);
  });

  // SECURITY.md: the short code has 5 tries per address. Parallel guesses must not each get a free
  // try. Regression: tries were once checked before and counted after, so all 30 were checked.
  it('30 parallel wrong codes from one address: at most 5 are checked, the rest wait (429)', async () => {
    t = await createTestApp();
    const account = await t.seedClient({ email: EMAIL, password: PASSWORD });
    const { code } = await forgot(t, EMAIL);
    // Real codes never hold O or 0, so these are all wrong.
    const wrong = (i: number) => `WRONG${String(i).padStart(3, '0')}`;
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.post('/api/reset', { identifier: EMAIL, code: wrong(i), password: candidate(i) }),
      ),
    );
    expect(answers.filter((res) => res.status === 400)).toHaveLength(5);
    expect(answers.filter((res) => res.status === 429)).toHaveLength(25);
    await expectError(
      await t.post('/api/reset', { identifier: EMAIL, code, password: candidate(99) }),
      429,
      'too_many_attempts',
    );
    await t.drain();
    const checked = (await t.store.listAudit(account.id, 100)).filter(
      (event) => event.action === 'password.reset' && event.outcome === 'refused',
    );
    // One record for the window, counting the five wrong codes.
    expect(checked.map((event) => event.count ?? 1)).toEqual([5]);
  });

  // SECURITY.md: login throttling with growing delays after a few failures. A burst of parallel
  // guesses must not all be checked: once the free failures are spent, the rest wait (429).
  // Regression: the delay was once checked before the verify and the failure recorded after it.
  it('20 parallel wrong passwords: at most the free failures are checked, the rest get 429', async () => {
    t = await createTestApp();
    await t.seedClient({ email: EMAIL, password: PASSWORD });
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(t, EMAIL, `wrong-guess-number-${i}`)),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((status) => status === 401).length).toBeLessThanOrEqual(
      t.config.limits.loginFreeFailures + 1,
    );
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(0);
  });
});

describe('storage down (Redis stopped)', () => {
  it('member endpoints answer 503 storage_unavailable quickly, /api/forgot keeps its answer, and service resumes without a restart', async () => {
    const own = await startRedis();
    let t: TestApp | null = null;
    try {
      t = await createTestApp({ env: { STORAGE: 'redis', REDIS_URL: own.url } });
      await t.seedClient({ email: EMAIL, password: PASSWORD });
      expect(await bodyOf(await login(t, EMAIL, PASSWORD))).toMatchObject({ status: 'ok' });

      await own.stop();
      const started = performance.now();
      await expectError(await login(t, EMAIL, PASSWORD), 503, 'storage_unavailable');
      await expectError(
        await t.post('/api/reset', { identifier: EMAIL, code: 'ABCDEFGH', password: candidate(1) }),
        503,
        'storage_unavailable',
      );
      // Forgot answers the same whatever happens behind it.
      const forgotten = await t.post('/api/forgot', { identifier: EMAIL });
      expect(forgotten.status).toBe(202);
      expect(await forgotten.json()).toEqual({ ok: true });
      await t.drain();
      expect(performance.now() - started).toBeLessThan(15_000);

      // Same port, empty data (no persistence): the app reconnects by itself.
      const again = await startRedis({ port: own.port });
      try {
        const deadline = Date.now() + 10_000;
        let seeded = false;
        while (!seeded && Date.now() < deadline) {
          try {
            await t.seedClient({ email: 'back@example.com', password: PASSWORD });
            seeded = true;
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        }
        expect(seeded).toBe(true);
        expect(await bodyOf(await login(t, 'back@example.com', PASSWORD))).toMatchObject({ status: 'ok' });
      } finally {
        await t.close();
        t = null;
        await again.stop();
      }
    } finally {
      if (t) await t.close().catch(() => undefined);
      await own.stop();
    }
  });
});
