/**
 * `npm run screenshots`: the README's pictures, taken from the real demo. Starts the server as
 * `npm start` does (fresh demo data in a temporary folder, mail to the outbox), opens the pages
 * in Debian's Chromium and writes PNGs to demo/screenshots/. Run it again after changing how the
 * elements or the demo look. Emoji in the panel need a colour emoji font on the machine (on
 * Debian: `apt-get install fonts-noto-color-emoji`), or they render as empty boxes.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium } from '../test/helpers/chromium.js';
import { DEMO_TEMPORARY_PASSWORD } from '../server/demo-seed.js';
import { freePort, startServerProcess } from '../test/helpers/server-process.js';

const OUT = fileURLToPath(new URL('./screenshots/', import.meta.url));
const WAIT = { timeout: 60_000 };

const dataDir = await mkdtemp(path.join(tmpdir(), 'screenshots-'));
const port = await freePort();
const url = `http://localhost:${port}`;
const server = await startServerProcess(
  { DEMO: '1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', PUBLIC_URL: url },
  port,
);
const browser = await launchChromium(['--hide-scrollbars']);

async function shot(page: Page, name: string): Promise<void> {
  const file = path.join(OUT, `${name}.png`);
  await page.screenshot({ path: file });
  process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
}

try {
  await mkdir(OUT, { recursive: true });
  const context = await browser.newContext({ viewport: { width: 1200, height: 760 }, deviceScaleFactor: 1 });
  const page = await context.newPage();

  // Staff: the client list of the admin portal, the lock next to each name.
  await page.goto(`${url}/demo/admin/`, WAIT);
  await page.getByRole('link', { name: 'Reset password for Alice Martin' }).waitFor(WAIT);
  await shot(page, 'admin-clients');

  // Staff: a client's page with the panel, then its lock action.
  await page.goto(`${url}/demo/admin/client.html?id=c-alice`);
  const panel = page.locator('client-reset-panel');
  await panel.getByRole('heading', { name: 'Alice Martin', exact: true }).waitFor(WAIT);
  await panel.getByText('Recent activity').waitFor(WAIT);
  await shot(page, 'admin-panel');
  await panel.getByRole('button', { name: /Reset password$/ }).click();
  await panel.getByRole('dialog').waitFor(WAIT);
  await shot(page, 'admin-lock-dialog');

  // Member: a temporary password at the hosted login leads into the forced reset.
  await page.goto(`${url}/login?tenant=demo-studio`);
  await page.getByLabel('Username or email').fill('chloe@example.com');
  await page.getByLabel('Password', { exact: true }).fill(DEMO_TEMPORARY_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('New password', { exact: true }).waitFor(WAIT);
  await dialog.getByLabel('New password', { exact: true }).fill('lantern-ember');
  await shot(page, 'forced-reset');
} finally {
  await browser.close();
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
