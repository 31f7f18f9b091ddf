/**
 * The elements as an integrator first meets them: a plain page on another origin with nothing but
 * the script tag from `npm start` and one element, in Debian's Chromium.
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

function plainPage(scriptUrl: string, lang: string, body: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><title>Portal</title>
<script type="module" src="${scriptUrl}"></script></head><body>${body}</body></html>`;
}

describe('a plain page on another origin, with only the script tag', () => {
  let dataDir: string;
  let server: ServerProcess;
  let pages: Server;
  let pagesUrl: string;
  let browser: Browser;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'script-tag-'));
    server = await startServerProcess({ DEMO: '1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' });
    // The page's origin differs from the server's (another port), as on an integrator's site.
    pages = createServer((req, res) => {
      const [lang, body] =
        req.url === '/fr'
          ? ['fr', '<forgot-password-form></forgot-password-form>']
          : ['en', '<forgot-password-form></forgot-password-form>'];
      res.setHeader('Content-Type', 'text/html; charset=utf-8');
      res.end(plainPage(`${server.url.replace('127.0.0.1', 'localhost')}/widget.js`, lang, body));
    });
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    const address = pages.address();
    pagesUrl = `http://localhost:${typeof address === 'object' && address ? address.port : 0}`;
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => pages?.close(() => resolve()));
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('asks for a reset link and gets the mail on its way (English)', async () => {
    const page = await browser.newPage();
    await page.goto(`${pagesUrl}/`);
    await page.getByLabel('Email or username').fill('alice@example.com');
    await page.keyboard.press('Enter');
    await page
      .getByText('If an account matches, we sent a link. Check your spam folder.')
      .waitFor({ timeout: 15_000 });
    // The mail leaves after the answer (no timing oracle): wait for it.
    let newest: { to: string; kind: string } | undefined;
    for (let tries = 0; tries < 50 && !newest; tries++) {
      const outbox = (await (await fetch(`${server.url}/api/demo/outbox?limit=1`)).json()) as {
        items: Array<{ to: string; kind: string }>;
      };
      newest = outbox.items[0];
      if (!newest) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(newest).toMatchObject({ to: 'alice@example.com', kind: 'reset' });
    await page.close();
  });

  it('speaks French on a French page, loading the locale pack from beside the script', async () => {
    const page = await browser.newPage();
    await page.goto(`${pagesUrl}/fr`);
    await page.getByRole('heading', { name: 'Mot de passe oublié ?' }).waitFor({ timeout: 15_000 });
    expect(await page.getByRole('button', { name: 'Envoyer le lien' }).count()).toBe(1);
    await page.close();
  });
});
