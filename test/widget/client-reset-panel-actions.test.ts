/**
 * `<client-reset-panel client-id>` against the real API, part 2: reset link and welcome email with
 * the day's budget, the login toggles, change email, recent activity, what a shared or email-less
 * client cannot get (disabled, with the reason), tokens from `getToken()`, errors, French, theming.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { pack as fr } from '../../widget/locales/fr.js';
import {
  advanceClock,
  API_BASE,
  GOOD_PASSWORD,
  OTHER_TENANT,
  outbox,
  resetServer,
  seedClient,
  staffToken,
  TENANT,
  type SeededClient,
} from './helpers.js';
import {
  $,
  $$,
  badges,
  button,
  captureEvents,
  clientPanel,
  control,
  description,
  dialogOf,
  loadedDialog,
  fill,
  focused,
  listPanel,
  login,
  maybeButton,
  openLock,
  RequestLog,
  shadow,
  shownDate,
  staffCall,
  txt,
  until,
  who,
  type ClientResetPanel,
} from './panel-helpers.js';

const HOUR = 60 * 60 * 1000;

let log: RequestLog;
let captured: ReturnType<typeof captureEvents>;

beforeEach(async () => {
  await resetServer();
  log = new RequestLog().install();
  captured = captureEvents();
});

afterEach(() => {
  log.restore();
  captured.stop();
});

const statusText = (el: ClientResetPanel) => txt($(el, '.status'));
const alertText = (el: ClientResetPanel) => txt($(el, '[role=alert]'));
/** The text next to an action button: its budget or the reason it is disabled. */
const besideButton = (el: ClientResetPanel, label: string) =>
  txt(button(shadow(el), label).nextElementSibling);

async function clickAndSettle(el: ClientResetPanel, target: HTMLElement): Promise<void> {
  target.click();
  await el.updateComplete;
  await log.idle(el);
}

describe('<client-reset-panel> reset link and welcome email', () => {
  let client: SeededClient;
  beforeEach(async () => {
    client = await seedClient({ name: 'Ana Alvarez', email: 'ana@example.com', password: GOOD_PASSWORD });
  });

  it('Send reset link: "Sent to …", reset-sent with resendsLeft 4, "4 of 5 left today", the mail', async () => {
    const el = await clientPanel(client.id);
    expect(besideButton(el, 'Send reset link')).to.equal('5 of 5 left today');
    await clickAndSettle(el, button(shadow(el), 'Send reset link'));
    await until(() => statusText(el) === 'Sent to ana@example.com.', 'no "Sent to" status');
    const [request] = log.find('POST', `/api/admin/clients/${client.id}/reset-link`);
    expect(request.status).to.equal(202);
    expect(captured.of('reset-sent')).to.deep.equal([{ kind: 'reset-link', resendsLeft: 4 }]);
    const event = captured.events.find((e) => e.type === 'reset-sent')!;
    expect(event.bubbles && event.composed).to.equal(true);
    expect(besideButton(el, 'Send reset link')).to.equal('4 of 5 left today');
    expect($(el, '.status')!.getAttribute('role')).to.equal('status');
    expect(focused(el)).to.equal(who($(el, '.status')));
    const [mail] = await outbox({ to: 'ana@example.com' });
    expect(mail.kind).to.equal('reset');
  });

  it('a client who already has a password is not offered a welcome email; an invited one is', async () => {
    const el = await clientPanel(client.id);
    expect(badges($(el, 'h2 + div'))).to.deep.equal(['Active']);
    expect(maybeButton(shadow(el), 'Resend welcome email')).to.equal(null);
    const invited = await seedClient({ name: 'Ivy Invited', email: 'ivy@example.com' });
    const other = await clientPanel(invited.id);
    expect(badges($(other, 'h2 + div'))).to.deep.equal(['Invited']);
    expect(besideButton(other, 'Resend welcome email')).to.equal('5 of 5 left today');
  });

  it('after five sends both mail buttons are disabled with the "possible again at" reason', async () => {
    const invited = await seedClient({ name: 'Ivy Invited', email: 'ivy@example.com' });
    const el = await clientPanel(invited.id);
    for (let sent = 1; sent <= 5; sent++) {
      const label = sent % 2 ? 'Send reset link' : 'Resend welcome email';
      await until(() => !button(shadow(el), label).disabled, `${label} stayed disabled`);
      await clickAndSettle(el, button(shadow(el), label));
      expect(captured.of('reset-sent').at(-1)!.resendsLeft).to.equal(5 - sent);
    }
    for (const label of ['Send reset link', 'Resend welcome email']) {
      const action = button(shadow(el), label);
      expect(action.disabled, `${label} disabled`).to.equal(true);
      expect(description(el, action)).to.match(/possible again at/i);
      expect(besideButton(el, label)).to.match(/possible again at/i);
    }
    expect(log.find('POST', `/api/admin/clients/${invited.id}/`).map((r) => r.status)).to.deep.equal([
      202, 202, 202, 202, 202,
    ]);
    expect(await outbox({ to: 'ivy@example.com' })).to.have.length(5);
  });

  it('at 0 left, the time it is possible again is shown in the page’s language and time zone', async () => {
    const start = await advanceClock(0);
    for (let i = 0; i < 5; i++) {
      const response = await staffCall(`/clients/${client.id}/reset-link`, 'POST');
      expect(response.status).to.equal(202);
    }
    const el = await clientPanel(client.id);
    const reason = besideButton(el, 'Send reset link');
    expect(reason).to.include(`Possible again at ${shownDate(start + 24 * HOUR)}`);
    expect(reason).to.not.match(/\d{4}-\d\d-\d\dT/);
  });

  it('Resend welcome email to an invited client: the invite mail, reset-sent of kind invite', async () => {
    const invited = await seedClient({ name: 'Ben Okafor', email: 'ben@example.com' });
    const el = await clientPanel(invited.id);
    expect(badges($(el, 'h2 + div'))).to.deep.equal(['Invited']);
    await clickAndSettle(el, button(shadow(el), 'Resend welcome email'));
    await until(() => statusText(el) === 'Sent to ben@example.com.', 'no "Sent to" status');
    expect(log.find('POST', `/api/admin/clients/${invited.id}/invite`)[0].status).to.equal(202);
    expect(captured.of('reset-sent')).to.deep.equal([{ kind: 'invite', resendsLeft: 4 }]);
    const [mail] = await outbox({ to: 'ben@example.com' });
    expect(mail.kind).to.equal('invite');
    expect(besideButton(el, 'Resend welcome email')).to.equal('4 of 5 left today');
  });

  it('a mail that fails is reported with its human message (and reset-error)', async () => {
    await resetServer({ env: { MAIL: 'smtp', SMTP_URL: 'smtp://127.0.0.1:9' } });
    const failing = await seedClient({ name: 'Ana Alvarez', email: 'ana@example.com' });
    const el = await clientPanel(failing.id);
    await clickAndSettle(el, button(shadow(el), 'Send reset link'));
    await until(() => captured.of('reset-error').length > 0, 'no reset-error');
    expect(log.find('POST', `/api/admin/clients/${failing.id}/reset-link`)[0].status).to.equal(502);
    expect(captured.of('reset-error')[0].code).to.equal('mail_failed');
    await log.idle(el);
    expect(alertText(el)).to.equal('The email could not be sent. Nothing was changed; please try again.');
    expect($(el, '[role=alert]')!.hidden).to.equal(false);
    // Given back: nothing was spent.
    expect(besideButton(el, 'Send reset link')).to.equal('5 of 5 left today');
  });
});

describe('<client-reset-panel> login settings and email', () => {
  let client: SeededClient;
  beforeEach(async () => {
    client = await seedClient({ name: 'Ana Alvarez', email: 'ana@example.com', password: GOOD_PASSWORD });
  });

  it('Enable login off: PATCH, badge "Login disabled", reset-client-updated; login refused; on again', async () => {
    const el = await clientPanel(client.id);
    const toggle = control(el, 'Enable login');
    expect(toggle.checked).to.equal(true);
    await clickAndSettle(el, toggle);
    const [patch] = log.find('PATCH', `/api/admin/clients/${client.id}`);
    expect(patch.body).to.deep.equal({ loginEnabled: false });
    expect(patch.status).to.equal(200);
    await until(() => badges($(el, 'h2 + div')).includes('Login disabled'), 'no Login disabled badge');
    expect(statusText(el)).to.equal('Saved.');
    expect(captured.of('reset-client-updated')).to.deep.equal([{ clientId: client.id }]);
    expect(control(el, 'Enable login').checked).to.equal(false);
    const refused = await login('ana@example.com', GOOD_PASSWORD);
    expect(refused.status).to.equal(403);
    expect((refused.body.error as { code: string }).code).to.equal('account_disabled');

    await clickAndSettle(el, control(el, 'Enable login'));
    expect(log.find('PATCH', `/api/admin/clients/${client.id}`)[1].body).to.deep.equal({
      loginEnabled: true,
    });
    await until(() => !badges($(el, 'h2 + div')).includes('Login disabled'));
    expect((await login('ana@example.com', GOOD_PASSWORD)).body.status).to.equal('ok');
  });

  it('toggling Enable login with the keyboard (Space) keeps focus on the toggle', async () => {
    const el = await clientPanel(client.id);
    const toggle = control(el, 'Enable login');
    toggle.focus();
    await sendKeys({ press: 'Space' });
    await log.idle(el);
    await until(() => badges($(el, 'h2 + div')).includes('Login disabled'), 'no Login disabled badge');
    expect(log.find('PATCH', `/api/admin/clients/${client.id}`)[0].body).to.deep.equal({
      loginEnabled: false,
    });
    expect(focused(el)).to.equal(who(control(el, 'Enable login')));
  });

  it('Email confirmed off: PATCH, badge "Email not confirmed", login asks for confirmation', async () => {
    const el = await clientPanel(client.id);
    const toggle = control(el, 'Email confirmed');
    expect(toggle.checked).to.equal(true);
    await clickAndSettle(el, toggle);
    expect(log.find('PATCH', `/api/admin/clients/${client.id}`)[0].body).to.deep.equal({
      emailConfirmed: false,
    });
    await until(() => badges($(el, 'h2 + div')).includes('Email not confirmed'));
    expect(captured.of('reset-client-updated')).to.deep.equal([{ clientId: client.id }]);
    const refused = await login('ana@example.com', GOOD_PASSWORD);
    expect(refused.status).to.equal(403);
    expect((refused.body.error as { code: string }).code).to.equal('email_not_confirmed');
  });

  it('Change email to an address in use: "This email address is already in use."; to a new one: saved', async () => {
    await seedClient({ name: 'Other', email: 'taken@example.com' });
    const el = await clientPanel(client.id);
    await clickAndSettle(el, button(shadow(el), 'Change email'));
    const input = control(el, 'New email');
    expect(input.value).to.equal('ana@example.com');
    expect(focused(el)).to.equal(who(input));

    fill(input, 'taken@example.com');
    await clickAndSettle(el, button(shadow(el), 'Save'));
    // Said beside the address, which keeps focus to be corrected (the form's alert stays empty).
    const error = () => txt($(el, '#r-email-error'));
    await until(() => error() === 'This email address is already in use.', 'no email_in_use message');
    expect(alertText(el)).to.equal('');
    expect(control(el, 'New email').getAttribute('aria-invalid')).to.equal('true');
    expect(description(el, control(el, 'New email'))).to.equal('This email address is already in use.');
    expect(log.find('PATCH', `/api/admin/clients/${client.id}`)[0]).to.deep.include({
      body: { email: 'taken@example.com' },
      status: 409,
    });
    expect(captured.of('reset-error')).to.deep.equal([
      { code: 'email_in_use', message: 'This email address is already in use.' },
    ]);
    expect(focused(el)).to.equal(who(control(el, 'New email')));
    expect(control(el, 'New email').value).to.equal('taken@example.com');

    fill(control(el, 'New email'), 'ana.new@example.com');
    await clickAndSettle(el, button(shadow(el), 'Save'));
    await until(() => txt($(el, 'dd')) === 'ana.new@example.com', 'the new email is not shown');
    expect(log.find('PATCH', `/api/admin/clients/${client.id}`)[1].status).to.equal(200);
    expect(statusText(el)).to.equal('Saved.');
    expect(alertText(el)).to.equal('');
    expect(badges($(el, 'h2 + div'))).to.include('Email not confirmed');
    expect(captured.of('reset-client-updated')).to.deep.equal([{ clientId: client.id }]);
    expect(focused(el)).to.equal(who($(el, '.status')));
    // The old address is told about the change.
    expect((await outbox({ to: 'ana@example.com' })).map((m) => m.kind)).to.include('email-changed');
  });

  it('a refused login change leaves the box as the server has it, and the next view has no stale error', async () => {
    const el = await clientPanel(client.id);
    const box = control(el, 'Enable login');
    expect(box.checked).to.equal(true);
    // The server is unavailable for this one request.
    const before = window.fetch;
    window.fetch = async (input, init) =>
      init?.method === 'PATCH'
        ? new Response(JSON.stringify({ error: { code: 'storage_unavailable', message: 'Try again.' } }), {
            status: 503,
            headers: { 'Content-Type': 'application/json' },
          })
        : before(input, init);
    try {
      box.click();
      await until(() => alertText(el) !== '', 'no error shown');
      await el.updateComplete;
      expect(control(el, 'Enable login').checked, 'still what the server has').to.equal(true);
    } finally {
      window.fetch = before;
    }
    // Changing the email and cancelling does not bring the old error back.
    await clickAndSettle(el, button(shadow(el), 'Change email'));
    expect(alertText(el)).to.equal('');
  });

  it('Cancel on Change email returns focus to the Change email button', async () => {
    const el = await clientPanel(client.id);
    await clickAndSettle(el, button(shadow(el), 'Change email'));
    button(shadow(el), 'Cancel').click();
    await el.updateComplete;
    await el.updateComplete;
    expect(focused(el)).to.equal(who(button(shadow(el), 'Change email')));
  });

  it('recent activity lists the actions just done, newest first, with who did them', async () => {
    const el = await clientPanel(client.id);
    expect(txt($(el, 'section'))).to.include('No activity yet.');
    await clickAndSettle(el, button(shadow(el), 'Send reset link'));
    await clickAndSettle(el, control(el, 'Enable login'));
    const dialog = await openLock(el);
    button(dialog, 'Continue').click();
    await until(() => maybeButton(dialog, 'Reset and Send'));
    await clickAndSettle(el, button(dialog, 'Reset and Send'));
    button(dialog, 'Close').click();
    await until(() => !dialog.open);
    await log.idle(el);
    await until(() => $$(el, '[part~=activity] li').length === 3, 'activity did not list three actions');
    const items = $$(el, '[part~=activity] li').map(txt);
    // The server describes each event in the element's language.
    expect(items[0]).to.match(/ — Password set by staff · staff:desk-1$/);
    expect(items[1]).to.match(/ — Login disabled · staff:desk-1$/);
    expect(items[2]).to.match(/ — Reset link sent · staff:desk-1$/);
    expect(items[2].startsWith(shownDate(await advanceClock(0)))).to.equal(true);
  });
});

describe('<client-reset-panel> what staff cannot do, and why', () => {
  it('a client in two companies: no custom, shown or temporary password (with the reason); random + email works', async () => {
    const shared = await seedClient({
      name: 'Dev Shah',
      email: 'dev@example.com',
      tenants: [TENANT, OTHER_TENANT],
      password: GOOD_PASSWORD,
    });
    const el = await clientPanel(shared.id);
    expect(badges($(el, 'h2 + div'))).to.deep.equal(['Active', 'In 2 companies']);
    const change = button(shadow(el), 'Change email');
    expect(change.disabled).to.equal(true);
    expect(description(el, change)).to.include('belongs to more than one company');

    const dialog = await openLock(el);
    const option = (label: string) => control(el, label, dialog);
    expect(option('Custom password').disabled).to.equal(true);
    expect(option('Show once').disabled).to.equal(true);
    const temporary = option('Temporary (must change at next login)');
    expect(temporary.disabled).to.equal(true);
    const reason = 'This client belongs to more than one company, so staff cannot know its password.';
    expect(description(el, temporary)).to.equal(reason);
    expect([...dialog.querySelectorAll('.reason')].map(txt)).to.include(reason);
    expect(option('Random password').checked).to.equal(true);
    expect(option('Email to client').checked).to.equal(true);
    await expect(el).to.be.accessible();

    button(dialog, 'Continue').click();
    await until(() => maybeButton(dialog, 'Reset and Send'));
    await clickAndSettle(el, button(dialog, 'Reset and Send'));
    await until(() => maybeButton(dialog, 'Close'), 'no result');
    expect(log.find('POST', `/api/admin/clients/${shared.id}/password`)[0]).to.deep.include({
      body: { mode: 'random', delivery: 'email', temporary: false },
      status: 200,
    });
    expect(txt(dialog.querySelector('.status'))).to.equal(
      'The new login details were sent to dev@example.com.',
    );
    expect((await outbox({ to: 'dev@example.com' }))[0].kind).to.equal('credentials');
  });

  it('a client in two companies: the disabled Custom password radio is described by its reason', async () => {
    const shared = await seedClient({
      name: 'Dev Shah',
      email: 'dev@example.com',
      tenants: [TENANT, OTHER_TENANT],
    });
    const el = await clientPanel(shared.id);
    const dialog = await openLock(el);
    const custom = control(el, 'Custom password', dialog);
    const showOnce = control(el, 'Show once', dialog);
    const reason = 'This client belongs to more than one company, so staff cannot know its password.';
    expect(description(el, custom)).to.equal(reason);
    expect(description(el, showOnce)).to.equal(reason);
  });

  it('a client in two companies without email: the lock action is disabled and says why', async () => {
    const shared = await seedClient({ name: 'Dev Shah', email: null, tenants: [TENANT, OTHER_TENANT] });
    const el = await clientPanel(shared.id);
    const summary = await (await staffCall(`/clients/${shared.id}`)).json();
    expect(summary.capabilities).to.include({ randomPassword: false, customPassword: false });
    // No password can be set at all: rather than a dialog of disabled options, the action says why.
    const lock = shadow(el).querySelector<HTMLButtonElement>('[part~=lock]')!;
    expect(lock.disabled).to.equal(true);
    const why = shadow(el).getElementById(lock.getAttribute('aria-describedby') ?? '');
    expect(txt(why)).to.equal(summary.reasons.randomPassword);
  });

  it('showLock() for a client no password can be set for opens nothing: the disabled lock says why', async () => {
    const shared = await seedClient({ name: 'Dev Shah', email: null, tenants: [TENANT, OTHER_TENANT] });
    const el = await clientPanel(shared.id);
    el.showLock();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await el.updateComplete;
    expect($<HTMLDialogElement>(el, 'dialog')?.open ?? false).to.equal(false);
  });

  it('a client in two companies: the login settings are disabled with the reason, not refused after a click', async () => {
    const shared = await seedClient({
      name: 'Dev Shah',
      email: 'dev@example.com',
      tenants: [TENANT, OTHER_TENANT],
      password: GOOD_PASSWORD,
    });
    const el = await clientPanel(shared.id);
    const summary = await (await staffCall(`/clients/${shared.id}`)).json();
    expect(summary.capabilities.changeLoginSettings).to.equal(false);
    for (const label of ['Enable login', 'Email confirmed']) {
      const box = control(el, label);
      expect(box.disabled, label).to.equal(true);
      expect(description(el, box), label).to.equal(summary.reasons.changeLoginSettings);
    }
    await expect(el).to.be.accessible();
  });

  it('a client without email: reset link and welcome email disabled with "No email address on file"', async () => {
    const noEmail = await seedClient({
      name: 'Eli Moreau',
      email: null,
      username: 'eli.m',
    });
    const el = await clientPanel(noEmail.id);
    expect($$(el, 'dd').map(txt)).to.deep.equal(['No email on file', 'eli.m']);
    for (const label of ['Send reset link', 'Resend welcome email']) {
      const action = button(shadow(el), label);
      expect(action.disabled, label).to.equal(true);
      expect(description(el, action)).to.equal('No email address on file.');
    }
    expect(control(el, 'Email confirmed').disabled).to.equal(true);
    await expect(el).to.be.accessible();

    // The dialog: nothing to email to, so the password is shown once.
    const dialog = await openLock(el);
    expect(control(el, 'Email to client', dialog).disabled).to.equal(true);
    expect(control(el, 'Show once', dialog).checked).to.equal(true);
  });
});

describe('<client-reset-panel> tokens', () => {
  it('without a token, asks getToken() and works', async () => {
    const client = await seedClient({
      name: 'Ana Alvarez',
      email: 'ana@example.com',
      password: GOOD_PASSWORD,
    });
    let calls = 0;
    const el = await clientPanel(client.id, {
      getToken: async () => {
        calls++;
        return staffToken();
      },
    });
    expect(txt($(el, 'h2'))).to.equal('Ana Alvarez');
    expect(calls).to.be.greaterThan(0);
    expect(log.requests.every((r) => r.auth?.startsWith('Bearer ey') && r.status === 200)).to.equal(true);
    await clickAndSettle(el, button(shadow(el), 'Send reset link'));
    await until(() => statusText(el) === 'Sent to ana@example.com.');
  });

  it('getToken set after the element is on the page (a framework effect): no unauthorised call, then the client', async () => {
    const client = await seedClient({
      name: 'Ravi Patel',
      email: 'ravi@example.com',
      password: GOOD_PASSWORD,
    });
    const el = await fixture<ClientResetPanel>(
      html`<client-reset-panel api-base=${API_BASE} client-id=${client.id}></client-reset-panel>`,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(log.requests.length).to.equal(0);
    el.getToken = () => staffToken();
    await waitUntil(() => txt($(el, 'h2')) === 'Ravi Patel', 'the client did not load', { timeout: 5000 });
    expect(log.requests.every((r) => r.status === 200)).to.equal(true);
  });

  it('with an expired token, calls getToken() after the 401 and succeeds', async () => {
    const client = await seedClient({
      name: 'Ana Alvarez',
      email: 'ana@example.com',
      password: GOOD_PASSWORD,
    });
    const expired = await staffToken();
    await advanceClock(2 * HOUR);
    let calls = 0;
    const el = await clientPanel(client.id, {
      token: expired,
      getToken: async () => {
        calls++;
        return staffToken();
      },
    });
    expect(txt($(el, 'h2'))).to.equal('Ana Alvarez');
    expect(calls).to.be.greaterThan(0);
    const summary = log
      .find('GET', `/api/admin/clients/${client.id}`)
      .filter((r) => !r.path.includes('/events'));
    expect(summary.map((r) => r.status)).to.deep.equal([401, 200]);
    expect(summary[0].auth).to.equal(`Bearer ${expired}`);
    expect(summary[1].auth).to.not.equal(`Bearer ${expired}`);
    expect(alertText(el)).to.equal('');
    // Actions go through the same retry.
    await clickAndSettle(el, button(shadow(el), 'Send reset link'));
    await until(() => statusText(el) === 'Sent to ana@example.com.');
  });

  it('once getToken() replaced an expired token, later requests use the fresh one', async () => {
    const client = await seedClient({
      name: 'Ana Alvarez',
      email: 'ana@example.com',
      password: GOOD_PASSWORD,
    });
    const expired = await staffToken();
    await advanceClock(2 * HOUR);
    const el = await clientPanel(client.id, { token: expired, getToken: () => staffToken() });
    log.clear();
    await clickAndSettle(el, button(shadow(el), 'Send reset link'));
    await until(() => statusText(el) === 'Sent to ana@example.com.');
    const sends = log.find('POST', `/api/admin/clients/${client.id}/reset-link`);
    expect(sends.map((r) => r.status)).to.deep.equal([202]);
  });

  it('a refused token without getToken(): the "session ended" message and reset-error unauthorized', async () => {
    const client = await seedClient({ name: 'Ana Alvarez' });
    const el = await fixture<ClientResetPanel>(
      html`<client-reset-panel
        api-base="/api"
        client-id=${client.id}
        token="not-a-token"
      ></client-reset-panel>`,
    );
    await until(() => alertText(el) !== '', 'no error shown');
    expect(alertText(el)).to.equal('Your session with the portal has ended. Please sign in again.');
    expect(captured.of('reset-error')[0].code).to.equal('unauthorized');
    expect(log.requests[0]).to.deep.include({ auth: 'Bearer not-a-token', status: 401 });
    await expect(el).to.be.accessible();
  });
});

describe('<client-reset-panel lang="fr">', () => {
  it('shows French labels once the pack has loaded (client)', async () => {
    const client = await seedClient({
      name: 'Ana Alvarez',
      email: 'ana@example.com',
      loginEnabled: false,
      password: GOOD_PASSWORD,
    });
    const el = await clientPanel(client.id, { lang: 'fr' });
    await until(() => txt($(el, 'section h3')) === 'Activité récente', 'French did not load');
    expect(badges($(el, 'h2 + div'))).to.deep.equal(['Actif', 'Connexion désactivée']);
    expect(maybeButton(shadow(el), 'Réinitialiser le mot de passe')).to.not.equal(null);
    expect(maybeButton(shadow(el), 'Envoyer un lien de réinitialisation')).to.not.equal(null);
    expect(maybeButton(shadow(el), 'Renvoyer l’e-mail de bienvenue')).to.equal(null);
    expect(besideButton(el, 'Envoyer un lien de réinitialisation')).to.equal('5 sur 5 restants aujourd’hui');
    expect(control(el, 'Autoriser la connexion').checked).to.equal(false);
    expect(control(el, 'E-mail confirmé').checked).to.equal(true);
    expect(txt($(el, 'section'))).to.include('Aucune activité pour l’instant.');

    button(shadow(el), 'Réinitialiser le mot de passe').click();
    const dialog = await loadedDialog(el);
    await until(() => dialog.open, 'the dialog did not open');
    await el.updateComplete;
    expect(txt(dialog.querySelector('h2'))).to.equal('Réinitialiser le mot de passe d’Ana Alvarez');
    expect(control(el, 'Mot de passe aléatoire', dialog).checked).to.equal(true);
    expect(control(el, 'Par e-mail au client', dialog).checked).to.equal(true);
    expect(maybeButton(dialog, 'Continuer')).to.not.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows French labels in the list', async () => {
    await seedClient({ name: 'Ana Alvarez', email: null });
    const el = await listPanel(1, { lang: 'fr' });
    await until(() => txt($(el, 'label')) === 'Rechercher un client', 'French did not load');
    expect($$(el, 'th').map(txt)).to.deep.equal(['Nom', 'E-mail', 'Nom d’utilisateur', 'Statut', 'Actions']);
    expect(txt($(el, 'tbody td:nth-child(2)'))).to.equal('Aucun e-mail enregistré');
    expect($(el, 'tbody [part~=lock]')!.getAttribute('aria-label')).to.equal(
      'Réinitialiser le mot de passe d’Ana Alvarez',
    );
    // "de" is elided before a vowel only.
    expect(fr.panel.lock('Ben Okafor')).to.equal('Réinitialiser le mot de passe de Ben Okafor');
    expect(fr.panel.lock('Élise Martin')).to.equal('Réinitialiser le mot de passe d’Élise Martin');
  });

  it('shows the reason a button is disabled in French too', async () => {
    const client = await seedClient({ name: 'Eli Moreau', email: null, password: GOOD_PASSWORD });
    const el = await clientPanel(client.id, { lang: 'fr' });
    await until(() => txt($(el, 'section h3')) === 'Activité récente', 'French did not load');
    const reason = description(el, button(shadow(el), 'Envoyer un lien de réinitialisation'));
    expect(reason).to.not.equal('');
    expect(reason).to.not.include('No email address');
    expect(reason).to.match(/e-mail/);
  });
});

describe('<client-reset-panel> theming', () => {
  it('takes --reset-* custom properties and exposes ::part(badge), ::part(lock), ::part(dialog)', async () => {
    const client = await seedClient({ name: 'Ana Alvarez', password: GOOD_PASSWORD });
    const style = document.createElement('style');
    style.textContent = `
      client-reset-panel { --reset-accent: rgb(10, 20, 30); --reset-accent-text: rgb(250, 250, 250); }
      client-reset-panel::part(badge) { outline: 2px solid rgb(1, 2, 3); }
      client-reset-panel::part(dialog) { border-top-color: rgb(4, 5, 6); }
    `;
    document.head.append(style);
    try {
      const el = await clientPanel(client.id);
      const lock = getComputedStyle(button(shadow(el), 'Reset password'));
      expect(lock.backgroundColor).to.equal('rgb(10, 20, 30)');
      expect(lock.color).to.equal('rgb(250, 250, 250)');
      expect(getComputedStyle($(el, '[part~=badge]')!).outlineColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle(dialogOf(el)).borderTopColor).to.equal('rgb(4, 5, 6)');
    } finally {
      style.remove();
    }
  });
});
