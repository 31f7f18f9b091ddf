/**
 * Prometheus metrics as an operator scrapes them: off unless METRICS=on, behind METRICS_TOKEN when
 * set, counting requests by route pattern, logins and password changes by outcome, mail sent and
 * failed, with the hashing queue and Node's process figures, and never a member's details.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Mailer } from '../../server/mail/mailer.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { GOOD_PASSWORD, OTHER_GOOD_PASSWORD, TENANT, tokenFromMail } from '../helpers/shared.js';

const TOKEN = 'metrics-token-of-the-scraper';
let t: TestApp | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

/** The value of one series, e.g. `client_reset_logins_total{outcome="ok"}`; 0 when absent. */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

const scrape = async (app: TestApp) =>
  (await app.get('/metrics', { Authorization: `Bearer ${TOKEN}` })).text();

describe('metrics', () => {
  it('are off unless METRICS=on', async () => {
    t = await createTestApp();
    expect((await t.get('/metrics')).status).toBe(404);
  });

  it('ask for METRICS_TOKEN when it is set', async () => {
    t = await createTestApp({ env: { METRICS: 'on', METRICS_TOKEN: TOKEN } });
    expect((await t.get('/metrics')).status).toBe(401);
    expect((await t.get('/metrics', { Authorization: 'Bearer wrong-token-wrong-token' })).status).toBe(401);
    const answer = await t.get('/metrics', { Authorization: `Bearer ${TOKEN}` });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('Content-Type')).toContain('text/plain');
  });

  it('count requests by route pattern, logins and password changes by outcome, and mail', async () => {
    t = await createTestApp({ env: { METRICS: 'on', METRICS_TOKEN: TOKEN } });
    await t.seedClient({ id: 'c-ines', email: 'ines@example.com', password: GOOD_PASSWORD });
    await t.post('/api/login', { identifier: 'ines@example.com', password: GOOD_PASSWORD });
    await t.post('/api/login', { identifier: 'ines@example.com', password: 'not-her-password-at-all' });
    await t.post('/api/forgot', { identifier: 'ines@example.com', tenant: TENANT });
    const [mail] = await t.mailsTo('ines@example.com');
    await t.post('/api/reset', { token: tokenFromMail(mail), password: OTHER_GOOD_PASSWORD });
    await t.get('/api/admin/clients/c-ines', await t.asStaff());

    const text = await scrape(t);
    expect(value(text, 'client_reset_logins_total{outcome="ok"}')).toBe(1);
    expect(value(text, 'client_reset_logins_total{outcome="4xx"}')).toBe(1);
    expect(value(text, 'client_reset_password_changes_total{route="/api/reset",outcome="ok"}')).toBe(1);
    expect(value(text, 'client_reset_mails_total{kind="reset",outcome="sent"}')).toBe(1);
    expect(
      value(
        text,
        'client_reset_http_requests_total{method="GET",route="/api/admin/clients/:id",status="200"}',
      ),
    ).toBe(1);
    expect(text).toContain(
      'client_reset_http_request_duration_seconds_bucket{le="0.005",method="POST",route="/api/login"}',
    );
    expect(value(text, 'client_reset_hashing_queue_depth')).toBe(0);
    expect(value(text, 'client_reset_webhook_endpoints_retrying')).toBe(0);
    expect(text).toContain('client_reset_process_resident_memory_bytes');
    // Patterns, never the member's id, address or token.
    for (const secret of ['c-ines', 'ines@example.com', tokenFromMail(mail), GOOD_PASSWORD])
      expect(text).not.toContain(secret);
  });

  it('count mail the transport refused as failed', async () => {
    const refusing: Mailer = {
      send: () => Promise.reject(new Error('554 refused')),
      verify: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    t = await createTestApp({
      env: { METRICS: 'on', METRICS_TOKEN: TOKEN },
      overrides: { mailer: refusing },
    });
    await t.seedClient({ id: 'c-jo', email: 'jo@example.com', password: GOOD_PASSWORD });
    await t.post('/api/forgot', { identifier: 'jo@example.com', tenant: TENANT });
    await t.drain();
    expect(value(await scrape(t), 'client_reset_mails_total{kind="reset",outcome="failed"}')).toBeGreaterThan(
      0,
    );
  });
});
