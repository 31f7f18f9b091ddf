/**
 * Every state of the three elements in every language: French, Spanish, German and Portuguese
 * render with no English string of the elements left in them, and axe finds nothing. The states
 * are driven through the real API, by structure (ids, classes, parts) rather than by labels, so
 * one walk serves every language.
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { ClientResetPanel } from '../../widget/client-reset-panel/client-reset-panel.js';
import type { ForceResetDialog } from '../../widget/force-reset-dialog/force-reset-dialog.js';
import type { ForgotPasswordForm } from '../../widget/forgot-password-form/forgot-password-form.js';
import '../../widget/index.js';
import { commonEn, dialogEn, formEn, panelEn, type LocalePack } from '../../widget/locales/en.js';
import { pack as de } from '../../widget/locales/de.js';
import { pack as es } from '../../widget/locales/es.js';
import { pack as fr } from '../../widget/locales/fr.js';
import { pack as pt } from '../../widget/locales/pt.js';
import {
  API_BASE,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  outbox,
  resetServer,
  seedClient,
  setPassword,
  staffToken,
  TENANT,
  tokenFromMail,
} from './helpers.js';
import { staffCall } from './panel-helpers.js';

const LANGS: Array<[string, LocalePack]> = [
  ['fr', fr],
  ['es', es],
  ['de', de],
  ['pt', pt],
];

/** A value's fixed text: strings as they are, a function's words around its arguments. */
function fragments(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (typeof value === 'function') {
    const marker = '\u0001';
    return String((value as (...args: unknown[]) => string)(marker, marker, marker))
      .split(marker)
      .map((part) => part.trim());
  }
  if (value && typeof value === 'object') return Object.values(value).flatMap(fragments);
  return [];
}

const english = [commonEn, panelEn, formEn, dialogEn].flatMap(fragments);

/** The English strings a rendering in `pack`'s language must not contain (those the language writes the same way aside). */
function englishLeftIn(text: string, pack: LocalePack): string[] {
  const own = new Set(Object.values(pack).flatMap(fragments));
  // Whole words only: French "Continuer" does not hold English "Continue".
  const holds = (phrase: string) =>
    new RegExp(`(?<![\\p{L}])${phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'u').test(text);
  return [...new Set(english.filter((phrase) => phrase.length >= 4 && !own.has(phrase) && holds(phrase)))];
}

/** What a person meets in the element: its visible text and the words of its labels and hints. */
const seen = (root: ParentNode) =>
  [...root.querySelectorAll<HTMLElement>('*')]
    .filter((node) => !node.closest('[hidden]'))
    .flatMap((node) => [
      ...[...node.childNodes]
        .filter((child) => child.nodeType === Node.TEXT_NODE)
        .map((child) => child.textContent ?? ''),
      ...['aria-label', 'title', 'placeholder'].map((name) => node.getAttribute(name) ?? ''),
    ])
    .join(' ')
    .replace(/\s+/g, ' ');

/** Waits for `predicate`, polling. */
async function until(predicate: () => unknown, what: string): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > 5000) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The state's text holds no English and axe finds nothing; the label says which state failed. */
async function check(el: HTMLElement, root: ParentNode, pack: LocalePack, state: string): Promise<void> {
  await (el as HTMLElement & { updateComplete: Promise<unknown> }).updateComplete;
  expect(englishLeftIn(seen(root), pack), `${state}: English left`).to.deep.equal([]);
  await expect(el, state).to.be.accessible();
}

const fill = (input: HTMLInputElement | null, value: string) => {
  input!.value = value;
  input!.dispatchEvent(new Event('input', { bubbles: true }));
};

for (const [lang, pack] of LANGS) {
  describe(`every state in ${lang}`, () => {
    beforeEach(() => resetServer());

    it('<client-reset-panel>: list, client, lock dialog (random, custom, confirm, shown once)', async () => {
      const client = await seedClient({
        name: 'Ana Alvarez',
        email: 'ana@example.com',
        password: GOOD_PASSWORD,
      });
      await seedClient({
        name: 'Ben Okafor',
        email: 'ben@example.com',
        emailConfirmed: false,
        loginEnabled: false,
      });
      await setPassword(client.id, { mode: 'random', delivery: 'display', temporary: false });
      const token = await staffToken();
      const list = await fixture<ClientResetPanel>(
        html`<client-reset-panel api-base=${API_BASE} lang=${lang} .token=${token}></client-reset-panel>`,
      );
      const root = list.shadowRoot!;
      await until(
        () =>
          root.querySelectorAll('tbody tr').length === 2 &&
          root.querySelector('label')?.textContent?.trim() !== panelEn.search,
        'the list',
      );
      await check(list, root, pack, 'list');

      root.querySelector<HTMLButtonElement>('tbody .link')!.click();
      await until(() => root.querySelector('section h3'), 'the client');
      await until(() => root.querySelectorAll('[part~=activity] li').length > 0, 'the activity');
      await check(list, root, pack, 'client');

      root.querySelector<HTMLButtonElement>('[part~=lock].primary')!.click();
      // The lock dialog's code is fetched once a client is shown: it may still be on its way.
      await until(() => root.querySelector('dialog')?.open, 'the lock dialog');
      const dialog = root.querySelector('dialog')!;
      await until(() => dialog.open && dialog.querySelector('form'), 'the lock dialog');
      await check(list, root, pack, 'lock dialog, random');

      dialog.querySelector<HTMLInputElement>('#rl-mode-custom')!.click();
      await until(() => dialog.querySelector('[data-rule]'), 'the custom password fields');
      dialog.querySelector<HTMLButtonElement>('form .primary')!.click();
      await until(
        () => !dialog.querySelector<HTMLElement>('[role=alert]')!.hidden,
        'the empty-password error',
      );
      await check(list, root, pack, 'lock dialog, custom, empty');

      dialog.querySelector<HTMLInputElement>('#rl-mode-random')!.click();
      await list.updateComplete;
      dialog.querySelector<HTMLInputElement>('#rl-delivery-display')!.click();
      await list.updateComplete;
      dialog.querySelector<HTMLButtonElement>('form .primary')!.click();
      await until(
        () => !dialog.querySelector('form') && dialog.querySelector('.primary'),
        'the confirm step',
      );
      await check(list, root, pack, 'lock dialog, confirm');

      dialog.querySelector<HTMLButtonElement>('.primary')!.click();
      await until(() => dialog.querySelector('code'), 'the password shown once');
      await check(list, root, pack, 'lock dialog, shown once');
      dialog.querySelector<HTMLButtonElement>('.primary')!.click();
    });

    it('<forgot-password-form>: request, sent, code, reset, welcome, used link, done', async () => {
      await seedClient({
        name: 'Rosa Diaz',
        email: 'rosa@example.com',
        username: 'rosa.d',
        password: GOOD_PASSWORD,
      });
      const form = await fixture<ForgotPasswordForm>(
        html`<forgot-password-form
          api-base=${API_BASE}
          tenant=${TENANT}
          lang=${lang}
        ></forgot-password-form>`,
      );
      await until(() => form.querySelector('h2')?.textContent?.trim() !== formEn.title, 'the pack');
      await check(form, form, pack, 'request');
      fill(form.querySelector('input[name=username]'), 'rosa@example.com');
      form.querySelector('form')!.requestSubmit();
      await until(() => form.querySelector('.status'), 'sent');
      await check(form, form, pack, 'sent');
      form.querySelector<HTMLButtonElement>('.link')!.click();
      await until(() => form.querySelector('[data-rule]'), 'the code form');
      await check(form, form, pack, 'code');
      form.remove();

      const [mail] = await outbox({ to: 'rosa@example.com' });
      location.hash = `token=${tokenFromMail(mail)}`;
      const link = await fixture<ForgotPasswordForm>(
        html`<forgot-password-form
          api-base=${API_BASE}
          lang=${lang}
          login-url="/login"
        ></forgot-password-form>`,
      );
      await until(() => link.querySelector('[data-rule]'), 'the reset form');
      await check(link, link, pack, 'reset');
      fill(link.querySelector('input[name=new-password]'), OTHER_GOOD_PASSWORD);
      fill(link.querySelector('input[name=confirm-password]'), OTHER_GOOD_PASSWORD);
      link.querySelector('form')!.requestSubmit();
      await until(() => link.querySelector('.status'), 'done');
      await check(link, link, pack, 'done');
      link.remove();

      location.hash = `token=${tokenFromMail(mail)}`;
      const used = await fixture<ForgotPasswordForm>(
        html`<forgot-password-form
          api-base=${API_BASE}
          lang=${lang}
          login-url="/login"
        ></forgot-password-form>`,
      );
      await until(() => used.querySelector('[role=alert]:not([hidden])'), 'the used link');
      await check(used, used, pack, 'used link');
      used.remove();

      const ivo = await seedClient({ name: 'Ivo Novak', email: 'ivo@example.com' });
      expect((await staffCall(`/clients/${ivo.id}/invite`, 'POST')).status).to.equal(202);
      const [welcome] = await outbox({ to: 'ivo@example.com' });
      location.hash = `token=${tokenFromMail(welcome)}`;
      const invite = await fixture<ForgotPasswordForm>(
        html`<forgot-password-form api-base=${API_BASE} lang=${lang}></forgot-password-form>`,
      );
      await until(() => invite.querySelector('[data-rule]'), 'the welcome form');
      await check(invite, invite, pack, 'welcome');
    });

    it('<force-reset-dialog>: temporary password, new password, change, done', async () => {
      const rosa = await seedClient({
        name: 'Rosa Diaz',
        email: 'rosa@example.com',
        password: GOOD_PASSWORD,
      });
      const { password: temporary } = await setPassword(rosa.id, {
        mode: 'random',
        delivery: 'display',
        temporary: true,
      });
      const el = await fixture<ForceResetDialog>(
        html`<force-reset-dialog
          api-base=${API_BASE}
          tenant=${TENANT}
          identifier="rosa@example.com"
          lang=${lang}
        ></force-reset-dialog>`,
      );
      el.show();
      await until(
        () =>
          el.querySelector('dialog form') && el.querySelector('h2')?.textContent?.trim() !== dialogEn.title,
        'step 1',
      );
      await check(el, el, pack, 'step 1');
      fill(el.querySelector('input[type=password]'), temporary!);
      el.querySelector('form')!.requestSubmit();
      await until(() => el.querySelector('[data-rule]'), 'step 2');
      await check(el, el, pack, 'step 2');
      fill(el.querySelector('input[name=new-password]'), OTHER_GOOD_PASSWORD);
      fill(el.querySelector('input[name=confirm-password]'), OTHER_GOOD_PASSWORD);
      el.querySelector('form')!.requestSubmit();
      await until(() => el.querySelector('.status'), 'done');
      await check(el, el, pack, 'done');
      el.close();

      const change = await fixture<ForceResetDialog>(
        html`<force-reset-dialog
          api-base=${API_BASE}
          tenant=${TENANT}
          mode="change"
          lang=${lang}
        ></force-reset-dialog>`,
      );
      change.show();
      await until(() => change.querySelector('[data-rule]'), 'the change form');
      await check(change, change, pack, 'change');
    });
  });
}
