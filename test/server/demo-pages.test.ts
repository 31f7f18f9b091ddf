/**
 * GET /demo/…: the demo pages as the server serves them (built in process from demo/ when
 * dist/demo is missing or stale): the redirect to /demo/, pages with the shared nav that load
 * /widget.js with a plain script tag (the elements are not bundled in), hashed assets cached for
 * good, 404 for anything else, 503 when there is no build.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.js';
import { demoPages } from '../../server/routes/demo-pages.js';

const BUILD_TIMEOUT = 120_000;
const logger = createLogger('silent');
const PAGES = [
  '/demo/',
  '/demo/admin/',
  '/demo/admin/client.html',
  '/demo/member/',
  '/demo/mailbox/',
  '/demo/embed/',
];
const WIDGET_TAG = /<script type="module" src="\/widget\.js"\s*><\/script>/;

describe('GET /demo/…', () => {
  const app = new Hono().route('/', demoPages({ logger }));
  const get = (url: string, headers: Record<string, string> = {}) => app.request(url, { headers });
  let home: Response;
  let homeHtml: string;

  beforeAll(async () => {
    // The first request may build dist/demo with vite.
    home = await get('/demo/');
    homeHtml = await home.text();
  }, BUILD_TIMEOUT);

  it('redirects /demo to /demo/, and a section without its slash to the slash', async () => {
    const bare = await get('/demo');
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/demo/');
    const section = await get('/demo/admin');
    expect(section.status).toBe(301);
    expect(section.headers.get('location')).toBe('/demo/admin/');
  });

  it('answers the home page as uncached HTML with the shared nav', () => {
    expect(home.status, homeHtml.slice(0, 300)).toBe(200);
    expect(home.headers.get('content-type')).toMatch(/^text\/html\b/);
    expect(home.headers.get('cache-control')).toBe('no-store');
    expect(homeHtml).toContain('<nav aria-label="Demo sections">');
    for (const [href, label] of [
      ['/demo/admin/', 'Admin portal'],
      ['/demo/member/', 'Member app'],
      ['/demo/mailbox/', 'Mailbox'],
      ['/demo/embed/', 'Embed it'],
    ])
      expect(homeHtml).toMatch(new RegExp(`<a href="${href}"[^>]*>\\s*${label}`));
    expect(homeHtml).toContain('Reset demo data');
    expect(homeHtml).toContain('Riverside Fitness Studio');
    // The marker the nav replaces is gone.
    expect(homeHtml).not.toContain('<!-- demo-nav -->');
  });

  it('serves every page, each with the nav and its own section marked current', async () => {
    for (const page of PAGES) {
      const res = await get(page);
      const body = await res.text();
      expect(res.status, page).toBe(200);
      expect(body, page).toContain('<nav aria-label="Demo sections">');
      if (page !== '/demo/') {
        const section = page.replace(/[^/]*$/, '');
        expect(body, page).toMatch(new RegExp(`<a href="${section}" aria-current="page"[\\s>]`));
      }
    }
  });

  it('loads the elements from /widget.js with a plain script tag, as an integrator does', async () => {
    for (const page of ['/demo/admin/client.html', '/demo/member/']) {
      const body = await (await get(page)).text();
      expect(body, page).toMatch(WIDGET_TAG);
      expect(body, page).not.toContain('vite-ignore');
    }
    const admin = await (await get('/demo/admin/client.html')).text();
    expect(admin).toContain('<client-reset-panel>');
    const member = await (await get('/demo/member/')).text();
    expect(member).toMatch(/<forgot-password-form tenant="demo-studio">/);
    expect(member).toMatch(/<force-reset-dialog [^>]*tenant="demo-studio"/);
  });

  it('serves the hashed assets for a year, immutable, with an ETag; none of them bundles the elements', async () => {
    const page = await (await get('/demo/admin/client.html')).text();
    const assets = [...page.matchAll(/(?:src|href)="(\/demo\/assets\/[^"]+)"/g)].map((match) => match[1]);
    expect(assets.some((asset) => asset.endsWith('.js'))).toBe(true);
    expect(assets.some((asset) => asset.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      const res = await get(asset);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get('cache-control'), asset).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('content-type'), asset).toMatch(
        asset.endsWith('.js') ? /^text\/javascript\b/ : /^text\/css\b/,
      );
      const body = await res.text();
      expect(body, asset).not.toMatch(/customElements\.define\(/);
      const etag = res.headers.get('etag')!;
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect((await get(asset, { 'If-None-Match': etag })).status, asset).toBe(304);
    }
  });

  it('answers 404 for a path that names no built file', async () => {
    for (const url of [
      '/demo/nope.html',
      '/demo/nope/',
      '/demo/assets/nope.js',
      '/demo/../package.json',
      '/demo/%2e%2e/package.json',
      '/demo/vite.config.ts',
      '/demo/admin/admin.ts',
      '/demo/nav.html',
    ])
      expect((await get(url)).status, url).toBe(404);
  });
});

describe('GET /demo/ without a build', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'demo-pages-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('answers 503 with a sentence saying what to do', async () => {
    const app = new Hono().route('/', demoPages({ logger }, { root, build: false }));
    const res = await app.request('/demo/');
    expect(res.status).toBe(503);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.text()).toMatch(/npm run build/);
  });
});
