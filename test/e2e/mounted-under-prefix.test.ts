/**
 * The app mounted under a path prefix in an integrator's own Hono server
 * (`app.route('/auth', createApp(deps))`, PUBLIC_URL ending in /auth): the mail's link, the hosted
 * page, its script and its API calls all stay under the prefix, and a member resets her password
 * there in Debian's Chromium.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { GOOD_PASSWORD, OTHER_GOOD_PASSWORD, TENANT } from '../helpers/shared.js';

describe('mounted under /auth in another Hono app', () => {
  let server: ServerType;
  let origin: string;
  let t: TestApp;
  let browser: Browser;
  let handler: (request: Request, env: unknown) => Response | Promise<Response> = () =>
    new Response('starting', { status: 503 });

  beforeAll(async () => {
    // Listening first: PUBLIC_URL names the port.
    server = serve({ fetch: (request, env) => handler(request, env), port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    origin = `http://localhost:${(server.address() as AddressInfo).port}`;
    t = await createTestApp({ env: { PUBLIC_URL: `${origin}/auth` } });
    const integrator = new Hono()
      .get('/', (c) => c.text('the portal'))
      // A page of the portal with only the script tag: the element finds the API beside the script.
      .get('/account', (c) =>
        c.html(
          '<!doctype html><html lang="en"><head><script type="module" src="/auth/widget.js"></script></head>' +
            `<body><forgot-password-form tenant="${TENANT}"></forgot-password-form></body></html>`,
        ),
      )
      .route('/auth', t.app);
    handler = integrator.fetch;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
    await t?.close();
  });

  it('mails a link under the prefix, whose page, script and API work there', async () => {
    expect((await t.provisionTenant(TENANT, { name: 'Studio A' })).status).toBeLessThan(300);
    await t.seedClient({ id: 'c-mia', name: 'Mia Lund', email: 'mia@example.com', password: GOOD_PASSWORD });
    const asked = await fetch(`${origin}/auth/api/forgot`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifier: 'mia@example.com', tenant: TENANT }),
    });
    expect(asked.status).toBe(202);
    const [mail] = await t.mailsTo('mia@example.com');
    const link = /https?:\/\/\S+#token=[\w.-]+/.exec(mail.text)![0];
    expect(link.startsWith(`${origin}/auth/reset?tenant=${TENANT}#token=`)).toBe(true);

    const page = await browser.newPage();
    const outside: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.origin === origin && !url.pathname.startsWith('/auth/')) outside.push(url.pathname);
    });
    await page.goto(link);
    await page.getByLabel('New password', { exact: true }).fill(OTHER_GOOD_PASSWORD);
    await page.getByLabel('Confirm new password').fill(OTHER_GOOD_PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await page.getByText('Your password is set. You can now log in.').waitFor({ timeout: 15_000 });
    expect(await page.getByRole('link', { name: 'Log in' }).first().getAttribute('href')).toBe(
      `/auth/login?tenant=${TENANT}`,
    );
    expect(outside).toEqual([]);
    await page.close();

    const login = await fetch(`${origin}/auth/api/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifier: 'mia@example.com', password: OTHER_GOOD_PASSWORD, tenant: TENANT }),
    });
    expect(login.status).toBe(200);
  });

  it('finds the API beside /auth/widget.js on a portal page that names no api-base', async () => {
    await t.seedClient({ id: 'c-noor', name: 'Noor Haddad', email: 'noor@example.com' });
    const page = await browser.newPage();
    const apiCalls: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.method() === 'POST') apiCalls.push(url.pathname);
    });
    await page.goto(`${origin}/account`);
    await page.getByLabel('Email or username').fill('noor@example.com');
    await page.keyboard.press('Enter');
    await page
      .getByText('If an account matches, we sent a link. Check your spam folder.')
      .waitFor({ timeout: 15_000 });
    expect(apiCalls).toEqual(['/auth/api/forgot']);
    expect(await t.mailsTo('noor@example.com')).toHaveLength(1);
    await page.close();
  });

  it('serves the hosted login page with its script under the prefix', async () => {
    const html = await (await fetch(`${origin}/auth/login?tenant=${TENANT}`)).text();
    expect(html).toContain('src="/auth/widget.js"');
    expect(html).toContain('src="/auth/pages/hosted-login.js"');
    expect(html).toContain('api-base="/auth/api"');
    expect((await fetch(`${origin}/auth/pages/hosted-login.js`)).status).toBe(200);
    expect(await (await fetch(`${origin}/`)).text()).toBe('the portal');
  });
});
