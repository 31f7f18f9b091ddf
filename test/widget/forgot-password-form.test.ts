/**
 * `<forgot-password-form>` in Chromium against the real API (memory store, one app per file):
 * every state — request, sent, code, checking a link, set (reset and invite), done, dead
 * (expired, used, replaced, invalid), renewed, verify, verified — rendered, driven (by the
 * keyboard where it matters), checked for the request it sends, the answer it shows, the events
 * it fires, and with axe.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { ifDefined } from 'lit/directives/if-defined.js';
import { defaultMessages, type ErrorCode } from '../../server/errors.js';
import { errorMessages } from '../../server/text.js';
import { ForgotPasswordForm } from '../../widget/forgot-password-form/forgot-password-form.js';
import { commonEn } from '../../widget/locales/en.js';
import { pack as fr } from '../../widget/locales/fr.js';
import {
  advanceClock,
  API_BASE,
  codeFromMail,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  OTHER_TENANT,
  outbox,
  resetServer,
  seedClient,
  staffToken,
  TENANT,
  tokenFromMail,
} from './helpers.js';
import {
  alertOf,
  api,
  button,
  byLabel,
  clearFragment,
  descriptionOf,
  expectFocus,
  expectSame,
  fill,
  login,
  maybeButton,
  maybeByLabel,
  press,
  ruleState,
  setFragmentToken,
  spyOnApi,
  textOf,
  type,
  typeInto,
  waitFor,
  expectPasswordManagerForm,
  waitForText,
} from './member-element-helpers.js';

const HOUR = 60 * 60 * 1000;
const SENT = 'If an account matches, we sent a link. Check your spam folder.';
const DONE = 'Your password is set. You can now log in.';
const COMMON_PASSWORD = 'qwerty123456';
const ROSA = { email: 'rosa@example.com', username: 'rosa.d', name: 'Rosa Diaz', password: GOOD_PASSWORD };

let spy: ReturnType<typeof spyOnApi>;
const htmlLang = document.documentElement.lang;

function mountForm(options: { tenant?: string; lang?: string; token?: string } = {}) {
  return fixture<ForgotPasswordForm>(html`
    <forgot-password-form
      api-base=${API_BASE}
      tenant=${options.tenant ?? TENANT}
      lang=${ifDefined(options.lang)}
      .token=${options.token ?? ''}
    ></forgot-password-form>
  `);
}

/** A reset link for a seeded member, through the real POST /api/forgot. */
async function mailedResetLink(email = ROSA.email): Promise<{ token: string; code: string }> {
  const answer = await api('POST', '/api/forgot', { body: { identifier: email } });
  expect(answer.status).to.equal(202);
  const [mail] = await outbox({ to: email });
  expect(mail?.kind).to.equal('reset');
  return { token: tokenFromMail(mail), code: codeFromMail(mail) };
}

/** Arrives on the page from a mailed link: the token in the fragment, then the element. */
async function openLink(token: string, options: { lang?: string } = {}): Promise<ForgotPasswordForm> {
  setFragmentToken(token);
  return mountForm(options);
}

function requestsTo(path: string) {
  return spy.requests.filter((request) => request.path === path);
}

function expectResetEvent(event: CustomEvent): void {
  expect(event.bubbles, 'bubbles').to.equal(true);
  expect(event.composed, 'composed').to.equal(true);
}

async function waitForRules(el: Element): Promise<void> {
  await waitFor(() => el.querySelector('[data-rule="min_length"]'), 'the password rules');
}

async function setPasswordIn(el: ForgotPasswordForm, password: string, confirm = password): Promise<void> {
  await waitForRules(el);
  fill(byLabel(el, 'New password'), password);
  fill(byLabel(el, 'Confirm new password'), confirm);
  await el.updateComplete;
}

describe('<forgot-password-form>', () => {
  beforeEach(async () => {
    await resetServer();
    clearFragment();
    spy = spyOnApi();
  });

  afterEach(() => {
    spy.restore();
    clearFragment();
    document.documentElement.lang = htmlLang;
  });

  describe('request', () => {
    it('renders a real form with a labelled username field and both actions; axe passes', async () => {
      const el = await mountForm();
      expect(el).to.be.instanceOf(ForgotPasswordForm);
      expect(el.shadowRoot, 'inputs live in the light DOM').to.equal(null);
      const form = el.querySelector('form');
      expect(form !== null, 'a real <form>').to.equal(true);
      expect(textOf(el.querySelector('h2'))).to.equal('Forgot your password?');
      expect(textOf(el)).to.include('Enter your email or username');
      const identifier = byLabel(el, 'Email or username');
      expectSame(identifier.form, form, 'the field sits in the form');
      expect(identifier.autocomplete).to.equal('username');
      expect(identifier.name).to.equal('username');
      expect(identifier.required).to.equal(true);
      expect(button(el, 'Send reset link').type).to.equal('submit');
      expect(button(el, 'Enter the code from the email').type).to.equal('button');
      expect(alertOf(el).hidden).to.equal(true);
      expect(spy.requests, 'nothing is asked before the member acts').to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('keyboard only: Tab, type, Enter → "sent", focus on it, and a reset-sent event', async () => {
      const client = await seedClient(ROSA);
      const el = await mountForm();
      (document.activeElement as HTMLElement | null)?.blur();
      await press('Tab');
      await expectFocus(byLabel(el, 'Email or username'), 'the identifier');
      await type(ROSA.email);
      const sent = oneEvent(el, 'reset-sent');
      await press('Enter');
      const event = await sent;
      expectResetEvent(event);
      expect(event.detail).to.deep.equal({ kind: 'forgot' });
      await waitForText(el, SENT);
      const status = el.querySelector('[role="status"]');
      expect(textOf(status)).to.equal(SENT);
      await expectFocus(status, 'focus moves to the answer');
      expect(requestsTo('/api/forgot')).to.deep.equal([
        {
          method: 'POST',
          path: '/api/forgot',
          body: { identifier: ROSA.email, tenant: TENANT },
          authorization: null,
          language: 'en',
        },
      ]);
      const [mail] = await outbox({ to: ROSA.email });
      expect(mail.kind).to.equal('reset');
      expect(mail.clientId).to.equal(client.id);
      await expect(el).to.be.accessible();
    });

    it('says the same for a known and an unknown identifier; only the known one gets mail', async () => {
      await seedClient(ROSA);
      const known = await mountForm();
      fill(byLabel(known, 'Email or username'), ROSA.email);
      const knownSent = oneEvent(known, 'reset-sent');
      button(known, 'Send reset link').click();
      await knownSent;
      await waitForText(known, SENT);

      const unknown = await mountForm();
      fill(byLabel(unknown, 'Email or username'), 'nobody@example.com');
      const unknownSent = oneEvent(unknown, 'reset-sent');
      button(unknown, 'Send reset link').click();
      expect((await unknownSent).detail).to.deep.equal({ kind: 'forgot' });
      await waitForText(unknown, SENT);

      expect(textOf(unknown)).to.equal(textOf(known));
      expect(await outbox({ to: ROSA.email })).to.have.length(1);
      expect(await outbox({ to: 'nobody@example.com' })).to.have.length(0);
    });

    it('stays inside its tenant: a member of another company gets the same answer and no mail', async () => {
      await seedClient(ROSA);
      const el = await mountForm({ tenant: OTHER_TENANT });
      fill(byLabel(el, 'Email or username'), ROSA.email);
      button(el, 'Send reset link').click();
      await waitForText(el, SENT);
      expect(requestsTo('/api/forgot')[0].body).to.deep.equal({
        identifier: ROSA.email,
        tenant: OTHER_TENANT,
      });
      expect(await outbox({ to: ROSA.email })).to.have.length(0);
    });

    it('after "sent", "Enter the code from the email" opens the code form with focus on its heading', async () => {
      const el = await mountForm();
      fill(byLabel(el, 'Email or username'), ROSA.email);
      button(el, 'Send reset link').click();
      await waitForText(el, SENT);
      button(el, 'Enter the code from the email').click();
      await waitForText(el, 'Code from the email');
      const heading = el.querySelector('h2');
      expect(textOf(heading)).to.equal('Enter the code from the email');
      await expectFocus(heading, 'focus on the code form heading');
      expect(byLabel(el, 'Email or username').value, 'the identifier is kept').to.equal(ROSA.email);
    });
  });

  describe('code from the mail', () => {
    it('renders username, one-time code, two new-password fields and the rules; axe passes', async () => {
      const el = await mountForm();
      button(el, 'Enter the code from the email').click();
      await waitForRules(el);
      const form = el.querySelector('form')!;
      const identifier = byLabel(el, 'Email or username');
      const code = byLabel(el, 'Code from the email');
      const password = byLabel(el, 'New password');
      const confirm = byLabel(el, 'Confirm new password');
      for (const input of [identifier, code, password, confirm])
        expectSame(input.form, form, `${input.name}'s form`);
      expect(identifier.autocomplete).to.equal('username');
      expect(code.autocomplete).to.equal('one-time-code');
      expect(password.autocomplete).to.equal('new-password');
      expect(confirm.autocomplete).to.equal('new-password');
      expect(password.type).to.equal('password');
      expect(descriptionOf(password).text).to.include('Be at least 12 characters long');
      expect(descriptionOf(confirm).text).to.include('Be the same in both fields');
      expect(button(el, 'Set password').type).to.equal('submit');
      expect(button(el, 'Back').type).to.equal('button');
      await expect(el).to.be.accessible();
      button(el, 'Back').click();
      await waitForText(el, 'Forgot your password?');
      await expectFocus(el.querySelector('h2'), 'the request form heading');
    });

    it('identifier + code + new password → done, reset-complete, and the new password logs in', async () => {
      await seedClient(ROSA);
      const { code } = await mailedResetLink();
      const el = await mountForm();
      button(el, 'Enter the code from the email').click();
      await waitForRules(el);
      fill(byLabel(el, 'Email or username'), ROSA.email);
      fill(byLabel(el, 'Code from the email'), code);
      await setPasswordIn(el, OTHER_GOOD_PASSWORD);
      const complete = oneEvent(el, 'reset-complete');
      button(el, 'Set password').click();
      const event = await complete;
      expectResetEvent(event);
      expect(event.detail).to.deep.equal({ purpose: 'reset' });
      await waitForText(el, DONE);
      await expectFocus(el.querySelector('.status'), 'focus on the answer');
      expect(requestsTo('/api/reset').map((request) => request.body)).to.deep.equal([
        { identifier: ROSA.email, code, password: OTHER_GOOD_PASSWORD },
      ]);
      expect((await login(ROSA.email, OTHER_GOOD_PASSWORD)).json.status).to.equal('ok');
      await expect(el).to.be.accessible();
    });

    it('a wrong code is refused with its own message, in the focused alert, and a reset-error event', async () => {
      await seedClient(ROSA);
      await mailedResetLink();
      const el = await mountForm();
      button(el, 'Enter the code from the email').click();
      await waitForRules(el);
      fill(byLabel(el, 'Email or username'), ROSA.email);
      fill(byLabel(el, 'Code from the email'), 'ZZZZZZZZ');
      await setPasswordIn(el, OTHER_GOOD_PASSWORD);
      const failed = oneEvent(el, 'reset-error');
      button(el, 'Set password').click();
      const event = await failed;
      expectResetEvent(event);
      expect(event.detail.code).to.equal('code_invalid');
      const alert = alertOf(el);
      await waitUntil(() => !alert.hidden, 'the alert shows');
      expect(textOf(alert)).to.equal('This code is not valid. Check the latest email and try again.');
      expect(event.detail.message).to.equal(textOf(alert));
      await expectFocus(alert, 'focus on the alert');
      expect((await login(ROSA.email, OTHER_GOOD_PASSWORD)).status).to.equal(401);
      await expect(el).to.be.accessible();
    });
  });

  describe('reset link in the fragment', () => {
    it('strips the token from the address bar at once, checks the link, and asks for the new password', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      const search = location.search;
      const el = await openLink(token);
      // Read and gone before the first request even answers.
      expect(location.hash).to.equal('');
      expect(location.href).to.not.include(token);
      expect(location.search, 'the rest of the address is kept').to.equal(search);
      // While the link is checked: a polite status.
      expect(textOf(el.querySelector('[role="status"]'))).to.equal('Checking your link…');

      await waitForText(el, 'Choose a new password');
      const heading = el.querySelector('h2');
      await expectFocus(heading, 'focus on the heading');
      expect(requestsTo('/api/links/inspect').map((request) => request.body)).to.deep.equal([{ token }]);

      expectPasswordManagerForm(el, ROSA.username);
      await waitForRules(el);
      expect(textOf(el.querySelector('.rules'))).to.include('Your password must:');
      await expect(el).to.be.accessible();
    });

    it('live rules follow the typing (length, match), and the toggle shows and hides both fields', async () => {
      await seedClient(ROSA);
      const el = await openLink((await mailedResetLink()).token);
      await waitForRules(el);
      const password = byLabel(el, 'New password');
      const confirm = byLabel(el, 'Confirm new password');
      expect(ruleState(el, 'min_length')).to.equal('pending');
      expect(ruleState(el, 'match')).to.equal('pending');

      await typeInto(password, 'mosaic');
      await el.updateComplete;
      expect(ruleState(el, 'min_length')).to.equal('unmet');
      expect(textOf(el.querySelector('[data-rule="min_length"]'))).to.include('(not met yet)');
      expect(ruleState(el, 'match')).to.equal('unmet');

      await type('-tundra-lantern-38');
      await el.updateComplete;
      expect(ruleState(el, 'min_length')).to.equal('met');
      expect(textOf(el.querySelector('[data-rule="min_length"]'))).to.include('(met)');

      await typeInto(confirm, 'mosaic-tundra');
      await el.updateComplete;
      expect(ruleState(el, 'match')).to.equal('unmet');
      await type('-lantern-38');
      await el.updateComplete;
      expect(ruleState(el, 'match')).to.equal('met');
      expect(ruleState(el, 'not_common'), 'checked by the server when saving').to.equal('pending');

      const toggle = byLabel(el, 'Show passwords');
      expect(toggle.type).to.equal('checkbox');
      toggle.focus();
      await press('Space');
      await el.updateComplete;
      expect([password.type, confirm.type]).to.deep.equal(['text', 'text']);
      expect(password.value).to.equal(OTHER_GOOD_PASSWORD);
      await press('Space');
      await el.updateComplete;
      expect([password.type, confirm.type]).to.deep.equal(['password', 'password']);
    });

    it('an email login (never revealed by the link): no empty, unexplained "Email or username" box', async () => {
      await seedClient({ email: 'ines@example.com', name: 'Ines Costa', password: GOOD_PASSWORD });
      const { token } = await mailedResetLink('ines@example.com');
      const el = await openLink(token);
      await waitForText(el, 'Choose a new password');
      expect(el.querySelector('input[autocomplete="username"]')).to.equal(null);
      expect(maybeByLabel(el, 'Email or username')).to.equal(null);
      expect(textOf(el)).to.not.include('***');
      await expect(el).to.be.accessible();
      await setPasswordIn(el, OTHER_GOOD_PASSWORD);
      el.querySelector('form')!.requestSubmit();
      await waitForText(el, 'Your password is set. You can now log in.');
    });

    it('keyboard only: Tab from the heading, type twice, Enter → done, reset-complete, and login works', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      const el = await openLink(token);
      await waitForRules(el);
      await expectFocus(el.querySelector('h2'), 'focus on the heading');
      await press('Tab');
      await expectFocus(byLabel(el, 'New password'), 'the new password (the hidden username is skipped)');
      await type(OTHER_GOOD_PASSWORD);
      await press('Tab');
      await expectFocus(byLabel(el, 'Confirm new password'), 'the confirmation');
      await type(OTHER_GOOD_PASSWORD);
      const complete = oneEvent(el, 'reset-complete');
      await press('Enter');
      const event = await complete;
      expectResetEvent(event);
      expect(event.detail).to.deep.equal({ purpose: 'reset' });
      await waitForText(el, DONE);
      await expectFocus(el.querySelector('.status'), 'focus on the answer');
      expect(requestsTo('/api/reset').map((request) => request.body)).to.deep.equal([
        { token, password: OTHER_GOOD_PASSWORD },
      ]);
      expect((await login(ROSA.email, OTHER_GOOD_PASSWORD)).json.status).to.equal('ok');
      expect((await login(ROSA.email, GOOD_PASSWORD)).status, 'the old password is gone').to.equal(401);
      await expect(el).to.be.accessible();
    });

    it('a member who logs in by a .com or .org email may use "welcome", "compass", "organic", as the server does', async () => {
      for (const email of ['sam.lee@example.com', 'coach@riverclub.org']) {
        await seedClient({ email, name: 'Sam Lee', password: GOOD_PASSWORD });
        const { token } = await mailedResetLink(email);
        const el = await openLink(token);
        for (const password of ['welcome-to-the-club', 'compass-rose-garden', 'organic-tea-leaves']) {
          await setPasswordIn(el, password);
          expect(ruleState(el, 'no_personal_info'), `${password} for ${email}`).to.equal('met');
        }
        // The domain's own name is still the member's.
        await setPasswordIn(el, email.includes('example') ? 'example-harbor-quartz' : 'my-riverclub-secret');
        expect(ruleState(el, 'no_personal_info')).to.equal('unmet');
        await setPasswordIn(el, 'welcome-to-the-club');
        button(el, 'Set password').click();
        await waitForText(el, DONE);
        expect((await login(email, 'welcome-to-the-club')).json.status).to.equal('ok');
        el.remove();
      }
    });

    it('a common password: the server refuses (422), the rule is marked unmet and the error shown', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      const el = await openLink(token);
      await setPasswordIn(el, COMMON_PASSWORD);
      expect(ruleState(el, 'min_length')).to.equal('met');
      const failed = oneEvent(el, 'reset-error');
      button(el, 'Set password').click();
      expect((await failed).detail.code).to.equal('password_rejected');
      await el.updateComplete;
      expect(requestsTo('/api/reset')).to.have.length(1);
      expect(ruleState(el, 'not_common')).to.equal('unmet');
      const alert = alertOf(el);
      expect(alert.hidden).to.equal(false);
      expect(textOf(alert)).to.equal('Choose a password that meets every rule in the list.');
      expect(byLabel(el, 'New password').getAttribute('aria-invalid')).to.equal('true');
      await expectFocus(alert, 'focus on the alert');
      expect(textOf(el.querySelector('h2')), 'still on the form').to.equal('Choose a new password');
      const inspect = await api('POST', '/api/links/inspect', { body: { token } });
      expect(inspect.status, 'the link is not consumed').to.equal(200);
      await expect(el).to.be.accessible();
    });

    it('an error is tied to the password field: its aria-describedby names the alert', async () => {
      await seedClient(ROSA);
      const el = await openLink((await mailedResetLink()).token);
      await setPasswordIn(el, COMMON_PASSWORD);
      button(el, 'Set password').click();
      await waitForText(el, 'Choose a password that meets every rule in the list.');
      const alert = alertOf(el);
      const { ids, text } = descriptionOf(byLabel(el, 'New password'));
      expect(alert.id, 'the alert has an id').to.not.equal('');
      expect(ids, 'aria-describedby of the new password').to.include(alert.id);
      expect(text).to.include('Choose a password that meets every rule in the list.');
    });

    it('a too-short password is stopped before sending: rule unmet, field flagged and focused, error shown', async () => {
      await seedClient(ROSA);
      const el = await openLink((await mailedResetLink()).token);
      await setPasswordIn(el, 'short-pw1');
      button(el, 'Set password').click();
      await el.updateComplete;
      await el.updateComplete;
      expect(requestsTo('/api/reset'), 'no request').to.have.length(0);
      const password = byLabel(el, 'New password');
      expect(ruleState(el, 'min_length')).to.equal('unmet');
      await expectFocus(password, 'focus on the new password');
      expect(password.getAttribute('aria-invalid'), 'the focused field says it is invalid').to.equal('true');
      expect(alertOf(el).hidden, 'an error is shown').to.equal(false);
      expect(textOf(alertOf(el))).to.not.equal('');
    });
  });

  describe('moved in the page', () => {
    it('keeps its state when a framework moves it (disconnect, connect): the used link is not checked again', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      const el = await openLink(token);
      await setPasswordIn(el, OTHER_GOOD_PASSWORD);
      button(el, 'Set password').click();
      await waitForText(el, DONE);
      const inspections = requestsTo('/api/links/inspect').length;
      el.parentElement!.append(el);
      await el.updateComplete;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(textOf(el), 'still the confirmation, not a "used link" error').to.equal(DONE);
      expect(requestsTo('/api/links/inspect'), 'no second check of the link').to.have.length(inspections);
    });
  });

  describe('invite link', () => {
    it('greets the member by name as a new account, then sets the first password', async () => {
      const client = await seedClient({ email: 'noor@example.com', username: 'noor.h', name: 'Noor Haddad' });
      const invited = await api('POST', `/api/admin/clients/${client.id}/invite`, {
        token: await staffToken(),
      });
      expect(invited.status).to.equal(202);
      const [mail] = await outbox({ to: 'noor@example.com' });
      expect(mail.kind).to.equal('invite');
      const el = await openLink(tokenFromMail(mail));
      await waitForText(el, 'Welcome, Noor Haddad!');
      expect(location.hash).to.equal('');
      expect(textOf(el)).to.include('Your account is ready. Choose a password to start using it.');
      await expectFocus(el.querySelector('h2'), 'focus on the greeting');
      expect(el.querySelector<HTMLInputElement>('input[autocomplete="username"]')!.value).to.equal('noor.h');
      await setPasswordIn(el, OTHER_GOOD_PASSWORD);
      await expect(el).to.be.accessible();
      const complete = oneEvent(el, 'reset-complete');
      button(el, 'Set password').click();
      expect((await complete).detail).to.deep.equal({ purpose: 'invite' });
      await waitForText(el, DONE);
      expect((await login('noor@example.com', OTHER_GOOD_PASSWORD)).json.status).to.equal('ok');
    });
  });

  describe('dead links', () => {
    it('expired (25 h): says so, and one click mails a fresh link', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      await advanceClock(25 * HOUR);
      const el = await openLink(token);
      await waitForText(el, 'This link has expired.');
      expect(location.hash).to.equal('');
      const alert = alertOf(el);
      expect(alert.hidden).to.equal(false);
      expect(textOf(alert)).to.equal('This link has expired.');
      expect(maybeByLabel(el, 'New password'), 'no password fields on a dead link').to.equal(null);
      await expect(el).to.be.accessible();

      const sent = oneEvent(el, 'reset-sent');
      button(el, 'Send me a new link').click();
      const event = await sent;
      expectResetEvent(event);
      expect(event.detail).to.deep.equal({ kind: 'renew' });
      await waitForText(el, 'a new link is on its way');
      await expectFocus(el.querySelector('.status'), 'focus on the answer');
      expect(requestsTo('/api/links/renew').map((request) => request.body)).to.deep.equal([{ token }]);
      const mails = await outbox({ to: ROSA.email });
      expect(mails).to.have.length(2);
      const fresh = tokenFromMail(mails[0]);
      expect(fresh).to.not.equal(token);
      expect((await api('POST', '/api/links/inspect', { body: { token: fresh } })).status).to.equal(200);
      await expect(el).to.be.accessible();
    });

    it('moves focus to the explanation of a dead link', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      await advanceClock(25 * HOUR);
      const el = await openLink(token);
      await waitForText(el, 'This link has expired.');
      await expectFocus(alertOf(el), 'the alert, not lost to <body>');
    });

    it('used, on a page that says where members log in: "Log in" comes first, a new link second', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      const used = await api('POST', '/api/reset', { body: { token, password: OTHER_GOOD_PASSWORD } });
      expect(used.status).to.equal(200);
      setFragmentToken(token);
      const el = await fixture<ForgotPasswordForm>(
        html`<forgot-password-form api-base="/api" login-url="/login?tenant=t1"></forgot-password-form>`,
      );
      await waitForText(el, 'This link has already been used.');
      const actions = [...el.querySelectorAll('.panel a, .panel button')].map((node) => textOf(node));
      expect(actions).to.deep.equal(['Log in', 'Ask for a new link']);
      expect(el.querySelector('.panel a')!.getAttribute('href')).to.equal('/login?tenant=t1');
      await expect(el).to.be.accessible();
    });

    it('follows a dark page (color-scheme: light dark) when the user prefers dark; --reset-* still win', async () => {
      document.documentElement.style.colorScheme = 'light dark';
      try {
        const el = await mountForm();
        const send = button(el, 'Send reset link');
        const input = byLabel(el, 'Email or username');
        expect(getComputedStyle(send).backgroundColor).to.equal('rgb(29, 78, 216)');
        await emulateMedia({ colorScheme: 'dark' });
        expect(getComputedStyle(send).backgroundColor).to.equal('rgb(96, 165, 250)');
        expect(getComputedStyle(input).backgroundColor).to.equal('rgb(17, 24, 39)');
        el.style.setProperty('--reset-accent', 'rgb(200, 0, 100)');
        expect(getComputedStyle(send).backgroundColor).to.equal('rgb(200, 0, 100)');
      } finally {
        await emulateMedia({ colorScheme: 'light' });
        document.documentElement.style.colorScheme = '';
      }
    });

    it('a link that could not be checked (server unreachable) offers Retry, which checks it again', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      const before = window.fetch;
      window.fetch = async (input, init) => {
        if (String(input).includes('/links/inspect')) throw new TypeError('Failed to fetch');
        return before(input, init);
      };
      let el: ForgotPasswordForm;
      try {
        el = await openLink(token);
        await waitForText(el, 'The server could not be reached. Please try again in a moment.');
        expect(maybeButton(el, 'Ask for a new link'), 'the link is not to blame').to.equal(null);
      } finally {
        window.fetch = before;
      }
      button(el, 'Retry').click();
      await waitForText(el, 'Choose a new password');
      await waitForRules(el);
      await expect(el).to.be.accessible();
    });

    it('used: says it was used and offers to start over (no renewal)', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      const used = await api('POST', '/api/reset', { body: { token, password: OTHER_GOOD_PASSWORD } });
      expect(used.status).to.equal(200);
      const el = await openLink(token);
      await waitForText(el, 'This link has already been used.');
      expect(maybeButton(el, 'Send me a new link')).to.equal(null);
      await expect(el).to.be.accessible();
      button(el, 'Ask for a new link').click();
      await waitForText(el, 'Forgot your password?');
      await expectFocus(el.querySelector('h2'), 'focus on the request form');
      expect(alertOf(el).hidden).to.equal(true);
    });

    it('replaced: says a newer link was sent, and offers a fresh one', async () => {
      await seedClient(ROSA);
      const first = await mailedResetLink();
      await mailedResetLink();
      const el = await openLink(first.token);
      await waitForText(el, 'A newer link has been sent. Use the most recent email.');
      await expect(el).to.be.accessible();
      button(el, 'Send me a new link').click();
      await waitForText(el, 'a new link is on its way');
      expect(await outbox({ to: ROSA.email })).to.have.length(3);
    });

    it('invalid: explains it and offers to start over', async () => {
      const el = await openLink('not-a-real-token-at-all.x.y');
      await waitForText(el, 'This link is not valid.');
      expect(maybeButton(el, 'Send me a new link')).to.equal(null);
      expect(button(el, 'Ask for a new link').type).to.equal('button');
    });

    it('a link that dies while the form is open: the submit explains it and offers a fresh link', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      const el = await openLink(token);
      await setPasswordIn(el, OTHER_GOOD_PASSWORD);
      await advanceClock(25 * HOUR);
      const failed = oneEvent(el, 'reset-error');
      button(el, 'Set password').click();
      expect((await failed).detail.code).to.equal('link_expired');
      await waitFor(() => maybeButton(el, 'Send me a new link'), 'the renew button');
      expect(textOf(alertOf(el))).to.equal('This link has expired.');
    });
  });

  describe('verify-email link', () => {
    it('asks to confirm, then confirms: reset-email-verified, and login works', async () => {
      await seedClient({ ...ROSA, emailConfirmed: false });
      const refused = await login(ROSA.email, GOOD_PASSWORD);
      expect(refused.json.error?.code).to.equal('email_not_confirmed');
      const [mail] = await outbox({ to: ROSA.email });
      expect(mail.kind).to.equal('verify-email');
      const token = tokenFromMail(mail);

      const el = await openLink(token);
      await waitForText(el, 'Confirm your email address');
      expect(location.hash).to.equal('');
      expect(textOf(el)).to.include('Press the button to confirm this address for your account.');
      await expectFocus(el.querySelector('h2'), 'focus on the heading');
      await expect(el).to.be.accessible();

      const verified = oneEvent(el, 'reset-email-verified');
      await press('Tab');
      await expectFocus(button(el, 'Confirm my email address'), 'the confirm button');
      await press('Enter');
      const event = await verified;
      expectResetEvent(event);
      expect(event.detail).to.deep.equal({});
      await waitForText(el, 'Your email address is confirmed. You can now log in.');
      expect(requestsTo('/api/verify-email').map((request) => request.body)).to.deep.equal([{ token }]);
      expect((await login(ROSA.email, GOOD_PASSWORD)).json.status).to.equal('ok');
      await expect(el).to.be.accessible();
    });
  });

  describe('token property', () => {
    it('takes the token from the page instead of the fragment', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      const el = await mountForm({ token });
      await waitForText(el, 'Choose a new password');
      expect(requestsTo('/api/links/inspect').map((request) => request.body)).to.deep.equal([{ token }]);
    });
  });

  describe('French', () => {
    it('lang="fr" on the element: French labels, answers and link errors; axe passes', async () => {
      await seedClient(ROSA);
      const el = await mountForm({ lang: 'fr' });
      await waitUntil(() => textOf(el).includes('Mot de passe oublié ?'), 'the French pack');
      expect(byLabel(el, 'E-mail ou nom d’utilisateur').autocomplete).to.equal('username');
      expect(button(el, 'Envoyer le lien').type).to.equal('submit');
      expect(button(el, 'Saisir le code reçu par e-mail').type).to.equal('button');
      await expect(el).to.be.accessible();
      fill(byLabel(el, 'E-mail ou nom d’utilisateur'), ROSA.email);
      button(el, 'Envoyer le lien').click();
      await waitForText(el, 'Si un compte correspond, nous avons envoyé un lien.');
      // The server words its answers (errors included) in the language asked for.
      expect(requestsTo('/api/forgot').map((request) => request.language)).to.deep.equal(['fr']);
    });

    it('<html lang="fr">: a dead link explains itself in French', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      await advanceClock(25 * HOUR);
      document.documentElement.lang = 'fr';
      const el = await openLink(token);
      await waitUntil(() => textOf(el).includes('Ce lien a expiré.'), 'the French link error');
      expect(button(el, 'M’envoyer un nouveau lien').type).to.equal('button');
      await expect(el).to.be.accessible();
    });

    it('<html lang="fr">: the set-password form, its rules and the server refusal in French', async () => {
      await seedClient(ROSA);
      const { token } = await mailedResetLink();
      document.documentElement.lang = 'fr';
      const el = await openLink(token);
      await waitUntil(() => textOf(el).includes('Choisissez un nouveau mot de passe'), 'the French form');
      await waitForRules(el);
      expect(textOf(el.querySelector('.rules'))).to.include('Contenir au moins 12 caractères');
      fill(byLabel(el, 'Nouveau mot de passe'), COMMON_PASSWORD);
      fill(byLabel(el, 'Confirmer le nouveau mot de passe'), COMMON_PASSWORD);
      button(el, 'Enregistrer le mot de passe').click();
      await waitForText(el, 'Choisissez un mot de passe qui respecte chaque règle de la liste.');
      expect(ruleState(el, 'not_common')).to.equal('unmet');
    });
  });

  describe('messages', () => {
    it('every error code of the API has a message in English and in French (the server’s, or the page’s own)', () => {
      const codes = Object.keys(defaultMessages) as ErrorCode[];
      // The server words each code in the language the element asks for; the page adds its own
      // for the few it words differently and for errors that never reach the server.
      const missingEn = codes.filter((code) => !errorMessages.en[code] && !commonEn.errors[code]);
      const missingFr = codes.filter((code) => !errorMessages.fr[code] && !fr.common.errors[code]);
      expect(missingEn, 'English messages missing').to.deep.equal([]);
      expect(missingFr, 'French messages missing').to.deep.equal([]);
      expect(commonEn.errors.network_error, 'the page’s own: the server was not reached').to.be.a('string');
      expect(fr.common.errors.network_error).to.be.a('string');
    });
  });
});
