/**
 * The package as an integrator gets it: `npm pack` of this checkout (built by `npm test`'s build
 * step, as `prepack` builds it for a release), installed with `npm install <tarball>` into fresh
 * projects outside the repository: a plain Node script, a Hono server mounting the app under a
 * prefix, the `client-reset` command, a Vite + React 19 TypeScript app and a Vite + Vue app, each
 * type-checked and built, and the elements loaded in Chromium from the installed package.
 */
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { readmeSnippet } from '../helpers/readme.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);
const MINUTES = 60_000;
/** npm without its chatter; the same cache as the rest of the machine. */
const NPM_ENV = {
  ...process.env,
  npm_config_audit: 'false',
  npm_config_fund: 'false',
  npm_config_update_notifier: 'false',
  npm_config_loglevel: 'error',
};

async function npm(args: string[], cwd: string): Promise<string> {
  const { stdout } = await run('npm', args, { cwd, env: NPM_ENV, maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function project(dir: string, files: Record<string, string>): Promise<void> {
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true });
    await writeFile(path.join(dir, name), text);
  }
}

/** A static server for a built app's dist/ folder. */
async function serveFolder(folder: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    const name = !req.url || req.url === '/' ? 'index.html' : req.url.slice(1).split('?')[0];
    readFile(path.join(folder, name)).then(
      (body) => {
        res.setHeader('Content-Type', name.endsWith('.js') ? 'text/javascript' : 'text/html');
        res.end(body);
      },
      () => {
        res.statusCode = 404;
        res.end();
      },
    );
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { url: `http://localhost:${port}`, server };
}

describe('the package, installed from its tarball', () => {
  let work: string;
  let tarball: string;
  let files: Array<{ path: string; size: number }>;
  let browser: Browser;
  const cleanups: Array<() => Promise<unknown>> = [];

  beforeAll(async () => {
    await stat(path.join(ROOT, 'dist/server/index.js')).catch(() => {
      throw new Error('No dist/: run `npm run build` first (npm test does).');
    });
    work = await mkdtemp(path.join(tmpdir(), 'installed-'));
    // --ignore-scripts: the build already ran (prepack would rebuild dist/ under the other tests).
    const packed = JSON.parse(
      await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], ROOT),
    ) as Array<{ filename: string; size: number; files: Array<{ path: string; size: number }> }>;
    tarball = path.join(work, packed[0].filename);
    files = packed[0].files;
    browser = await launchChromium();
  }, 5 * MINUTES);

  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
    await browser?.close();
    await rm(work, { recursive: true, force: true });
  });

  it('holds compiled code, declarations, the browser bundle and the manifest; no sources, tests or demo', () => {
    const names = files.map((file) => file.path);
    for (const needed of [
      'dist/server/index.js',
      'dist/server/index.d.ts',
      'dist/cli/client-reset.js',
      'dist/widget/index.js',
      'dist/widget/index.d.ts',
      'dist/browser/widget.js',
      'dist/browser/hosted-login.js',
      'dist/types/react.d.ts',
      'dist/types/vue.d.ts',
      'custom-elements.json',
      'LICENSE',
      'README.md',
    ])
      expect(names).toContain(needed);
    const stray = names.filter(
      (name) =>
        /^(test|demo|bench|server|widget|\.ci|node_modules|\.tmp)\//.test(name) ||
        name.startsWith('dist/demo/') ||
        (name.endsWith('.ts') && !name.endsWith('.d.ts')),
    );
    expect(stray).toEqual([]);
  });

  it(
    'serves from `npx client-reset serve` with no build at run time: bundle, hosted pages, API',
    async () => {
      const dir = path.join(work, 'plain-node');
      await project(dir, {
        'package.json': JSON.stringify({ name: 'plain-node', private: true, type: 'module' }),
        // The documented server API, from plain JavaScript.
        'check.mjs': `import { createApp, createDeps, loadConfig } from 'client-reset';
const config = loadConfig({ STORAGE: 'memory', MAIL: 'outbox', LOG_LEVEL: 'silent', PUBLIC_URL: 'https://reset.example.test' });
const deps = await createDeps(config);
const app = createApp(deps);
const answer = await app.request('/api/policy');
console.log(JSON.stringify({ status: answer.status, rules: (await answer.json()).rules.length }));
await deps.store.close();
process.exit(0);
`,
      });
      await npm(['install', tarball], dir);
      expect(JSON.parse((await run('node', ['check.mjs'], { cwd: dir })).stdout)).toEqual({
        status: 200,
        rules: 5,
      });
      // Nothing could have been compiled: the project has neither vite nor the sources.
      await expect(stat(path.join(dir, 'node_modules/vite'))).rejects.toThrow();

      const server: ServerProcess = await startServerProcess(
        { STORAGE: 'memory', MAIL: 'outbox', PROVISION_API_KEY: 'k'.repeat(32) },
        undefined,
        { args: [path.join(dir, 'node_modules/.bin/client-reset'), 'serve'], cwd: dir },
      );
      cleanups.push(() => server.stop());
      const bundle = await fetch(`${server.url}/widget.js`);
      expect(bundle.status).toBe(200);
      expect(await bundle.text()).toContain('forgot-password-form');
      expect((await fetch(`${server.url}/pages/hosted-login.js`)).status).toBe(200);
      const page = await fetch(`${server.url}/forgot`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<forgot-password-form');
      expect((await fetch(`${server.url}/api/openapi.json`)).status).toBe(200);

      // The hosted page works in a browser: the member asks for a link.
      const tab = await browser.newPage();
      await tab.goto(`${server.url}/forgot`);
      await tab.getByLabel('Email or username').fill('someone@example.com');
      await tab.keyboard.press('Enter');
      await tab.getByText('If an account matches, we sent a link.').waitFor({ timeout: 15_000 });
      await tab.close();
    },
    5 * MINUTES,
  );

  it(
    'serves on Node 22 as well (the official binary, from the npm registry)',
    async () => {
      const runtime = path.join(work, 'node22');
      await project(runtime, { 'package.json': JSON.stringify({ name: 'node22', private: true }) });
      await npm(['install', 'node@22'], runtime);
      const node22 = path.join(runtime, 'node_modules/.bin/node');
      expect((await run(node22, ['--version'])).stdout).toMatch(/^v22\./);
      // The project of the first test holds the installed package.
      const dir = path.join(work, 'plain-node');
      const port = await freePort();
      const server = await startServerProcess(
        { STORAGE: 'memory', MAIL: 'outbox', LOG_LEVEL: 'warn' },
        port,
        {
          args: [path.join(dir, 'node_modules/.bin/client-reset'), 'serve'],
          cwd: dir,
          executable: node22,
        },
      );
      cleanups.push(() => server.stop());
      expect((await fetch(`${server.url}/forgot`)).status).toBe(200);
      const asked = await fetch(`${server.url}/api/forgot`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ identifier: 'someone@example.com' }),
      });
      expect(asked.status).toBe(202);
    },
    5 * MINUTES,
  );

  it(
    "runs the Dockerfile's install, start and health-check commands (where no container runtime is)",
    async () => {
      const dockerfile = await readFile(path.join(ROOT, 'Dockerfile'), 'utf8');
      // The final stage: what the image runs.
      const stage = dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')).split('\n');
      const env: Record<string, string> = {};
      for (const line of stage.filter((l) => l.startsWith('ENV ')))
        for (const [, key, value] of line.slice(4).matchAll(/(\w+)=(\S+)/g)) env[key] = value;
      const runs = stage.filter((l) => l.startsWith('RUN ')).map((l) => l.slice(4));
      const cmd = JSON.parse(stage.find((l) => l.startsWith('CMD '))!.slice(4)) as string[];
      const healthcheck = /CMD (.*)$/.exec(stage.find((l) => l.startsWith('HEALTHCHECK '))!)![1];
      expect(stage.some((l) => l.startsWith('USER node'))).toBe(true);

      // The paths of the image, here: the tarball the build stage packs, /app and /data.
      const app = path.join(work, 'container', 'app');
      const data = path.join(work, 'container', 'data');
      await mkdir(app, { recursive: true });
      await copyFile(tarball, path.join(work, 'container', 'client-reset.tgz'));
      const here = (command: string) =>
        command
          .replaceAll('/tmp/client-reset.tgz', path.join(work, 'container', 'client-reset.tgz'))
          .replaceAll('/data', data);
      for (const command of runs) {
        // This machine has no `node` user to hand the folder to (the image does).
        const local = here(command).replace(/ && chown node:node \S+/, '');
        await run('bash', ['-euo', 'pipefail', '-c', local], { cwd: app, env: { ...NPM_ENV, ...env } });
      }
      await expect(stat(path.join(app, 'node_modules/vite'))).rejects.toThrow();

      const port = await freePort();
      const server = await startServerProcess({ ...env, DATA_DIR: data, PORT: String(port) }, port, {
        args: cmd,
        cwd: app,
      });
      cleanups.push(() => server.stop());
      await run('bash', ['-c', healthcheck.replace(/^node /, `"${process.execPath}" `)], {
        env: { ...process.env, PORT: String(port) },
      });
      expect((await fetch(`${server.url}/forgot`)).status).toBe(200);
    },
    5 * MINUTES,
  );

  it(
    'mounts under a prefix in a Hono server written in TypeScript, type-checked',
    async () => {
      const dir = path.join(work, 'hono-server');
      await project(dir, {
        'package.json': JSON.stringify({ name: 'hono-server', private: true, type: 'module' }),
        'tsconfig.json': JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            strict: true,
            skipLibCheck: true,
            types: ['node'],
            outDir: 'out',
          },
        }),
        'server.ts': await readmeSnippet('install-hono', 'ts'),
      });
      await npm(['install', tarball, 'hono', '@hono/node-server', 'typescript@5', '@types/node@20'], dir);
      await run('npx', ['tsc', '-p', '.'], { cwd: dir });
      const port = await freePort();
      const env = {
        STORAGE: 'memory',
        MAIL: 'outbox',
        LOG_LEVEL: 'silent',
        PUBLIC_URL: `http://localhost:${port}/auth`,
      };
      const server = await startServerProcess(env, port, {
        args: ['out/server.js'],
        cwd: dir,
        healthPath: '/auth/healthz',
      });
      cleanups.push(() => server.stop());
      expect(await (await fetch(`${server.url}/`)).text()).toBe('Your portal');
      expect((await fetch(`${server.url}/auth/healthz`)).status).toBe(200);
      const page = await (await fetch(`${server.url}/auth/reset`)).text();
      expect(page).toContain('src="/auth/widget.js"');
      expect((await fetch(`${server.url}/auth/widget.js`)).status).toBe(200);
    },
    5 * MINUTES,
  );

  /** The API the apps' elements call, and a page of a built app in Chromium that asks for a link there. */
  async function asksForALink(dist: string): Promise<void> {
    const site = await serveFolder(dist);
    cleanups.push(() => new Promise((resolve) => site.server.close(resolve)));
    const tab = await browser.newPage();
    const logged: string[] = [];
    tab.on('console', (message) => logged.push(message.text()));
    await tab.goto(site.url);
    await tab.getByLabel('Email or username').fill('alice@example.com');
    await tab.keyboard.press('Enter');
    await tab.getByText('If an account matches, we sent a link.').waitFor({ timeout: 15_000 });
    expect(logged).toContain('reset link requested');
    await tab.close();
  }

  async function apiForApps(): Promise<string> {
    const api = await startServerProcess({ STORAGE: 'memory', MAIL: 'outbox', DEMO: '1' });
    cleanups.push(() => api.stop());
    return `${api.url.replace('127.0.0.1', 'localhost')}/api`;
  }

  it(
    "types and runs README's React 19 snippet in a Vite + React TypeScript app",
    async () => {
      const dir = path.join(work, 'react-app');
      const apiUrl = await apiForApps();
      await project(dir, {
        'package.json': JSON.stringify({ name: 'react-app', private: true, type: 'module' }),
        // As Vite's React template has it, without Node's types: the elements must not need them.
        'tsconfig.json': JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2022', 'DOM', 'DOM.Iterable'],
            module: 'ESNext',
            moduleResolution: 'bundler',
            jsx: 'react-jsx',
            strict: true,
            skipLibCheck: true,
            noEmit: true,
            types: [],
          },
          include: ['src'],
        }),
        'vite.config.mjs': `import react from '@vitejs/plugin-react';\nexport default { plugins: [react()] };\n`,
        'index.html': `<!doctype html><html lang="en"><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>`,
        'src/ForgotPassword.tsx': (await readmeSnippet('install-react', 'tsx')).replace(
          'https://reset.example.com/api',
          apiUrl,
        ),
        'src/main.tsx': `import { createRoot } from 'react-dom/client';
import { ForgotPassword } from './ForgotPassword';
createRoot(document.getElementById('root')!).render(<ForgotPassword />);
`,
        // The tags are typed: a wrong value or an unknown property fails the type check.
        'src/wrong.tsx': `import type {} from 'client-reset/react';
export const Wrong = () => <forgot-password-form tenant={42} />;
export const Unknown = () => <force-reset-dialog notAProperty="x" />;
`,
      });
      await npm(
        [
          'install',
          tarball,
          'react@19',
          'react-dom@19',
          '@types/react@19',
          '@types/react-dom@19',
          'vite@8',
          '@vitejs/plugin-react',
          'typescript@5',
        ],
        dir,
      );
      const wrong = await run('npx', ['tsc', '-p', '.'], { cwd: dir }).then(
        () => '',
        (error: { stdout: string }) => error.stdout,
      );
      expect(wrong).toContain("'number' is not assignable to type 'string'");
      expect(wrong).toContain('notAProperty');
      expect(wrong).not.toContain('ForgotPassword.tsx');
      await rm(path.join(dir, 'src/wrong.tsx'));
      await run('npx', ['tsc', '-p', '.'], { cwd: dir });
      await run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: dir });
      await asksForALink(path.join(dir, 'dist'));
    },
    5 * MINUTES,
  );

  it(
    "types and runs README's Vue snippet in a Vite + Vue app",
    async () => {
      const dir = path.join(work, 'vue-app');
      const apiUrl = await apiForApps();
      await project(dir, {
        'package.json': JSON.stringify({ name: 'vue-app', private: true, type: 'module' }),
        'tsconfig.json': JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2022', 'DOM'],
            module: 'ESNext',
            moduleResolution: 'bundler',
            strict: true,
            skipLibCheck: true,
            noEmit: true,
            jsx: 'preserve',
            types: ['client-reset/vue'],
          },
          include: ['src/**/*.ts', 'src/**/*.vue'],
        }),
        'vite.config.mjs': `import vue from '@vitejs/plugin-vue';
export default {
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag.includes('-') } } })],
};
`,
        'index.html': `<!doctype html><html lang="en"><body><div id="app"></div><script type="module" src="/src/main.ts"></script></body></html>`,
        'src/main.ts': `import { createApp } from 'vue';
import App from './App.vue';
createApp(App).mount('#app');
`,
        'src/App.vue': (await readmeSnippet('install-vue', 'vue')).replace(
          'https://reset.example.com/api',
          apiUrl,
        ),
        'src/shims.d.ts': `declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
`,
      });
      await npm(
        ['install', tarball, 'vue@3', 'vite@8', '@vitejs/plugin-vue', 'typescript@5', 'vue-tsc'],
        dir,
      );
      await run('npx', ['vue-tsc', '-p', '.'], { cwd: dir });
      await run('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: dir });
      await asksForALink(path.join(dir, 'dist'));
    },
    5 * MINUTES,
  );
});
