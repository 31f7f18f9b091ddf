/**
 * End-to-end harness: the real server process as `npm start` runs it (demo on, outbox mail, fs
 * store in a temporary folder), Debian's Chromium through playwright-core, and the reading of
 * mail a person does: the newest message to an address, its link, the password it carries.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import type { OutboxMessage } from '../../server/domain.js';
import { launchChromium } from './chromium.js';
import { freePort, startServerProcess, type ServerProcess } from './server-process.js';

/** A message as GET /api/demo/outbox lists it. */
export type Mail = OutboxMessage;

export interface DemoServer {
  /** What a person types in the address bar (also the server's PUBLIC_URL, so mail links lead here). */
  url: string;
  process: ServerProcess;
  browser: Browser;
  /** Every message in the outbox, newest first. */
  outbox(): Promise<Mail[]>;
  /** Waits for a message to `to` (of `kind`) that was not in the outbox when `since` was taken. */
  nextMail(to: string, kind: string, since: Set<string>): Promise<Mail>;
  /** The ids in the outbox now: pass to `nextMail` to wait for what comes after. */
  seen(): Promise<Set<string>>;
  stop(): Promise<void>;
}

export async function startDemo(env: Record<string, string> = {}): Promise<DemoServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'workflows-'));
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const server = await startServerProcess(
    { DEMO: '1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', PUBLIC_URL: url, ...env },
    port,
  );
  const browser = await launchChromium();
  const outbox = async (): Promise<Mail[]> => {
    const response = await fetch(`${server.url}/api/demo/outbox?limit=500`);
    return ((await response.json()) as { items: Mail[] }).items;
  };
  return {
    url,
    process: server,
    browser,
    outbox,
    seen: async () => new Set((await outbox()).map((mail) => mail.id)),
    async nextMail(to, kind, since) {
      // The mail leaves after the answer (no timing oracle), so it may take a moment to arrive.
      for (let tries = 0; tries < 100; tries++) {
        const mail = (await outbox()).find((m) => m.to === to && m.kind === kind && !since.has(m.id));
        if (mail) return mail;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no ${kind} mail to ${to}`);
    },
    async stop() {
      await browser.close();
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The link a person clicks in a mail (the one carrying a token, else the first button link). */
export function linkIn(mail: Mail): string {
  const links = [...mail.html.matchAll(/href="([^"]+)"/g)].map((match) => match[1].replaceAll('&amp;', '&'));
  const link =
    links.find((href) => href.includes('#token=')) ?? links.find((href) => href.startsWith('http'));
  if (!link) throw new Error(`no link in "${mail.subject}"`);
  return link;
}

/** The password a credentials mail carries (the line after its label). */
export function passwordIn(mail: Mail): string {
  const found = /Password:\s*(\S+)/.exec(mail.text)?.[1];
  if (!found) throw new Error(`no password in "${mail.subject}"`);
  return found;
}

/** Types into a field found by its label, as a person would (replacing what is there). */
export async function typeInto(field: Locator, text: string): Promise<void> {
  await field.fill('');
  await field.pressSequentially(text);
}

/** The member logs in on a login page (the hosted /login or the demo's member app). */
export async function logIn(page: Page, identifier: string, password: string): Promise<void> {
  await page.getByLabel('Username or email').fill(identifier);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Presses Tab until the focused element (inside shadow roots too) has this accessible name. */
export async function tabTo(page: Page, name: string | RegExp, limit = 60): Promise<void> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const label = await page.evaluate(() => {
      let active: Element | null = document.activeElement;
      while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
      if (!active) return '';
      const labelled = active.getAttribute('aria-label');
      if (labelled) return labelled;
      const input = active as HTMLInputElement;
      const label = input.labels?.[0]?.textContent;
      return (label ?? active.textContent ?? '').replace(/\s+/g, ' ').trim();
    });
    if (typeof name === 'string' ? label === name : name.test(label)) return;
  }
  throw new Error(`Tab never reached "${name}"`);
}
