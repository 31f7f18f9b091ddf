/**
 * The hosted pages as the server answers them: the headers SECURITY.md asks of them, the tenant's
 * name, colours and language from `?tenant=`, escaping of whatever the store holds, and the mail
 * links that lead there. What members do on them is in the end-to-end workflow tests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TENANT, TEST_PUBLIC_URL, type TestApp } from '../helpers/app.js';

const PAGES = ['/forgot', '/reset', '/welcome', '/verify-email', '/login'];

describe('hosted pages', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    expect(
      (
        await t.provisionTenant(TENANT, {
          name: 'Harbor <Fitness> & "Spa"',
          brand: {
            primaryColor: '#fde047',
            accentColor: '#1d4ed8',
            logoUrl: 'https://harbor.example/logo.png',
          },
        })
      ).status,
    ).toBe(201);
    expect((await t.provisionTenant('studio-fr', { name: 'Studio Lumière', locale: 'fr' })).status).toBe(201);
  });
  afterAll(() => t?.close());

  it.each(PAGES)(
    '%s: CSP with frame-ancestors none, no referrer, no store, nosniff, never framed',
    async (path) => {
      const res = await t.get(`${path}?tenant=${TENANT}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      for (const directive of [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ])
        expect(csp).toContain(directive);
      expect(csp).not.toContain('unsafe-inline');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      const body = await res.text();
      // Only this server's scripts, and no inline script at all; the one inline style has the nonce.
      const scripts = [...body.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]);
      expect(scripts.length).toBeGreaterThan(0);
      for (const tag of scripts) expect(tag).toMatch(/ src="\/(widget|pages\/hosted-login)\.js"/);
      const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
      expect(body).toContain(`<style nonce="${nonce}">`);
    },
  );

  it('a fresh nonce on every answer', async () => {
    const nonces = await Promise.all(
      [1, 2].map(async () => (await t.get('/login')).headers.get('content-security-policy')),
    );
    expect(nonces[0]).not.toBe(nonces[1]);
  });

  it("shows the tenant's name (escaped), colours with readable text, logo and language", async () => {
    const body = await (await t.get(`/reset?tenant=${TENANT}`)).text();
    expect(body).toContain('Harbor &lt;Fitness&gt; &amp; &quot;Spa&quot;');
    expect(body).not.toContain('<Fitness>');
    expect(body).toContain('<html lang="en">');
    // A light brand colour gets dark text on its buttons; links take the accent colour.
    expect(body).toContain('--reset-accent:#fde047;--reset-accent-text:#111111;--reset-link:#1d4ed8');
    expect(body).toContain('src="https://harbor.example/logo.png"');
    // The form offers "Log in" (first, after a used link) on the tenant's own login page.
    expect(body).toMatch(
      new RegExp(
        `<forgot-password-form\\s+tenant="${TENANT}"\\s+api-base="/api"\\s+login-url="/login\\?tenant=${TENANT}"\\s*>`,
      ),
    );
    expect(body).toContain(`href="/login?tenant=${TENANT}"`);
  });

  it("speaks the tenant's language, and without a tenant the browser's", async () => {
    const french = await (await t.get('/login?tenant=studio-fr')).text();
    expect(french).toContain('<html lang="fr">');
    expect(french).toContain('Studio Lumière');
    expect(french).toContain('Nom d’utilisateur ou e-mail');
    expect(french).toContain('Mot de passe oublié ?');
    // A French tenant's page stays French whatever the browser prefers.
    const forced = await (await t.get('/forgot?tenant=studio-fr', { 'Accept-Language': 'en' })).text();
    expect(forced).toContain('<html lang="fr">');
    const generic = await (await t.get('/forgot', { 'Accept-Language': 'fr-CA,fr;q=0.9' })).text();
    expect(generic).toContain('<html lang="fr">');
    expect(generic).toContain('Espace client');
    expect(await (await t.get('/forgot')).text()).toContain('<html lang="en">');
  });

  it('any tenant id provisioning accepts gets its page; a light brand colour never makes links unreadable', async () => {
    expect(
      (await t.provisionTenant('studio café', { name: 'Studio Café', brand: { primaryColor: '#fef08a' } }))
        .status,
    ).toBe(201);
    const body = await (await t.get(`/login?tenant=${encodeURIComponent('studio café')}`)).text();
    expect(body).toContain('Studio Café');
    expect(body).toContain('data-tenant="studio café"');
    // Pale yellow buttons get dark text; links fall back to a legible blue.
    expect(body).toContain('--reset-accent:#fef08a;--reset-accent-text:#111111;--reset-link:#1d4ed8');
  });

  it('an unknown or malformed tenant gets the generic page, never an error or an echo', async () => {
    for (const tenant of ['no-such-studio', '<script>alert(1)</script>', 'x'.repeat(300)]) {
      const res = await t.get(`/login?tenant=${encodeURIComponent(tenant)}`);
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toContain('Client portal');
      expect(body).not.toContain(tenant);
      expect(body).toContain('data-tenant=""');
    }
  });

  it('/login: the login form for password managers, Forgot password?, and the dialog for a forced change', async () => {
    const body = await (await t.get(`/login?tenant=${TENANT}`)).text();
    // Posted by its script only; hidden until the script runs, so no submit can put the password in a URL.
    expect(body).toMatch(/<form id="login-form" method="post" hidden>/);
    expect(body).toMatch(/<input[^>]*name="identifier"[^>]*autocomplete="username"/);
    expect(body).toMatch(
      /<input[^>]*name="password"[^>]*type="password"[^>]*autocomplete="current-password"/,
    );
    expect(body).toContain(`href="/forgot?tenant=${TENANT}"`);
    expect(body).toContain('Forgot password?');
    expect(body).toMatch(
      /<force-reset-dialog\s+id="password-dialog"\s+tenant="[^"]+"\s+api-base="\/api"\s*>/,
    );
    expect(body).toContain('<script type="module" src="/pages/hosted-login.js"></script>');
  });

  it('the login page script is served from this server, small and self-contained', async () => {
    const res = await t.get('/pages/hosted-login.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    const code = await res.text();
    expect(code).toContain('/login');
    expect(code).not.toMatch(/^\s*import\s/m);
    expect(code.length).toBeLessThan(4000);
  });

  it('mail links lead to the hosted pages with the tenant in the query and the token only in the fragment', async () => {
    const client = await t.seedClient({ email: 'robin@example.com', password: 'orchard-violet-27-lamp' });
    expect((await t.post('/api/forgot', { identifier: 'robin@example.com', tenant: TENANT })).status).toBe(
      202,
    );
    const [mail] = await t.mailsTo('robin@example.com');
    const link = /https?:\/\/\S+#token=[\w.-]+/.exec(mail.text)?.[0];
    expect(link).toBeTruthy();
    const url = new URL(link!);
    expect(`${url.origin}${url.pathname}`).toBe(`${TEST_PUBLIC_URL}/reset`);
    expect(url.search).toBe(`?tenant=${TENANT}`);
    expect(url.hash.startsWith('#token=')).toBe(true);
    // The page the link opens is the branded one.
    expect(await (await t.get(`${url.pathname}${url.search}`)).text()).toContain('Harbor &lt;Fitness&gt;');
    expect(client.id).toBeTruthy();
  });
});

/** @see issue 9, item 1: the hosted login page keeps its device tokens where no script can read them. */
describe('device tokens on this server’s own login page', () => {
  const PASSWORD = 'harbor-lantern-quiet-81';
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  /** A login as the hosted page's script sends it (same origin: the browser adds the cookie). */
  const loginWith = (identifier: string, password: string, cookie?: string) =>
    t.request('POST', '/api/login', {
      body: { identifier, password },
      headers: cookie ? { Cookie: cookie } : {},
      ip: '198.51.100.7',
    });
  const cookieOf = (res: Response) => (res.headers.get('set-cookie') ?? '').split(';')[0];

  it('keeps them in an HttpOnly cookie scoped to /api/login, one per account, newest first', async () => {
    await t.seedClient({ email: 'mira@example.com', password: PASSWORD });
    await t.seedClient({ email: 'noor@example.com', password: PASSWORD });
    const first = await loginWith('mira@example.com', PASSWORD);
    expect(first.status).toBe(200);
    const header = first.headers.get('set-cookie') ?? '';
    expect(header).toMatch(
      /^client_reset_devices=[\w.~-]+; Max-Age=15552000; Path=\/api\/login; HttpOnly; Secure; SameSite=Strict$/,
    );
    const mira = ((await first.json()) as { device: string }).device;
    expect(cookieOf(first)).toBe(`client_reset_devices=${mira}`);

    const second = await loginWith('noor@example.com', PASSWORD, cookieOf(first));
    const noor = ((await second.json()) as { device: string }).device;
    expect(cookieOf(second)).toBe(`client_reset_devices=${noor}~${mira}`);
    const again = await loginWith('mira@example.com', PASSWORD, cookieOf(second));
    const renewed = ((await again.json()) as { device: string }).device;
    expect(cookieOf(again)).toBe(`client_reset_devices=${renewed}~${noor}`);
  });

  it('a browser whose cookie names the account is not held up by failures typed elsewhere on its network', async () => {
    await t.seedClient({ email: 'ola@example.com', password: PASSWORD });
    const cookie = cookieOf(await loginWith('ola@example.com', PASSWORD));
    for (let i = 0; i < 5; i++)
      expect((await loginWith('ola@example.com', 'wrong-guess-000')).status).toBe(401);
    // Same address, no cookie: this address's budget for the name is spent.
    expect((await loginWith('ola@example.com', PASSWORD)).status).toBe(429);
    // The member's own browser, with its cookie: counted on its own.
    expect((await loginWith('ola@example.com', PASSWORD, cookie)).status).toBe(200);
  });
});
