/**
 * `<force-reset-dialog>` in Chromium against the real API (memory store, one app per file): the
 * forced reset (step 1 temporary password, step 2 new password, done), starting from a page's
 * own challenge, Escape, the expired temporary password, and `mode="change"` for a logged-in
 * member — rendered, driven (by the keyboard alone where it matters), checked for the request it
 * sends, the answer it shows, the events it fires, and with axe.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { ifDefined } from 'lit/directives/if-defined.js';
import { ForceResetDialog } from '../../widget/force-reset-dialog/force-reset-dialog.js';
import {
  advanceClock,
  API_BASE,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  resetServer,
  seedClient,
  setPassword,
  TENANT,
} from './helpers.js';
import {
  alertOf,
  api,
  button,
  byLabel,
  descriptionOf,
  expectFocus,
  expectSame,
  fill,
  login,
  maybeButton,
  maybeByLabel,
  press,
  ruleState,
  spyOnApi,
  textOf,
  type,
  waitFor,
  expectPasswordManagerForm,
  waitForText,
} from './member-element-helpers.js';

const DAY = 24 * 60 * 60 * 1000;
const ROSA = { email: 'rosa@example.com', name: 'Rosa Diaz', password: GOOD_PASSWORD };
const STEP_ONE = 'The front desk gave you a temporary password.';
const STEP_TWO = 'Now choose a password only you know.';
const DONE = 'Your password has been updated.';
const COMMON_PASSWORD = 'qwerty123456';

let spy: ReturnType<typeof spyOnApi>;
const htmlLang = document.documentElement.lang;

interface MountOptions {
  mode?: 'force' | 'change';
  identifier?: string;
  lang?: string;
  challenge?: string;
  session?: string;
}

function mountDialog(options: MountOptions = {}) {
  return fixture<ForceResetDialog>(html`
    <force-reset-dialog
      api-base=${API_BASE}
      tenant=${TENANT}
      mode=${ifDefined(options.mode)}
      identifier=${ifDefined(options.identifier)}
      lang=${ifDefined(options.lang)}
      .challenge=${options.challenge ?? ''}
      .session=${options.session ?? ''}
    ></force-reset-dialog>
  `);
}

const dialogOf = (el: ForceResetDialog): HTMLDialogElement => el.querySelector('dialog')!;

/** Opens it with show() and waits for the first field to take focus. */
async function open(el: ForceResetDialog): Promise<HTMLDialogElement> {
  el.show();
  await el.updateComplete;
  const dialog = dialogOf(el);
  await waitFor(
    () => dialog.contains(document.activeElement) && document.activeElement instanceof HTMLInputElement,
    'focus on the first field of the dialog',
  );
  return dialog;
}

/** A member in `force_reset` with a temporary password that staff saw once. */
async function memberWithTemporaryPassword(): Promise<{ id: string; temporary: string }> {
  const client = await seedClient(ROSA);
  const result = await setPassword(client.id, { mode: 'random', delivery: 'display', temporary: true });
  expect(result.password).to.be.a('string');
  return { id: client.id, temporary: result.password! };
}

function requestsTo(path: string) {
  return spy.requests.filter((request) => request.path === path);
}

async function waitForRules(el: Element): Promise<void> {
  await waitFor(() => el.querySelector('[data-rule="min_length"]'), 'the password rules');
}

async function newPassword(el: ForceResetDialog, password: string, confirm = password): Promise<void> {
  await waitForRules(el);
  fill(byLabel(el, 'New password'), password);
  fill(byLabel(el, 'Confirm new password'), confirm);
  await el.updateComplete;
}

/** GET /api/session with this token: its status and claims. */
function session(token: string) {
  return api<{ sub?: string; tid?: string; error?: { code: string } }>('GET', '/api/session', { token });
}

describe('<force-reset-dialog>', () => {
  beforeEach(async () => {
    await resetServer();
    // Device tokens kept by an earlier test's login would be sent along.
    localStorage.removeItem('client-reset:devices');
    spy = spyOnApi();
  });

  afterEach(() => {
    spy.restore();
    document.documentElement.lang = htmlLang;
  });

  describe('opening', () => {
    it('stays closed until show(); show() opens a modal <dialog> named by its heading, at step 1; axe passes', async () => {
      const el = await mountDialog({ identifier: ROSA.email });
      expect(el).to.be.instanceOf(ForceResetDialog);
      const dialog = dialogOf(el);
      expect(dialog.open).to.equal(false);
      expect(el.querySelector('form'), 'no fields while closed').to.equal(null);

      await open(el);
      expect(dialog.open).to.equal(true);
      expect(dialog.matches(':modal'), 'a modal dialog').to.equal(true);
      expect(el.open).to.equal(true);
      expect(el.hasAttribute('open'), 'the open attribute reflects').to.equal(true);
      const title = document.getElementById(dialog.getAttribute('aria-labelledby') ?? '');
      expect(textOf(title)).to.equal('Choose a new password');
      expect(textOf(el)).to.include(STEP_ONE);

      const form = el.querySelector('form')!;
      expectSame(form.closest('dialog'), dialog, 'the form inside the dialog');
      const username = byLabel(el, 'Email or username');
      const temporary = byLabel(el, 'Temporary password');
      expectSame(username.form, form, 'the username field in the form');
      expectSame(temporary.form, form, 'the temporary password in the form');
      expect(username.autocomplete).to.equal('username');
      expect(username.value).to.equal(ROSA.email);
      expect(temporary.autocomplete).to.equal('current-password');
      expect(temporary.type).to.equal('password');
      expect(temporary.required).to.equal(true);
      expect(button(el, 'Continue').type).to.equal('submit');
      expect(maybeButton(el, 'Cancel'), 'a mandatory reset offers no way out').to.equal(null);
      expect(maybeByLabel(el, 'New password')).to.equal(null);
      expect(spy.requests.filter((request) => request.path !== `/api/policy?tenant=${TENANT}`)).to.deep.equal(
        [],
      );
      await expect(el).to.be.accessible();
    });

    it('the open attribute opens it too', async () => {
      const el = await fixture<ForceResetDialog>(
        html`<force-reset-dialog api-base=${API_BASE} open></force-reset-dialog>`,
      );
      const dialog = dialogOf(el);
      await waitUntil(() => dialog.open, 'the dialog opens');
      expect(dialog.matches(':modal')).to.equal(true);
      expect(textOf(el)).to.include(STEP_ONE);
    });
  });

  describe('forced reset', () => {
    it('step 1 → step 2 → Update Password: reset-complete carries a session GET /api/session accepts', async () => {
      const { id, temporary } = await memberWithTemporaryPassword();
      const el = await mountDialog({ identifier: ROSA.email });
      const dialog = await open(el);
      fill(byLabel(el, 'Temporary password'), temporary);
      button(el, 'Continue').click();

      await waitForText(el, STEP_TWO);
      expect(requestsTo('/api/login').map((request) => request.body)).to.deep.equal([
        { identifier: ROSA.email, password: temporary, tenant: TENANT, devices: [] },
      ]);
      await expectFocus(byLabel(el, 'New password'), 'the new password');
      expect(maybeByLabel(el, 'Temporary password')).to.equal(null);
      const passwords = expectPasswordManagerForm(el, ROSA.email);
      await waitForRules(el);
      expect(descriptionOf(passwords[0]).text).to.include('Be at least 12 characters long');
      expect(button(el, 'Update Password').type).to.equal('submit');
      await expect(el).to.be.accessible();

      await newPassword(el, OTHER_GOOD_PASSWORD);
      expect(ruleState(el, 'min_length')).to.equal('met');
      expect(ruleState(el, 'match')).to.equal('met');
      const complete = oneEvent(el, 'reset-complete');
      button(el, 'Update Password').click();
      const event = await complete;
      expect(event.bubbles && event.composed, 'bubbles and composed').to.equal(true);
      expect(event.detail.session).to.be.a('string');
      const claims = await session(event.detail.session!);
      expect(claims.status).to.equal(200);
      expect(claims.json.sub).to.equal(id);
      const [change] = requestsTo('/api/password/force-change');
      expect(change.body).to.have.keys(['challenge', 'password']);
      expect(change.body!.password).to.equal(OTHER_GOOD_PASSWORD);

      await waitForText(el, DONE);
      await expectFocus(button(el, 'Close'), 'the Close button, so Enter closes');
      expect(el.querySelector('[role="status"]')!.textContent!.trim()).to.equal(DONE);
      expect(dialog.open, 'still open to show the answer').to.equal(true);
      await expect(el).to.be.accessible();
      expect((await login(ROSA.email, OTHER_GOOD_PASSWORD)).json.status).to.equal('ok');

      button(el, 'Close').click();
      await waitUntil(() => !dialog.open, 'Close closes it');
      expect(el.open).to.equal(false);
      expect(el.hasAttribute('open')).to.equal(false);
    });

    /** @see issue 9, item 1: the right password from a device that logged in before is never locked out. */
    it('keeps the device token a login gives, and shows it at the next login to the same server', async () => {
      const { temporary } = await memberWithTemporaryPassword();
      const first = await mountDialog({ identifier: ROSA.email });
      await open(first);
      fill(byLabel(first, 'Temporary password'), temporary);
      button(first, 'Continue').click();
      await waitForText(first, STEP_TWO);
      const [firstLogin] = requestsTo('/api/login');
      expect(firstLogin.body!.devices).to.deep.equal([]);
      const kept = JSON.parse(localStorage.getItem('client-reset:devices') ?? '{}') as Record<
        string,
        string[]
      >;
      const tokens = Object.values(kept).flat();
      expect(tokens, 'one token kept').to.have.length(1);
      expect(tokens[0].split('.'), 'a signed token').to.have.length(3);

      first.remove();
      const second = await mountDialog({ identifier: ROSA.email });
      await open(second);
      fill(byLabel(second, 'Temporary password'), temporary);
      button(second, 'Continue').click();
      await waitForText(second, STEP_TWO);
      const [, secondLogin] = requestsTo('/api/login');
      expect(secondLogin.body!.devices).to.deep.equal(tokens);
    });

    it('keyboard only: open from a button, type, Tab, Enter through both steps, close and return focus', async () => {
      const { temporary } = await memberWithTemporaryPassword();
      const page = await fixture<HTMLDivElement>(html`
        <div>
          <button
            type="button"
            @click=${(event: Event) =>
              (event.currentTarget as HTMLElement).parentElement!.querySelector('force-reset-dialog')!.show()}
          >
            Finish my reset
          </button>
          <force-reset-dialog api-base=${API_BASE} tenant=${TENANT}></force-reset-dialog>
        </div>
      `);
      const el = page.querySelector('force-reset-dialog')!;
      const opener = page.querySelector('button')!;
      (document.activeElement as HTMLElement | null)?.blur();
      await press('Tab');
      await expectFocus(opener, 'the page button');
      await press('Enter');
      await waitFor(() => dialogOf(el).open, 'the dialog opens');
      await expectFocus(byLabel(el, 'Email or username'), 'the first field');

      await type(ROSA.email);
      await press('Tab');
      await expectFocus(byLabel(el, 'Temporary password'), 'the temporary password');
      await type(temporary);
      await press('Enter');
      await waitForText(el, STEP_TWO);
      await waitForRules(el);
      await expectFocus(byLabel(el, 'New password'), 'the new password');
      await type(OTHER_GOOD_PASSWORD);
      await press('Tab');
      await expectFocus(byLabel(el, 'Confirm new password'), 'the confirmation');
      await type(OTHER_GOOD_PASSWORD);
      const complete = oneEvent(el, 'reset-complete');
      await press('Enter');
      expect((await complete).detail.session).to.be.a('string');
      await waitForText(el, DONE);
      // Focus on Close, not on the message: Enter goes on at once (the message is announced as a status).
      await expectFocus(button(el, 'Close'), 'the Close button');
      await press('Enter');
      await waitUntil(() => !dialogOf(el).open, 'the dialog closes');
      await expectFocus(opener, 'the button that opened it');
      expect((await login(ROSA.email, OTHER_GOOD_PASSWORD)).json.status).to.equal('ok');
    });

    it('given the challenge from the page’s own login, it starts at step 2', async () => {
      const { temporary } = await memberWithTemporaryPassword();
      const answer = await login(ROSA.email, temporary);
      expect(answer.json.status).to.equal('password_change_required');
      spy.requests.length = 0;
      const el = await mountDialog({ identifier: ROSA.email, challenge: answer.json.challenge });
      await open(el);
      expect(textOf(el)).to.include(STEP_TWO);
      expect(maybeByLabel(el, 'Temporary password')).to.equal(null);
      await expectFocus(byLabel(el, 'New password'), 'the new password');
      await newPassword(el, OTHER_GOOD_PASSWORD);
      const complete = oneEvent(el, 'reset-complete');
      button(el, 'Update Password').click();
      const event = await complete;
      expect((await session(event.detail.session!)).status).to.equal(200);
      expect(requestsTo('/api/login'), 'no second login').to.have.length(0);
      expect(requestsTo('/api/password/force-change')[0].body).to.deep.equal({
        challenge: answer.json.challenge,
        password: OTHER_GOOD_PASSWORD,
      });
      await waitForText(el, DONE);
    });

    it('Escape does not dismiss a mandatory reset', async () => {
      await memberWithTemporaryPassword();
      const el = await mountDialog({ identifier: ROSA.email });
      const dialog = await open(el);
      byLabel(el, 'Temporary password').focus();
      await type('abc');
      await press('Escape');
      await el.updateComplete;
      expect(dialog.open, 'the dialog is still open').to.equal(true);
      expect(el.open).to.equal(true);
      expect(textOf(el)).to.include(STEP_ONE);
    });

    it('Escape pressed twice in a row still does not dismiss it', async () => {
      await memberWithTemporaryPassword();
      const el = await mountDialog({ identifier: ROSA.email });
      const dialog = await open(el);
      byLabel(el, 'Temporary password').focus();
      await type('abc');
      for (const attempt of ['first', 'second']) {
        await press('Escape');
        await el.updateComplete;
        expect(dialog.open, `open after the ${attempt} Escape`).to.equal(true);
      }
      expect(el.open).to.equal(true);
    });

    it('Escape right after the page opens it (before any key press) does not dismiss it', async () => {
      await memberWithTemporaryPassword();
      const el = await mountDialog({ identifier: ROSA.email });
      const dialog = await open(el);
      await press('Escape');
      await el.updateComplete;
      expect(dialog.open, 'the dialog is still open').to.equal(true);
      expect(el.open).to.equal(true);
    });

    it('a challenge that has expired (11 min) says so and goes back to step 1', async () => {
      const { temporary } = await memberWithTemporaryPassword();
      const challenge = (await login(ROSA.email, temporary)).json.challenge;
      const el = await mountDialog({ identifier: ROSA.email, challenge });
      await open(el);
      await newPassword(el, OTHER_GOOD_PASSWORD);
      await advanceClock(11 * 60 * 1000);
      const failed = oneEvent(el, 'reset-error');
      button(el, 'Update Password').click();
      expect((await failed).detail.code).to.equal('challenge_invalid');
      await waitFor(() => maybeByLabel(el, 'Temporary password'), 'step 1 again');
      expect(textOf(alertOf(el))).to.equal(
        'This step has expired. Please log in again with your temporary password.',
      );
      fill(byLabel(el, 'Temporary password'), temporary);
      button(el, 'Continue').click();
      await waitForText(el, STEP_TWO);
    });

    it('an expired temporary password (8 days) says to ask the front desk; reset-error temporary_password_expired', async () => {
      const { temporary } = await memberWithTemporaryPassword();
      await advanceClock(8 * DAY);
      const el = await mountDialog({ identifier: ROSA.email });
      await open(el);
      fill(byLabel(el, 'Temporary password'), temporary);
      const failed = oneEvent(el, 'reset-error');
      button(el, 'Continue').click();
      const event = await failed;
      expect(event.bubbles && event.composed, 'bubbles and composed').to.equal(true);
      expect(event.detail.code).to.equal('temporary_password_expired');
      const alert = alertOf(el);
      await waitUntil(() => !alert.hidden, 'the alert shows');
      expect(textOf(alert)).to.equal(
        'This temporary password has expired. Ask the front desk for a new one.',
      );
      expect(event.detail.message).to.equal(textOf(alert));
      await expectFocus(alert, 'the alert');
      expect(maybeByLabel(el, 'Temporary password') !== null, 'still at step 1').to.equal(true);
      expect(dialogOf(el).open).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('a wrong temporary password: "Invalid username or password."', async () => {
      await memberWithTemporaryPassword();
      const el = await mountDialog({ identifier: ROSA.email });
      await open(el);
      fill(byLabel(el, 'Temporary password'), 'not-the-temporary-one');
      const failed = oneEvent(el, 'reset-error');
      button(el, 'Continue').click();
      expect((await failed).detail.code).to.equal('invalid_credentials');
      await waitForText(el, 'Invalid username or password.');
      expect(maybeByLabel(el, 'Temporary password') !== null, 'still at step 1').to.equal(true);
    });

    it('a common new password: the server refuses (422), the rule is marked unmet and the error shown', async () => {
      const { temporary } = await memberWithTemporaryPassword();
      const challenge = (await login(ROSA.email, temporary)).json.challenge;
      const el = await mountDialog({ identifier: ROSA.email, challenge });
      await open(el);
      await newPassword(el, COMMON_PASSWORD);
      const failed = oneEvent(el, 'reset-error');
      button(el, 'Update Password').click();
      expect((await failed).detail.code).to.equal('password_rejected');
      await el.updateComplete;
      expect(ruleState(el, 'not_common')).to.equal('unmet');
      const alert = alertOf(el);
      expect(textOf(alert)).to.equal('Choose a password that meets every rule in the list.');
      expect(byLabel(el, 'New password').getAttribute('aria-invalid')).to.equal('true');
      await expectFocus(alert, 'the alert');
      expect(textOf(el), 'still at step 2').to.include(STEP_TWO);
      await expect(el).to.be.accessible();
    });

    it('an error is tied to the password field: its aria-describedby names the alert', async () => {
      const { temporary } = await memberWithTemporaryPassword();
      const challenge = (await login(ROSA.email, temporary)).json.challenge;
      const el = await mountDialog({ identifier: ROSA.email, challenge });
      await open(el);
      await newPassword(el, COMMON_PASSWORD);
      button(el, 'Update Password').click();
      await waitForText(el, 'Choose a password that meets every rule in the list.');
      const alert = alertOf(el);
      const { ids, text } = descriptionOf(byLabel(el, 'New password'));
      expect(alert.id, 'the alert has an id').to.not.equal('');
      expect(ids, 'aria-describedby of the new password').to.include(alert.id);
      expect(text).to.include('Choose a password that meets every rule in the list.');
    });

    it('a too-short password is stopped before sending: rule unmet, field flagged and focused, error shown', async () => {
      const { temporary } = await memberWithTemporaryPassword();
      const challenge = (await login(ROSA.email, temporary)).json.challenge;
      const el = await mountDialog({ identifier: ROSA.email, challenge });
      await open(el);
      await newPassword(el, 'short-pw1');
      byLabel(el, 'Confirm new password').focus();
      button(el, 'Update Password').click();
      const password = byLabel(el, 'New password');
      await expectFocus(password, 'the new password');
      expect(requestsTo('/api/password/force-change'), 'no request').to.have.length(0);
      expect(ruleState(el, 'min_length')).to.equal('unmet');
      expect(password.getAttribute('aria-invalid'), 'the focused field says it is invalid').to.equal('true');
      expect(alertOf(el).hidden, 'an error is shown').to.equal(false);
    });
  });

  describe('mode="change"', () => {
    it('current + new password → reset-complete with a fresh session; the old one is revoked', async () => {
      const client = await seedClient(ROSA);
      const before = await login(ROSA.email, GOOD_PASSWORD);
      const oldSession = before.json.session!;
      expect(oldSession).to.be.a('string');
      const el = await mountDialog({ mode: 'change', identifier: ROSA.email, session: oldSession });
      const dialog = await open(el);
      const title = document.getElementById(dialog.getAttribute('aria-labelledby') ?? '');
      expect(textOf(title)).to.equal('Change your password');
      const form = el.querySelector('form')!;
      const current = byLabel(el, 'Current password');
      expect(current.autocomplete).to.equal('current-password');
      expect(current.type).to.equal('password');
      expectSame(current.form, form, 'the current password in the form');
      await expectFocus(current, 'the current password');
      const username = el.querySelector<HTMLInputElement>('input[autocomplete="username"]')!;
      expect(username.value).to.equal(ROSA.email);
      expectSame(username.form, form, 'the username in the form');
      expect(form.querySelectorAll('input[autocomplete="new-password"]')).to.have.length(2);
      expect(button(el, 'Cancel').type).to.equal('button');
      await waitForRules(el);
      await expect(el).to.be.accessible();

      fill(current, GOOD_PASSWORD);
      await newPassword(el, OTHER_GOOD_PASSWORD);
      const complete = oneEvent(el, 'reset-complete');
      button(el, 'Update Password').click();
      const event = await complete;
      expect(event.detail.session).to.be.a('string');
      const [change] = requestsTo('/api/password/change');
      expect(change.authorization).to.equal(`Bearer ${oldSession}`);
      expect(change.body).to.deep.equal({ currentPassword: GOOD_PASSWORD, password: OTHER_GOOD_PASSWORD });
      const fresh = await session(event.detail.session!);
      expect(fresh.status).to.equal(200);
      expect(fresh.json.sub).to.equal(client.id);
      expect((await session(oldSession)).status, 'the old session is revoked').to.equal(401);
      await waitForText(el, DONE);
      await expect(el).to.be.accessible();
    });

    it('a wrong current password is said beside that field, with no mention of a username', async () => {
      await seedClient(ROSA);
      const sessionToken = (await login(ROSA.email, GOOD_PASSWORD)).json.session;
      const el = await mountDialog({ mode: 'change', identifier: ROSA.email, session: sessionToken });
      await open(el);
      fill(byLabel(el, 'Current password'), 'not-my-password-at-all');
      await newPassword(el, OTHER_GOOD_PASSWORD);
      const failed = oneEvent(el, 'reset-error');
      button(el, 'Update Password').click();
      expect((await failed).detail.code).to.equal('invalid_credentials');
      await waitForText(el, 'This is not your current password.');
      const current = byLabel(el, 'Current password');
      await expectFocus(current, 'the current password');
      expect(current.getAttribute('aria-invalid')).to.equal('true');
      expect(descriptionOf(current).text).to.equal('This is not your current password.');
      expect(el.textContent).to.not.include('Invalid username or password');
      expect(alertOf(el).hidden, 'no second copy in the alert').to.equal(true);
      expect((await login(ROSA.email, GOOD_PASSWORD)).json.status, 'nothing changed').to.equal('ok');
    });

    it('Escape closes it, and focus returns to what opened it', async () => {
      await seedClient(ROSA);
      const sessionToken = (await login(ROSA.email, GOOD_PASSWORD)).json.session;
      const page = await fixture<HTMLDivElement>(html`
        <div>
          <button type="button">Change password</button>
          <force-reset-dialog
            api-base=${API_BASE}
            tenant=${TENANT}
            mode="change"
            .session=${sessionToken ?? ''}
          ></force-reset-dialog>
        </div>
      `);
      const el = page.querySelector('force-reset-dialog')!;
      const opener = page.querySelector('button')!;
      opener.focus();
      const dialog = await open(el);
      await press('Escape');
      await waitUntil(() => !dialog.open, 'Escape closes it');
      await el.updateComplete;
      expect(el.open).to.equal(false);
      await expectFocus(opener, 'the button that opened it');
    });

    it('Cancel closes it', async () => {
      await seedClient(ROSA);
      const sessionToken = (await login(ROSA.email, GOOD_PASSWORD)).json.session;
      const el = await mountDialog({ mode: 'change', identifier: ROSA.email, session: sessionToken });
      const dialog = await open(el);
      button(el, 'Cancel').click();
      await waitUntil(() => !dialog.open, 'Cancel closes it');
      expect(el.open).to.equal(false);
      expect(requestsTo('/api/password/change')).to.have.length(0);
    });
  });

  describe('French', () => {
    it('lang="fr" on the element: French title, fields and the expired-password message; axe passes', async () => {
      const { temporary } = await memberWithTemporaryPassword();
      await advanceClock(8 * DAY);
      const el = await mountDialog({ identifier: ROSA.email, lang: 'fr' });
      await open(el);
      await waitUntil(() => textOf(el).includes('Choisissez un nouveau mot de passe'), 'the French pack');
      expect(textOf(el)).to.include('L’accueil vous a remis un mot de passe temporaire.');
      expect(byLabel(el, 'E-mail ou nom d’utilisateur').autocomplete).to.equal('username');
      fill(byLabel(el, 'Mot de passe temporaire'), temporary);
      await expect(el).to.be.accessible();
      button(el, 'Continuer').click();
      await waitForText(el, 'Ce mot de passe temporaire a expiré. Demandez-en un nouveau à l’accueil.');
    });

    it('<html lang="fr">: step 2 and mode="change" in French', async () => {
      const { temporary } = await memberWithTemporaryPassword();
      const challenge = (await login(ROSA.email, temporary)).json.challenge;
      document.documentElement.lang = 'fr';
      const el = await mountDialog({ identifier: ROSA.email, challenge });
      await open(el);
      await waitUntil(() => textOf(el).includes('Choisissez maintenant un mot de passe'), 'the French pack');
      await waitForRules(el);
      expect(byLabel(el, 'Nouveau mot de passe').autocomplete).to.equal('new-password');
      expect(textOf(el.querySelector('.rules'))).to.include('Votre mot de passe doit :');
      expect(button(el, 'Mettre à jour le mot de passe').type).to.equal('submit');

      const change = await mountDialog({ mode: 'change', identifier: ROSA.email });
      expect(textOf(change.querySelector('h2'))).to.equal('Changer votre mot de passe');
    });
  });
});
