/**
 * GET /widget.js: the elements bundle as the server serves it (cacheable, any origin may load it,
 * the API's CORS untouched), and how the route finds or builds it: built in process when
 * dist/browser/widget.js is missing or older than widget/, served as it is otherwise, 503 when neither.
 */
import { mkdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../server/logger.js';
import { widgetRoutes } from '../../server/routes/widget.js';
import { createTestApp, type TestApp } from '../helpers/app.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TAGS = ['client-reset-panel', 'forgot-password-form', 'force-reset-dialog'];
const BUILD_TIMEOUT = 120_000;
const logger = createLogger('silent');

/** Parses as an ES module (esbuild throws on a syntax error). */
async function expectModule(code: string) {
  await expect(transform(code, { loader: 'js', format: 'esm' })).resolves.toBeTruthy();
}

describe('GET /widget.js', () => {
  let t: TestApp;
  let response: Response;
  let body: string;

  beforeAll(async () => {
    t = await createTestApp();
    // The first request may build dist/browser/widget.js from widget/ with vite.
    response = await t.get('/widget.js');
    body = await response.text();
  }, BUILD_TIMEOUT);
  afterAll(() => t?.close());

  it('answers JavaScript that any origin may load and cache', () => {
    expect(response.status, body.slice(0, 200)).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript\b/);
    // Checked again on each use: it names hashed files that change with each build.
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('etag')).toMatch(/^"[\w-]+"$/);
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('is one ES module that defines the three elements, Lit included, no process.env', async () => {
    await expectModule(body);
    for (const tag of TAGS) expect(body).toMatch(new RegExp(`["'\`]${tag}["'\`]`));
    expect(body).toContain('customElements');
    // Lit is inside; the only other files it may load are beside it, on demand: a language pack
    // for each language but English, and the panel's lock dialog.
    expect(body).not.toMatch(/^\s*import\s|\bfrom\s*["']lit/m);
    const dynamic = [...body.matchAll(/\bimport\s*\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1]);
    expect(dynamic.map((file) => /^\.\/widget-([a-z-]+?)-[\w-]{8}\.js$/.exec(file)?.[1]).sort()).toEqual([
      'de',
      'es',
      'fr',
      'lock-dialog',
      'pt',
    ]);
    expect(body).not.toContain('process.env');
    expect(body).not.toContain('Lit is in dev mode');
    // The served file is what `npm run build` writes.
    expect(body).toBe(await readFile(path.join(ROOT, 'dist', 'browser', 'widget.js'), 'utf8'));
  });

  it('serves the French locale pack it loads on demand, with the same headers, and nothing else', async () => {
    const file = /import\s*\(\s*["'`]\.\/(widget-fr-[\w-]+\.js)["'`]\s*\)/.exec(body)?.[1];
    expect(file).toBeTruthy();
    const pack = await t.get(`/${file}`);
    expect(pack.status).toBe(200);
    expect(pack.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await pack.text()).toContain('Mot de passe oublié');
    expect((await t.get('/widget-nope.js')).status).toBe(404);
    expect((await t.get('/widget-../package.json')).status).toBe(404);
  });

  it('answers 304 to a matching If-None-Match, and HEAD without a body', async () => {
    const etag = response.headers.get('etag')!;
    const notModified = await t.get('/widget.js', { 'If-None-Match': `W/"other", ${etag}` });
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe('');
    expect(notModified.headers.get('etag')).toBe(etag);
    expect(notModified.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect((await t.get('/widget.js', { 'If-None-Match': '"other"' })).status).toBe(200);

    const head = await t.request('HEAD', '/widget.js');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('leaves the API as it was: same-origin resources, no wildcard CORS', async () => {
    const api = await t.get('/api/policy', { Origin: 'https://portal.elsewhere.test' });
    expect(api.status).toBe(200);
    expect(api.headers.get('access-control-allow-origin')).toBeNull();
    expect(api.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(api.headers.get('cache-control')).toBe('no-store');
  });
});

describe('widget route: finding or building the bundle', () => {
  // Inside the project (.tmp/ is ignored by git) so that the stand-in resolves lit and vite.
  const root = path.join(ROOT, '.tmp', `widget-route-${process.pid}`);
  const request = (routes: ReturnType<typeof widgetRoutes>) => routes.request('/widget.js');

  beforeAll(async () => {
    await mkdir(path.join(root, 'widget'), { recursive: true });
    await writeFile(path.join(root, 'vite.config.ts'), await readFile(path.join(ROOT, 'vite.config.ts')));
    // The config's second entry: the hosted login page's script.
    await mkdir(path.join(root, 'widget', 'pages'), { recursive: true });
    await writeFile(path.join(root, 'widget', 'pages', 'hosted-login.ts'), "document.title = 'stand-in';");
    await writeFile(
      path.join(root, 'widget', 'index.ts'),
      [
        "import { LitElement, html } from 'lit';",
        'class StandIn extends LitElement {',
        '  override render() {',
        '    return html`<p>stand-in one</p>`;',
        '  }',
        '}',
        "customElements.define('stand-in-element', StandIn);",
      ].join('\n'),
    );
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('answers 503 (not cached) when there is neither a bundle nor a way to build one', async () => {
    const response = await request(widgetRoutes({ logger }, { root, build: false }));
    expect(response.status).toBe(503);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it(
    'builds a missing bundle once with the project vite config, then rebuilds when widget/ is newer',
    async () => {
      const first = await request(widgetRoutes({ logger }, { root }));
      expect(first.status).toBe(200);
      const code = await first.text();
      await expectModule(code);
      expect(code).toContain('stand-in-element');
      expect(code).toContain('stand-in one');
      expect(code).not.toContain('process.env');
      // Lit's production build even under vitest's NODE_ENV=test, fully minified.
      expect(code).not.toContain('Lit is in dev mode');
      expect(code).not.toMatch(/^\t/m);

      const source = path.join(root, 'widget', 'index.ts');
      await writeFile(source, (await readFile(source, 'utf8')).replace('stand-in one', 'stand-in two'));
      const later = new Date(Date.now() + 5_000);
      await utimes(source, later, later);
      const second = await request(widgetRoutes({ logger }, { root }));
      const rebuilt = await second.text();
      expect(rebuilt).toContain('stand-in two');
      expect(second.headers.get('etag')).not.toBe(first.headers.get('etag'));

      // Without building (a deployment with no vite), the file in dist/ is served as it is.
      const served = await request(widgetRoutes({ logger }, { root, build: false }));
      expect(await served.text()).toBe(rebuilt);
    },
    BUILD_TIMEOUT,
  );
});
