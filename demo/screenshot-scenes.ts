/**
 * The states `npm run screenshots` captures (see take-screenshots.ts): the staff panel's list, a
 * client and each step of its lock dialog; the member pages from the hosted login to a used link.
 * Every wait is on text the element or page shows, taken from the same language tables they use,
 * so a shot is taken only once the page speaks its language.
 */
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { DEMO_TEMPORARY_PASSWORD } from '../server/demo-seed.js';
import type { OutboxMessage } from '../server/domain.js';
import { serverText } from '../server/locales/index.js';
import { commonEn, dialogEn, formEn, panelEn, type LocalePack } from '../widget/locales/en.js';
import { pack as fr } from '../widget/locales/fr.js';

export type Lang = 'en' | 'fr';
export type Device = 'desktop' | 'phone';

export interface Scene {
  page: Page;
  /** The demo server, as the browser reaches it. */
  url: string;
  lang: Lang;
  device: Device;
  /** The folder the PNGs go to. */
  out: string;
}

const WAIT = { timeout: 60_000 };
const ELEMENTS: Record<Lang, LocalePack> = {
  en: { common: commonEn, panel: panelEn, form: formEn, dialog: dialogEn },
  fr,
};
/** A password every rule accepts, typed where staff or a member choose one. */
const NEW_PASSWORD = 'lantern-ember-quay';
const CLIENT = { id: 'c-alice', name: 'Alice Martin' };

/** `fullPage` for a page taller than the screen (a form whose button would fall below it). */
async function shot(scene: Scene, state: string, fullPage = false): Promise<void> {
  const file = path.join(scene.out, `${scene.lang}-${scene.device}-${state}.png`);
  // Nothing caught mid-transition, and no caret blinking into one picture but not the next.
  await scene.page.evaluate(() => document.fonts.ready);
  await scene.page.screenshot({ path: file, fullPage, animations: 'disabled', caret: 'hide' });
  process.stdout.write(`${path.relative(process.cwd(), file)}\n`);
}

/** A page of the demo server's origin holding only the panel, as an integrator's page would. */
function panelPage(scene: Scene): string {
  return `<!doctype html>
<html lang="${scene.lang}">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>client-reset-panel</title>
    <style>
      body { margin: 0; background: #f4f5f7; color: #1f2328; font: 16px/1.5 system-ui, sans-serif; }
      main { max-width: 72rem; margin: 1.5rem auto; padding: 1.25rem; background: #fff; border-radius: 12px; }
      @media (max-width: 40rem) { main { margin: 0; border-radius: 0; padding: 1rem; } }
    </style>
    <script type="module" src="/widget.js"></script>
    <script type="module">
      // The staff token a portal's backend would sign: here the demo API's.
      await customElements.whenDefined('client-reset-panel');
      const panel = document.createElement('client-reset-panel');
      panel.getToken = async () => {
        const response = await fetch('/api/demo/staff-token', {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        });
        return (await response.json()).token;
      };
      document.querySelector('main').append(panel);
    </script>
  </head>
  <body>
    <main></main>
  </body>
</html>`;
}

export async function panelScenes(scene: Scene): Promise<void> {
  const { page, url } = scene;
  const m = ELEMENTS[scene.lang].panel;
  const common = ELEMENTS[scene.lang].common;

  // The list: the element without `client-id`, alone on a page of the server's origin.
  const listUrl = `${url}/screenshots/panel.html`;
  await page.route(listUrl, (route) => route.fulfill({ contentType: 'text/html', body: panelPage(scene) }));
  await page.goto(listUrl, WAIT);
  const list = page.locator('client-reset-panel');
  await list.getByLabel(m.search).waitFor(WAIT);
  await list.getByRole('button', { name: m.lock(CLIENT.name), exact: true }).waitFor(WAIT);
  await shot(scene, 'panel-list');

  // A client's page in the demo admin portal.
  await page.goto(`${url}/demo/admin/client.html?id=${CLIENT.id}`, WAIT);
  const panel = page.locator('client-reset-panel');
  await panel.getByRole('heading', { name: CLIENT.name, exact: true }).waitFor(WAIT);
  await panel.getByText(m.activity, { exact: true }).waitFor(WAIT);
  // On a phone the studio's own details come first: the panel is below them.
  if (scene.device === 'phone') await panel.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(scene, 'panel-client');

  // The lock dialog: random password first.
  await panel.getByRole('button', { name: new RegExp(`${m.resetPassword}$`) }).click();
  const dialog = panel.getByRole('dialog');
  await dialog.getByRole('heading', { name: m.lock(CLIENT.name) }).waitFor(WAIT);
  await dialog.getByLabel(m.random, { exact: true }).waitFor(WAIT);
  await shot(scene, 'lock-random');

  // A custom password, with the rules it is checked against.
  await dialog.getByLabel(m.custom, { exact: true }).check();
  await dialog.getByLabel(common.newPassword, { exact: true }).fill(NEW_PASSWORD);
  await dialog.getByLabel(common.confirmPassword, { exact: true }).fill(NEW_PASSWORD);
  await dialog.getByText(m.clientRulesTitle, { exact: true }).waitFor(WAIT);
  await dialog.getByText(m.clientRules.no_personal_info(0)).waitFor(WAIT);
  await shot(scene, 'lock-custom');

  // Back to a random password shown once: the confirm step, then the password itself.
  await dialog.getByLabel(m.random, { exact: true }).check();
  await dialog.getByLabel(m.showOnce, { exact: true }).check();
  await dialog.getByRole('button', { name: m.next, exact: true }).click();
  await dialog.getByText(m.confirmText(CLIENT.name)).waitFor(WAIT);
  await shot(scene, 'lock-confirm');
  await dialog.getByRole('button', { name: m.resetPassword, exact: true }).click();
  await dialog.getByText(m.shownOnce).waitFor(WAIT);
  await dialog.getByRole('button', { name: m.noted, exact: true }).waitFor(WAIT);
  await shot(scene, 'lock-shown-once');
}

/** The newest mail of `kind` to `to`: it leaves after the answer, so it may take a moment. */
async function mailTo(url: string, to: string, kind: OutboxMessage['kind']): Promise<OutboxMessage> {
  const deadline = Date.now() + WAIT.timeout;
  for (;;) {
    const response = await fetch(`${url}/api/demo/outbox?limit=500`);
    const { items } = (await response.json()) as { items: OutboxMessage[] };
    const mail = items.find((item) => item.to === to && item.kind === kind);
    if (mail) return mail;
    if (Date.now() > deadline) throw new Error(`no ${kind} mail to ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The link a person clicks in a mail: the one carrying a token. */
function linkIn(mail: OutboxMessage): string {
  const link = [...mail.html.matchAll(/href="([^"]+)"/g)]
    .map((match) => match[1].replaceAll('&amp;', '&'))
    .find((href) => href.includes('#token='));
  if (!link) throw new Error(`no link in "${mail.subject}"`);
  return link;
}

async function choosePassword(scope: Locator, common: LocalePack['common']): Promise<void> {
  await scope.getByLabel(common.newPassword, { exact: true }).fill(NEW_PASSWORD);
  await scope.getByLabel(common.confirmPassword, { exact: true }).fill(NEW_PASSWORD);
  await scope.getByText(common.rulesTitle, { exact: true }).waitFor(WAIT);
}

export async function memberScenes(scene: Scene): Promise<void> {
  const { page, url } = scene;
  const { common, form, dialog: d } = ELEMENTS[scene.lang];
  const pages = serverText[scene.lang].pages;
  const errors = serverText[scene.lang].errors;
  const chloe = 'chloe@example.com';

  // The hosted login, filled in with a temporary password from the front desk.
  await page.goto(`${url}/login?tenant=demo-studio`, WAIT);
  await page.getByRole('heading', { name: pages.titles.login }).waitFor(WAIT);
  await page.getByLabel(pages.identifier).fill(chloe);
  await page.getByLabel(pages.password, { exact: true }).fill(DEMO_TEMPORARY_PASSWORD);
  await shot(scene, 'login');

  // The forced reset opened by a page of its own: step 1 asks for the temporary password.
  await page.reload(WAIT);
  await page.getByRole('heading', { name: pages.titles.login }).waitFor(WAIT);
  await page.evaluate((identifier) => {
    const dialog = document.querySelector('force-reset-dialog')!;
    dialog.identifier = identifier;
    dialog.show();
  }, chloe);
  const dialog = page.getByRole('dialog');
  await dialog.getByText(d.intro).waitFor(WAIT);
  await dialog.getByLabel(d.temporary, { exact: true }).fill(DEMO_TEMPORARY_PASSWORD);
  await shot(scene, 'force-temporary');

  // The login with the temporary password leads to step 2, then done.
  await page.reload(WAIT);
  await page.getByLabel(pages.identifier).fill(chloe);
  await page.getByLabel(pages.password, { exact: true }).fill(DEMO_TEMPORARY_PASSWORD);
  await page.getByRole('button', { name: pages.logIn, exact: true }).click();
  await dialog.getByText(d.stepTwo).waitFor(WAIT);
  await choosePassword(dialog, common);
  await shot(scene, 'force-new-password');
  await dialog.getByRole('button', { name: d.update, exact: true }).click();
  await dialog.getByText(d.done).waitFor(WAIT);
  await shot(scene, 'force-done');

  // Forgot password: the request, "sent", then the code.
  const hugo = 'hugo@example.com';
  await page.goto(`${url}/forgot?tenant=demo-studio`, WAIT);
  const forgot = page.locator('forgot-password-form');
  await forgot.getByRole('heading', { name: form.title }).waitFor(WAIT);
  await forgot.getByLabel(common.identifier).fill(hugo);
  await shot(scene, 'forgot-request', true);
  await forgot.getByRole('button', { name: form.send, exact: true }).click();
  await forgot.getByText(form.sent).waitFor(WAIT);
  await shot(scene, 'forgot-sent', true);
  await forgot.getByRole('button', { name: form.enterCode }).click();
  await forgot.getByLabel(form.code).waitFor(WAIT);
  await shot(scene, 'forgot-code', true);

  // The mail's link: choose the password, done; the same link again is a used one.
  const link = linkIn(await mailTo(url, hugo, 'reset'));
  await page.goto(link, WAIT);
  await forgot.getByRole('heading', { name: form.resetTitle }).waitFor(WAIT);
  await choosePassword(forgot, common);
  await shot(scene, 'reset-form', true);
  await forgot.getByRole('button', { name: form.setPassword, exact: true }).click();
  await forgot.getByText(form.done).waitFor(WAIT);
  await shot(scene, 'reset-done', true);
  await page.goto('about:blank');
  await page.goto(link, WAIT);
  await forgot.getByText(errors.link_used).waitFor(WAIT);
  await shot(scene, 'link-used', true);

  // A welcome link, as staff resend it from an invited client's page: the first password, by name.
  const ben = { id: 'c-ben', name: 'Ben Okafor', email: 'ben@example.com' };
  const m = ELEMENTS[scene.lang].panel;
  await page.goto(`${url}/demo/admin/client.html?id=${ben.id}`, WAIT);
  const panel = page.locator('client-reset-panel');
  await panel.getByRole('heading', { name: ben.name, exact: true }).waitFor(WAIT);
  await panel.getByRole('button', { name: m.resendWelcome, exact: true }).click();
  await panel.getByText(m.linkSent(ben.email)).waitFor(WAIT);
  await page.goto(linkIn(await mailTo(url, ben.email, 'invite')), WAIT);
  await forgot.getByText(form.inviteIntro).waitFor(WAIT);
  await shot(scene, 'welcome-form', true);
}
