/**
 * `npm run screenshots`: pictures of every state of the elements, taken from the real demo, in
 * English and French, on a desktop and on a phone. For each language and device it starts the
 * server as `npm start` does (fresh demo data in a temporary folder, mail to the outbox), opens
 * the pages in Debian's Chromium and writes `<lang>-<device>-<state>.png` to demo/screenshots/.
 * Run it again after changing how the elements or the demo look.
 *
 * The French hosted pages are the demo tenant's, switched to French through the provisioning API
 * (a tenant's pages and mail speak its language); the panel's pages get `lang="fr"`.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions } from 'playwright-core';
import { launchChromium } from '../test/helpers/chromium.js';
import { DEMO_PROVISION_KEY } from '../server/config.js';
import { freePort, startServerProcess } from '../test/helpers/server-process.js';
import { memberScenes, panelScenes, type Device, type Lang, type Scene } from './screenshot-scenes.js';

const OUT = fileURLToPath(new URL('./screenshots/', import.meta.url));

const DEVICES: Record<Device, BrowserContextOptions> = {
  desktop: { viewport: { width: 1200, height: 760 }, deviceScaleFactor: 1 },
  phone: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true },
};
const LANGS: readonly Lang[] = ['en', 'fr'];

/** The demo tenant as seeded (demo-seed.ts), in another language. */
async function setTenantLocale(url: string, locale: Lang): Promise<void> {
  const response = await fetch(`${url}/api/provision/tenants/demo-studio`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${DEMO_PROVISION_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Riverside Fitness Studio', brand: { primaryColor: '#0f766e' }, locale }),
  });
  if (!response.ok)
    throw new Error(`the tenant's language was not set: ${response.status} ${await response.text()}`);
}

/** One language on one device, on a server of its own: every flow starts from the seeded demo. */
async function capture(browser: Browser, lang: Lang, device: Device): Promise<void> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'screenshots-'));
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const server = await startServerProcess(
    { DEMO: '1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', PUBLIC_URL: url },
    port,
  );
  const context = await browser.newContext({ ...DEVICES[device], locale: lang === 'fr' ? 'fr-FR' : 'en-US' });
  try {
    if (lang !== 'en') {
      await setTenantLocale(url, lang);
      // The demo's admin pages say `<html lang="en">`: the panel on them follows the page's
      // language, so it is set before any element renders.
      await context.addInitScript((code: string) => {
        // Parsed, before the page's module scripts run.
        document.addEventListener(
          'readystatechange',
          () => document.documentElement.setAttribute('lang', code),
          {
            once: true,
          },
        );
      }, lang);
    }
    const page = await context.newPage();
    const scene: Scene = { page, url, lang, device, out: OUT };
    await panelScenes(scene);
    await memberScenes(scene);
  } finally {
    await context.close();
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await mkdir(OUT, { recursive: true });
const browser = await launchChromium(['--hide-scrollbars']);
try {
  for (const lang of LANGS) {
    for (const device of Object.keys(DEVICES) as Device[]) await capture(browser, lang, device);
  }
} finally {
  await browser.close();
}
