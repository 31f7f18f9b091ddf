/**
 * The "Embed it" snippets (demo/embed/snippets/) work exactly as written: each runs on an integrator's origin
 * against the real server in production mode (its own staff secret, provisioning, mail over SMTP), in
 * Debian's Chromium, with only the reset server's origin changed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { build, type InlineConfig } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SNIPPETS = join(ROOT, 'demo/embed/snippets');
/** The reset server's origin as the snippets write it: the one thing a test may change. */
const WRITTEN_ORIGIN = 'http://localhost:8787';
/** The integrator's secret, shared with the reset server; it must appear in no snippet. */
const SECRET = 'embed-snippets-test-secret-4f9a2c7e1b';
const PROVISION_KEY = 'embed-snippets-provision-key';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** What the integrator's backend does for `getToken`: a short-lived staff token for its logged-in staff member. */
function staffToken(): Promise<string> {
  return new SignJWT({ tid: 'demo-studio', role: 'staff' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('front-desk')
    .setExpirationTime('10m')
    .sign(new TextEncoder().encode(SECRET));
}

/** An integrator's site on its own origin: `files` by URL path, and the backend's token endpoint. */
async function startSite(files: Map<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const handler: RequestListener = (req, res) => {
    const path = new URL(req.url ?? '/', 'http://site').pathname;
    if (path === '/my-backend/reset-token') {
      void staffToken().then((token) => {
        res.setHeader('Content-Type', 'text/plain');
        res.setHeader('Cache-Control', 'no-store');
        res.end(token);
      });
      return;
    }
    const body = files.get(path === '/' ? '/index.html' : path);
    if (body === undefined) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.setHeader('Content-Type', TYPES[extname(path)] ?? TYPES['.html']);
    res.end(body);
  };
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('the "Embed it" snippets, each as written, on an integrator\'s origin', () => {
  let dataDir: string;
  let server: ServerProcess;
  let smtp: SmtpSink;
  /** The reset server as the browser reaches it (`localhost`, another origin than the sites'). */
  let resetOrigin: string;
  let browser: Browser;
  const closers: Array<() => Promise<void>> = [];

  /** A snippet's text with only the reset server's origin replaced by the test server's. */
  async function snippet(name: string, namesOrigin = true): Promise<string> {
    const text = await readFile(join(SNIPPETS, name), 'utf8');
    expect(text.includes(WRITTEN_ORIGIN), `${name} names ${WRITTEN_ORIGIN}`).toBe(namesOrigin);
    return text.replaceAll(WRITTEN_ORIGIN, resetOrigin);
  }

  async function site(files: Map<string, string>): Promise<string> {
    const started = await startSite(files);
    closers.push(started.close);
    return started.url;
  }

  /** A fresh folder inside the project, so a built or run snippet resolves the project's packages. */
  async function workDir(name: string): Promise<string> {
    await mkdir(join(ROOT, '.tmp'), { recursive: true });
    const dir = await mkdtemp(join(ROOT, '.tmp', `embed-${name}-`));
    closers.push(() => rm(dir, { recursive: true, force: true }));
    return dir;
  }

  /**
   * An app around a framework snippet, built by vite as the integrator's bundler would: the page
   * loads widget.js with the very tag the snippet's comment gives, then the test-only entry mounts
   * the snippet's component for c-alice. A development build, so the framework warns about misuse.
   */
  async function buildApp(
    dir: string,
    snippetText: string,
    entry: [name: string, code: string],
    config: InlineConfig,
  ): Promise<Map<string, string>> {
    const scriptTag = /<script type="module" src="[^"]+\/widget\.js"><\/script>/.exec(snippetText)?.[0];
    expect(scriptTag, 'the snippet says how widget.js is loaded').toContain(`${resetOrigin}/widget.js`);
    await writeFile(
      join(dir, 'index.html'),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Clients</title>${scriptTag}</head>` +
        `<body><div id="app"></div><script type="module" src="./${entry[0]}"></script></body></html>`,
    );
    await writeFile(join(dir, entry[0]), entry[1]);
    await build({
      root: dir,
      configFile: false,
      logLevel: 'warn',
      mode: 'development',
      define: { 'process.env.NODE_ENV': JSON.stringify('development') },
      build: { outDir: join(dir, 'dist'), minify: false },
      ...config,
    });
    const files = new Map<string, string>();
    for (const name of await readdir(join(dir, 'dist'), { recursive: true })) {
      if (extname(name)) files.set(`/${name}`, await readFile(join(dir, 'dist', name), 'utf8'));
    }
    return files;
  }

  /** Runs a server snippet as its integrator would (`tsx`, on a port, with the shared secret); resolves once it answers `path`. */
  async function runServer(file: string, path: string): Promise<string> {
    const port = await freePort();
    let output = '';
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: String(port),
        ADMIN_JWT_SECRET: SECRET,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    closers.push(
      () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    );
    const url = `http://localhost:${port}${path}`;
    const status = () =>
      child.exitCode === null
        ? fetch(url).then(
            (r) => r.status,
            () => 0,
          )
        : `exited:\n${output}`;
    await expect.poll(status, { timeout: 20_000, interval: 100 }).toBe(200);
    return url;
  }

  /**
   * A page that records what a user cannot see but an integrator must not ship: console errors
   * and warnings, and any API answer that is not a success (a first request without its token).
   */
  async function openPage(url: string) {
    const page = await browser.newPage();
    const logs: string[] = [];
    const problems: string[] = [];
    page.on('console', (message) => {
      logs.push(message.text());
      // A failed load is reported below, with its address.
      if (/^(error|warning)$/.test(message.type()) && !message.text().startsWith('Failed to load resource'))
        problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      // The browser's own favicon request is no snippet's concern.
      if (response.status() >= 400 && new URL(response.url()).pathname !== '/favicon.ico')
        problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    });
    await page.goto(url);
    return { page, logs, problems };
  }

  /** How many reset mails reached Alice's mailbox (the SMTP server): the action reached the mail. */
  async function resetMailsToAlice(): Promise<number> {
    return smtp.messages.filter(
      (mail) =>
        [mail.to ?? []].flat().some((to) => to.text.includes('alice@example.com')) &&
        /Reset your .* password/.test(mail.subject ?? ''),
    ).length;
  }

  /** What staff see and do: Alice's page from the real API (the token worked), then Send reset link. */
  async function sendResetLink(page: Page): Promise<void> {
    const panel = page.locator('client-reset-panel');
    await panel.getByRole('heading', { name: 'Alice Martin' }).waitFor({ timeout: 15_000 });
    const before = await resetMailsToAlice();
    await panel.getByRole('button', { name: 'Send reset link' }).click();
    await panel.getByText('Sent to alice@example.com.').waitFor({ timeout: 15_000 });
    await expect.poll(resetMailsToAlice, { timeout: 5000 }).toBe(before + 1);
  }

  /** A framework component's page: the panel sends a link and the component's own status line says so. */
  async function expectComponentWorks(files: Map<string, string>): Promise<void> {
    const { page, problems } = await openPage(await site(files));
    await sendResetLink(page);
    await page.getByRole('status').filter({ hasText: 'Sent (reset-link)' }).waitFor();
    expect(await page.locator('#app > p[role=status]').textContent()).toMatch(
      /^Sent \(reset-link\), \d left today\.$/,
    );
    expect(problems).toEqual([]);
    await page.close();
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'embed-snippets-'));
    smtp = await startSmtpSink();
    // Production, as an integrator runs it: the demo would refuse a staff secret of their own.
    server = await startServerProcess({
      DEMO: '0',
      DATA_DIR: dataDir,
      ADMIN_JWT_SECRET: SECRET,
      PROVISION_API_KEY: PROVISION_KEY,
      MAIL: 'smtp',
      SMTP_URL: smtp.url,
      CORS_ORIGINS: 'http://localhost:*',
      LOG_LEVEL: 'warn',
    });
    resetOrigin = server.url.replace('127.0.0.1', 'localhost');
    // The integrator's backend says who its clients are.
    const provision = (path: string, body: unknown) =>
      fetch(`${server.url}/api/provision${path}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${PROVISION_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then((res) => expect(res.status).toBeLessThan(300));
    await provision('/tenants/demo-studio', { name: 'Riverside Fitness Studio' });
    await provision('/clients/c-alice', {
      name: 'Alice Martin',
      email: 'alice@example.com',
      username: 'alice.m',
      tenants: ['demo-studio'],
    });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    for (const close of closers.reverse()) await close();
    await server?.stop();
    await smtp?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('plain.html: the panel loads Alice with the backend token, sends a reset link, the page hears reset-sent', async () => {
    const url = await site(new Map([['/index.html', await snippet('plain.html')]]));
    const { page, logs, problems } = await openPage(url);
    await sendResetLink(page);
    await expect.poll(() => logs.find((line) => line.startsWith('reset-sent'))).toMatch(/reset-link/);
    // The member form beside it renders from the same script tag.
    await page.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('react.jsx: the component, built by vite, loads Alice, sends a reset link and shows reset-sent', async () => {
    const dir = await workDir('react');
    const text = await snippet('react.jsx');
    await writeFile(join(dir, 'react.jsx'), text);
    const files = await buildApp(
      dir,
      text,
      [
        'main.jsx',
        `import { createRoot } from 'react-dom/client';
import { ClientResetPanel } from './react.jsx';
createRoot(document.getElementById('app')).render(<ClientResetPanel clientId="c-alice" />);`,
      ],
      // Vite compiles JSX itself (Oxc), with React's automatic runtime: no React plugin needed.
      { oxc: { jsx: { runtime: 'automatic', development: true } } },
    );
    await expectComponentWorks(files);
  });

  it('vue.vue: the SFC, built by vite with vue-vite.config.js, loads Alice, sends a reset link and shows reset-sent', async () => {
    const dir = await workDir('vue');
    const text = await snippet('vue.vue');
    await writeFile(join(dir, 'vue.vue'), text);
    await writeFile(join(dir, 'vite.config.js'), await snippet('vue-vite.config.js', false));
    const files = await buildApp(
      dir,
      text,
      [
        'main.js',
        `import { createApp, h } from 'vue';
import ClientResetPanel from './vue.vue';
createApp({ render: () => h(ClientResetPanel, { clientId: 'c-alice' }) }).mount('#app');`,
      ],
      // The snippet's own config file; without its isCustomElement, Vue warns "Failed to resolve component".
      { configFile: join(dir, 'vite.config.js') },
    );
    await expectComponentWorks(files);
  });

  it('server-side.ts: the page it renders carries a signed token; the panel loads Alice and sends a reset link', async () => {
    const dir = await workDir('server');
    await writeFile(join(dir, 'server-side.ts'), await snippet('server-side.ts'));
    const url = await runServer(join(dir, 'server-side.ts'), '/clients/c-alice');
    // The token is in the page (no endpoint for the browser to ask); the secret is not.
    const rendered = await (await fetch(url)).text();
    expect(rendered).toMatch(/<client-reset-panel client-id="c-alice" token="eyJ[\w-]+\.[\w-]+\.[\w-]+">/);
    expect(rendered).not.toContain(SECRET);

    const { page, logs, problems } = await openPage(url);
    await sendResetLink(page);
    await expect.poll(() => logs.find((line) => line.startsWith('reset-sent'))).toMatch(/reset-link/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('the snippets hold no token or secret: the server-side one reads ADMIN_JWT_SECRET from the environment', async () => {
    const names = await readdir(SNIPPETS);
    // A new snippet needs its own test above.
    expect(names.sort()).toEqual([
      'plain.html',
      'react.jsx',
      'server-side.ts',
      'vue-vite.config.js',
      'vue.vue',
    ]);
    for (const name of names) {
      const text = await readFile(join(SNIPPETS, name), 'utf8');
      expect(text, name).not.toContain(SECRET);
      // No JWT (its header starts `eyJ`) and no long key-like run of characters.
      expect(text, name).not.toMatch(/eyJ[\w-]{10,}/);
      expect(text, name).not.toMatch(/[A-Za-z0-9+/_=-]{32,}/);
      // Whatever a secret, token or key is set to is code (a name, or `${name}`), never a quoted literal.
      for (const [, value] of text.matchAll(
        /(?:secret|token|password|key)["']?\s*[:=]\s*["'`]([^"'`]*)["'`]/gi,
      ))
        expect(value, name).toMatch(/^(\$\{)?[A-Za-z_$][\w$]*\}?$/);
    }
    const server = await readFile(join(SNIPPETS, 'server-side.ts'), 'utf8');
    expect(server).toMatch(/const \{ ADMIN_JWT_SECRET[^}]*\} = process\.env;/);
    expect(server).toContain('token="${token}"');
  });
});
