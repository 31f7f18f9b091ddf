/**
 * `<client-reset-panel>` against the real API, part 1: the client list, the client's status, and
 * the lock dialog (random / custom password, shown once / emailed / told in person, temporary),
 * by mouse and by keyboard alone, with axe at every step. Part 2 is client-reset-panel-actions.test.ts.
 */
import { expect } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  advanceClock,
  API_BASE,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  OTHER_TENANT,
  outbox,
  provisionTenant,
  resetServer,
  seedClient,
  setPassword,
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
  dialogOf,
  loadedDialog,
  fill,
  focused,
  listPanel,
  login,
  maybeButton,
  openLock,
  RequestLog,
  ruleStates,
  shadow,
  shownDate,
  txt,
  until,
  who,
  type ClientResetPanel,
} from './panel-helpers.js';

const DAY = 24 * 60 * 60 * 1000;

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

/** The radio or checkbox of the open dialog with this label. */
const option = (el: ClientResetPanel, label: string) => control(el, label, dialogOf(el));

/**
 * The confirm step's button: "Reset and Send" when the password goes by email, "Reset password"
 * when nothing is sent (shown once, or told in person).
 */
const confirmLabel = (el: ClientResetPanel) =>
  option(el, 'Email to client').checked ? 'Reset and Send' : 'Reset password';

/** Continue, then the confirm step's button; resolves once the answer is shown. */
async function continueAndReset(el: ClientResetPanel, result = true): Promise<void> {
  const dialog = dialogOf(el);
  const label = confirmLabel(el);
  button(dialog, 'Continue').click();
  await until(() => maybeButton(dialog, label), 'no confirm step');
  button(dialog, label).click();
  if (result) await until(() => dialog.querySelector('.status'), 'no result step');
  await log.idle(el);
}

describe('<client-reset-panel> client list', () => {
  let clients: Record<'ana' | 'ben' | 'cara' | 'dev' | 'eli', SeededClient>;

  beforeEach(async () => {
    const [ana, ben, cara, dev, eli] = await Promise.all([
      seedClient({
        name: 'Ana Alvarez',
        email: 'ana@example.com',
        username: 'ana.a',
        password: GOOD_PASSWORD,
      }),
      // Invited: no password yet.
      seedClient({ name: 'Ben Okafor', email: 'ben@example.com', emailConfirmed: false }),
      seedClient({
        name: 'Cara Lindqvist',
        email: 'cara@example.com',
        loginEnabled: false,
        password: GOOD_PASSWORD,
      }),
      seedClient({
        name: 'Dev Shah',
        email: 'dev@example.com',
        tenants: [TENANT, OTHER_TENANT],
        password: GOOD_PASSWORD,
      }),
      seedClient({ name: 'Eli Moreau', email: null, username: 'eli.m', password: GOOD_PASSWORD }),
      // Another company's client: never listed.
      seedClient({ name: 'Zoe Elsewhere', email: 'zoe@example.com', tenants: [OTHER_TENANT] }),
    ]);
    clients = { ana, ben, cara, dev, eli };
  });

  it('lists the tenant’s clients with name, email, username and status badges, and axe finds nothing', async () => {
    const el = await listPanel(5);
    const rows = $$(el, 'tbody tr').map((row) => {
      const cells = [...row.querySelectorAll('td')];
      return { name: txt(cells[0]), email: txt(cells[1]), username: txt(cells[2]), badges: badges(cells[3]) };
    });
    expect(rows).to.deep.equal([
      { name: 'Ana Alvarez', email: 'ana@example.com', username: 'ana.a', badges: ['Active'] },
      {
        name: 'Ben Okafor',
        email: 'ben@example.com',
        username: '',
        badges: ['Invited', 'Email not confirmed'],
      },
      {
        name: 'Cara Lindqvist',
        email: 'cara@example.com',
        username: '',
        badges: ['Active', 'Login disabled'],
      },
      { name: 'Dev Shah', email: 'dev@example.com', username: '', badges: ['Active', 'In 2 companies'] },
      { name: 'Eli Moreau', email: 'No email on file', username: 'eli.m', badges: ['Active'] },
    ]);
    // Every row has its lock action, named for the client.
    expect($$(el, 'tbody button[part~=lock]').map((b) => b.getAttribute('aria-label'))).to.deep.equal(
      ['Ana Alvarez', 'Ben Okafor', 'Cara Lindqvist', 'Dev Shah', 'Eli Moreau'].map(
        (name) => `Reset password for ${name}`,
      ),
    );
    const [request] = log.find('GET', '/api/admin/clients?');
    expect(request.auth).to.match(/^Bearer ey/);
    expect(request.status).to.equal(200);
    await expect(el).to.be.accessible();
  });

  it('narrows the list to what is typed in the search box (Enter), and says when nothing matches', async () => {
    const el = await listPanel(5);
    const search = control(el, 'Search clients');
    expect(search.type).to.equal('search');
    search.focus();
    await sendKeys({ type: 'ana' });
    await sendKeys({ press: 'Enter' });
    await until(() => $$(el, 'tbody tr').length === 1, 'search by name did not narrow the list');
    expect(txt($(el, 'tbody tr td'))).to.equal('Ana Alvarez');
    expect(log.find('GET', '/api/admin/clients?q=ana&')).to.have.length(1);

    // By username.
    search.select();
    await sendKeys({ type: 'eli.m' });
    await sendKeys({ press: 'Enter' });
    await until(() => txt($(el, 'tbody tr td')) === 'Eli Moreau' && $$(el, 'tbody tr').length === 1);

    search.select();
    await sendKeys({ type: 'nobody-like-this' });
    await sendKeys({ press: 'Enter' });
    await until(() => $$(el, 'tbody tr').length === 0, 'no-match search still shows rows');
    await log.idle(el);
    expect(txt($(el, '[role=status]'))).to.equal('No clients match.');
  });

  it('selecting a name fires reset-client-select, shows the client, and Back returns to the list', async () => {
    const el = await listPanel(5);
    button(shadow(el), 'Cara Lindqvist').click();
    await until(() => txt($(el, 'h2')) === 'Cara Lindqvist', 'the client was not shown');
    expect(captured.of('reset-client-select')).to.deep.equal([{ clientId: clients.cara.id }]);
    const event = captured.events.find((e) => e.type === 'reset-client-select')!;
    expect(event.bubbles && event.composed).to.equal(true);
    // Focus moves to what changed: the client's heading.
    await el.updateComplete;
    expect(focused(el)).to.equal(who($(el, 'h2')));
    await log.idle(el);
    expect(badges($(el, 'h2 + div'))).to.deep.equal(['Active', 'Login disabled']);
    expect(log.find('GET', `/api/admin/clients/${clients.cara.id}`).length).to.be.greaterThan(0);

    button(shadow(el), 'All clients').click();
    await until(() => $$(el, 'tbody tr').length === 5, 'back did not show the list');
    await el.updateComplete;
    expect(focused(el)).to.equal(who($(el, 'input[type=search]')));
  });

  it('the lock button of a row opens the reset dialog for that client', async () => {
    const el = await listPanel(5);
    button(shadow(el), 'Reset password for Ben Okafor').click();
    await until(() => dialogOf(el)?.open, 'the dialog did not open');
    await log.idle(el);
    expect(txt($(el, 'dialog h2'))).to.equal('Reset password for Ben Okafor');
    expect(captured.of('reset-client-select')).to.deep.equal([{ clientId: clients.ben.id }]);
    expect(option(el, 'Random password').checked).to.equal(true);
    expect(option(el, 'Email to client').checked).to.equal(true);
    expect(dialogOf(el).contains(shadow(el).activeElement)).to.equal(true);
    await expect(el).to.be.accessible();
  });
});

describe('<client-reset-panel> showLock()', () => {
  it('called before the client is shown opens the lock action once it is; called again, at once', async () => {
    const client = await seedClient({
      name: 'Noor Haddad',
      email: 'noor@example.com',
      password: GOOD_PASSWORD,
    });
    // A page whose own list has a lock icon leading to this client's page.
    const el = document.createElement('client-reset-panel');
    el.apiBase = API_BASE;
    el.token = await staffToken();
    el.clientId = client.id;
    el.showLock();
    document.body.append(el);
    try {
      await until(() => dialogOf(el)?.open, 'the dialog did not open');
      expect(txt($(el, 'dialog h2'))).to.equal('Reset password for Noor Haddad');
      expect(dialogOf(el).contains(shadow(el).activeElement)).to.equal(true);
      button(dialogOf(el), 'Cancel').click();
      await until(() => !dialogOf(el).open, 'the dialog did not close');
      el.showLock();
      await until(() => dialogOf(el).open, 'a second call did not open it');
    } finally {
      el.remove();
    }
  });
});

describe('<client-reset-panel client-id> status', () => {
  it('shows an active client: badge, email, username, no activity yet; axe finds nothing', async () => {
    const client = await seedClient({
      name: 'Ana Alvarez',
      email: 'ana@example.com',
      username: 'ana.a',
      password: GOOD_PASSWORD,
    });
    const el = await clientPanel(client.id);
    expect(txt($(el, 'h2'))).to.equal('Ana Alvarez');
    expect(badges($(el, 'h2 + div'))).to.deep.equal(['Active']);
    expect($$(el, 'dd').map(txt)).to.deep.equal(['ana@example.com', 'ana.a']);
    expect(txt($(el, 'section'))).to.include('No activity yet.');
    expect(button(shadow(el), 'Send reset link').disabled).to.equal(false);
    expect(txt(button(shadow(el), 'Send reset link').parentElement)).to.include('5 of 5 left today');
    await expect(el).to.be.accessible();
  });

  it('shows invited, login disabled and email not confirmed', async () => {
    const client = await seedClient({ name: 'Ben Okafor', loginEnabled: false, emailConfirmed: false });
    const el = await clientPanel(client.id);
    expect(badges($(el, 'h2 + div'))).to.deep.equal(['Invited', 'Login disabled', 'Email not confirmed']);
    expect(control(el, 'Enable login').checked).to.equal(false);
    expect(control(el, 'Email confirmed').checked).to.equal(false);
  });

  it('shows a forced reset with when it was issued, by whom and until when', async () => {
    const client = await seedClient({ name: 'Ana Alvarez', password: GOOD_PASSWORD });
    await advanceClock(5 * 60_000);
    const issuedAt = await advanceClock(0);
    await setPassword(
      client.id,
      { mode: 'random', delivery: 'display', temporary: true },
      { sub: 'coach-7' },
    );
    const el = await clientPanel(client.id);
    expect(badges($(el, 'h2 + div'))).to.deep.equal(['Force password reset']);
    expect($(el, 'h2 + div [part~=badge]')!.dataset.tone).to.equal('warn');
    expect($$(el, 'dt').map(txt)).to.deep.equal(['Email', 'Temporary password']);
    expect(txt($$(el, 'dd')[1])).to.equal(
      `Issued ${shownDate(issuedAt)} by coach-7; expires ${shownDate(issuedAt + 7 * DAY)}.`,
    );
  });

  it('a one-time password staff set is a labelled badge of its own, not "Active" alone', async () => {
    const client = await seedClient({ name: 'Ana Alvarez', password: GOOD_PASSWORD });
    const issuedAt = await advanceClock(0);
    await setPassword(
      client.id,
      { mode: 'random', delivery: 'display', temporary: false },
      { sub: 'front-desk' },
    );
    const el = await clientPanel(client.id);
    const shown = $$(el, 'h2 + div [part~=badge]');
    expect(shown.map((badge) => [txt(badge), badge.dataset.tone])).to.deep.equal([
      ['Active', 'ok'],
      ['One-time password', 'warn'],
    ]);
    expect($$(el, 'dt').map(txt)).to.deep.equal(['Email', 'One-time password']);
    expect(txt($$(el, 'dd')[1])).to.equal(
      `Issued ${shownDate(issuedAt)} by front-desk; expires ${shownDate(issuedAt + 7 * DAY)}.`,
    );
  });
});

describe('<client-reset-panel> lock dialog: random password', () => {
  let client: SeededClient;
  beforeEach(async () => {
    client = await seedClient({ name: 'Ana Alvarez', email: 'ana@example.com', password: GOOD_PASSWORD });
  });

  it('Random + Show once + Temporary: confirm (Reset password: nothing is sent), the password shown once with Copy', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openLock(el);
    expect(txt($(el, 'dialog h2'))).to.equal('Reset password for Ana Alvarez');
    expect(focused(el)).to.equal(who(option(el, 'Random password')));

    option(el, 'Show once').click();
    option(el, 'Temporary (must change at next login)').click();
    await el.updateComplete;
    button(dialog, 'Continue').click();
    await until(() => maybeButton(dialog, 'Reset password'), 'no confirm step');
    expect(txt(dialog)).to.include(
      'This replaces Ana Alvarez’s password now. The old one stops working. Continue?',
    );
    // Nothing is mailed, so the button does not say "Send".
    expect(who(maybeButton(dialog, 'Reset and Send'))).to.equal('(nothing)');
    // Nothing is replaced before the confirmation.
    expect(log.find('POST', '/api/admin/clients/')).to.have.length(0);
    expect(focused(el)).to.equal(who(button(dialog, 'Reset password')));

    button(dialog, 'Reset password').click();
    await until(() => dialog.querySelector('code'), 'no password shown');
    await log.idle(el);
    const [request] = log.find('POST', `/api/admin/clients/${client.id}/password`);
    expect(request.body).to.deep.equal({ mode: 'random', delivery: 'display', temporary: true });
    expect(request.status).to.equal(200);

    const shown = txt(dialog.querySelector('code'));
    expect(shown).to.have.length.greaterThan(11);
    expect(txt(dialog.querySelector('.status'))).to.equal(
      'Copy this password or write it down now: it cannot be shown again.',
    );
    expect(dialog.querySelector('.status')!.getAttribute('role')).to.equal('status');
    expect(focused(el)).to.equal(who(dialog.querySelector('.status')));
    expect(who(button(dialog, 'Copy'))).to.equal('button "Copy"');
    expect(captured.of('reset-password-set')).to.deep.equal([
      { clientId: client.id, delivered: 'display', temporary: true },
    ]);

    // The member: the temporary password only leads to choosing a new one; the old one is dead.
    const withShown = await login('ana@example.com', shown);
    expect(withShown.status).to.equal(200);
    expect(withShown.body.status).to.equal('password_change_required');
    expect((await login('ana@example.com', GOOD_PASSWORD)).status).to.equal(401);
    // Shown, not mailed.
    expect((await outbox({ to: 'ana@example.com' })).map((m) => m.kind)).to.not.include('credentials');

    // Escape, pressed twice, does not lose a password that can never be shown again.
    await sendKeys({ press: 'Escape' });
    await sendKeys({ press: 'Escape' });
    await el.updateComplete;
    expect(dialog.open).to.equal(true);
    expect(txt(dialog.querySelector('code'))).to.equal(shown);
    // Noted, the password is gone; the status now says force reset, by whom.
    expect(dialog.querySelector('.primary')).to.equal(button(dialog, 'I have noted it'));
    button(dialog, 'I have noted it').click();
    await until(() => !dialog.open);
    await log.idle(el);
    expect(badges($(el, 'h2 + div'))).to.deep.equal(['Force password reset']);
    expect(txt($$(el, 'dd')[1])).to.match(/^Issued .+ by desk-1; expires .+\.$/);
    expect(shadow(el).innerHTML).to.not.include(shown);

    await openLock(el);
    expect(who(dialog.querySelector('code'))).to.equal('(nothing)');
    expect(who(maybeButton(dialog, 'Copy'))).to.equal('(nothing)');
    expect(txt(dialog)).to.not.include(shown);
    expect(option(el, 'Random password').checked).to.equal(true);
  });

  it('Copy writes the shown password to the clipboard and says Copied', async () => {
    const clipboard = navigator.clipboard as Clipboard & { writeText: (text: string) => Promise<void> };
    const written: string[] = [];
    clipboard.writeText = async (text: string) => {
      written.push(text);
    };
    try {
      const el = await clientPanel(client.id);
      const dialog = await openLock(el);
      option(el, 'Show once').click();
      await continueAndReset(el);
      const shown = txt(dialog.querySelector('code'));
      button(dialog, 'Copy').click();
      await until(() => maybeButton(dialog, 'Copied'), 'the button did not say Copied');
      expect(written).to.deep.equal([shown]);
    } finally {
      delete (clipboard as Partial<Clipboard>).writeText;
    }
  });

  it('Copy does not claim "Copied" when the clipboard refused', async () => {
    const clipboard = navigator.clipboard as Clipboard & { writeText: (text: string) => Promise<void> };
    clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
    try {
      const el = await clientPanel(client.id);
      const dialog = await openLock(el);
      option(el, 'Show once').click();
      await continueAndReset(el);
      button(dialog, 'Copy').click();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await el.updateComplete;
      expect(who(maybeButton(dialog, 'Copied'))).to.equal('(nothing)');
      expect(txt(dialog.querySelector('code'))).to.have.length.greaterThan(11);
    } finally {
      delete (clipboard as Partial<Clipboard>).writeText;
    }
  });

  it('Random + Email to client: the credentials mail goes out and the dialog says where', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openLock(el);
    expect(option(el, 'Email to client').checked).to.equal(true);
    expect(option(el, 'Temporary (must change at next login)').checked).to.equal(false);
    await continueAndReset(el);
    const [request] = log.find('POST', `/api/admin/clients/${client.id}/password`);
    expect(request.body).to.deep.equal({ mode: 'random', delivery: 'email', temporary: false });
    expect(txt(dialog.querySelector('.status'))).to.equal(
      'The new login details were sent to ana@example.com.',
    );
    expect(who(dialog.querySelector('code'))).to.equal('(nothing)');
    expect(captured.of('reset-password-set')).to.deep.equal([
      { clientId: client.id, delivered: 'email', temporary: false },
    ]);
    const [mail] = await outbox({ to: 'ana@example.com' });
    expect(mail.kind).to.equal('credentials');
    expect(mail.clientId).to.equal(client.id);
  });

  it('Cancel on the confirm step goes back without changing anything', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openLock(el);
    button(dialog, 'Continue').click();
    await until(() => maybeButton(dialog, 'Reset and Send'));
    button(dialog, 'Cancel').click();
    await until(() => maybeButton(dialog, 'Continue'), 'Cancel did not go back');
    expect(log.find('POST', '/api/admin/clients/')).to.have.length(0);
    expect((await login('ana@example.com', GOOD_PASSWORD)).body.status).to.equal('ok');
  });
});

describe('<client-reset-panel> lock dialog: custom password', () => {
  let client: SeededClient;
  beforeEach(async () => {
    client = await seedClient({ name: 'Ana Alvarez', email: 'ana@example.com', password: GOOD_PASSWORD });
  });

  async function openCustom(el: ClientResetPanel): Promise<HTMLDialogElement> {
    const dialog = await openLock(el);
    option(el, 'Custom password').click();
    await until(() => dialog.querySelector('input[name=new-password]'), 'no password fields');
    await until(() => Object.keys(ruleStates(el)).length > 0, 'no rule checklist');
    return dialog;
  }

  it('typed twice with the live checklist: too short and mismatched are refused, a valid one is set', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openCustom(el);
    const password = control(el, 'New password', dialog);
    const confirm = control(el, 'Confirm new password', dialog);
    expect(password.autocomplete).to.equal('off');
    expect(ruleStates(el)).to.include({ min_length: 'pending', match: 'pending' });

    // Too short.
    password.focus();
    await sendKeys({ type: 'short-1' });
    await el.updateComplete;
    expect(ruleStates(el)).to.include({ min_length: 'unmet', match: 'unmet' });
    expect(txt(dialog.querySelector('[data-rule=min_length]'))).to.equal(
      'Be at least 12 characters long (not met yet)',
    );
    confirm.focus();
    await sendKeys({ type: 'short-1' });
    await el.updateComplete;
    expect(ruleStates(el)).to.include({ min_length: 'unmet', match: 'met' });
    button(dialog, 'Continue').click();
    await el.updateComplete;
    await el.updateComplete;
    expect(who(maybeButton(dialog, 'Reset and Send'))).to.equal('(nothing)');
    expect(focused(el)).to.equal(who(password));

    // Long enough, but the two fields differ.
    password.select();
    await sendKeys({ type: OTHER_GOOD_PASSWORD });
    confirm.select();
    await sendKeys({ type: `${OTHER_GOOD_PASSWORD}x` });
    await el.updateComplete;
    expect(ruleStates(el)).to.include({ min_length: 'met', max_length: 'met', match: 'unmet' });
    button(dialog, 'Continue').click();
    await el.updateComplete;
    await el.updateComplete;
    expect(who(maybeButton(dialog, 'Reset and Send'))).to.equal('(nothing)');

    // Valid: every rule the page can check is met.
    confirm.focus();
    await sendKeys({ press: 'End' });
    await sendKeys({ press: 'Backspace' });
    await el.updateComplete;
    expect(ruleStates(el)).to.deep.equal({
      min_length: 'met',
      max_length: 'met',
      not_common: 'pending',
      no_personal_info: 'met',
      not_recent: 'pending',
      match: 'met',
    });
    option(el, 'Tell the client myself').click();
    await continueAndReset(el);
    const [request] = log.find('POST', `/api/admin/clients/${client.id}/password`);
    expect(request.body).to.deep.equal({
      mode: 'custom',
      password: OTHER_GOOD_PASSWORD,
      delivery: 'none',
      temporary: false,
    });
    expect(txt(dialog.querySelector('.status'))).to.equal(
      'The password was changed. Tell the client in person.',
    );
    expect(captured.of('reset-password-set')).to.deep.equal([
      { clientId: client.id, delivered: 'none', temporary: false },
    ]);
    // A staff-set password is one-time: the client logs in with it and must choose a new one.
    expect((await login('ana@example.com', OTHER_GOOD_PASSWORD)).body.status).to.equal(
      'password_change_required',
    );
    expect((await login('ana@example.com', GOOD_PASSWORD)).status).to.equal(401);
  });

  it('a personal word in the password is flagged before saving', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openCustom(el);
    fill(control(el, 'New password', dialog), 'alvarez-harbor-quartz');
    await el.updateComplete;
    expect(ruleStates(el).no_personal_info).to.equal('unmet');
  });

  it('empty custom password: Continue says what is missing next to the field, and nothing changes', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openCustom(el);
    const password = control(el, 'New password', dialog);
    const next = button(dialog, 'Continue');
    expect(next.type).to.equal('submit');
    next.click();
    await until(() => focused(el) === who(password), 'focus did not go to the password');
    expect(dialog.open).to.equal(true);
    const alert = dialog.querySelector<HTMLElement>('[role=alert]')!;
    expect(txt(alert)).to.equal('Type the new password, or choose Random password.');
    expect(password.getAttribute('aria-describedby')!.split(' ')).to.include(alert.id);
    expect(log.find('POST', '/api/admin/clients/')).to.have.length(0);
    expect(captured.of('reset-password-set')).to.have.length(0);
    expect((await login('ana@example.com', GOOD_PASSWORD)).body.status).to.equal('ok');
  });

  it('the rules speak of the client, not of the staff member typing', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openCustom(el);
    expect(txt(dialog.querySelector('[data-rule=no_personal_info]'))).to.match(
      /^Not contain the client’s name, email or username/,
    );
    expect(txt(dialog.querySelector('[data-rule=not_recent]'))).to.match(
      /^Not be one of the client’s last 5 passwords/,
    );
    expect(txt(dialog.querySelector('.rules p'))).to.equal('The client’s password must:');
  });

  it('a password the server refuses (one of the last ones) brings back the fields with the rule unmet', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openCustom(el);
    fill(control(el, 'New password', dialog), GOOD_PASSWORD);
    fill(control(el, 'Confirm new password', dialog), GOOD_PASSWORD);
    await el.updateComplete;
    await continueAndReset(el, false);
    await until(() => maybeButton(dialog, 'Continue'), 'the fields did not come back');
    await log.idle(el);
    const [request] = log.find('POST', `/api/admin/clients/${client.id}/password`);
    expect(request.status).to.equal(422);
    expect(txt(dialog.querySelector('[role=alert]'))).to.equal(
      'Choose a password that meets every rule in the list.',
    );
    expect(ruleStates(el).not_recent).to.equal('unmet');
    expect(captured.of('reset-error')).to.deep.equal([
      { code: 'password_rejected', message: 'Choose a password that meets every rule in the list.' },
    ]);
    expect(dialog.open).to.equal(true);
  });

  it('after a refusal the error is shown once, inside the dialog, and focus moves to it', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openCustom(el);
    fill(control(el, 'New password', dialog), GOOD_PASSWORD);
    fill(control(el, 'Confirm new password', dialog), GOOD_PASSWORD);
    await el.updateComplete;
    await continueAndReset(el, false);
    await until(() => maybeButton(dialog, 'Continue'), 'the fields did not come back');
    await log.idle(el);
    // The page behind a modal dialog is inert: an alert there can be neither seen nor focused.
    const outside = $$(el, '[role=alert]').filter((a) => !dialog.contains(a) && !a.hidden);
    expect({ outside: outside.map(txt), focus: focused(el) }).to.deep.equal({
      outside: [],
      focus: who(dialog.querySelector('[role=alert]')),
    });
  });

  it('a refusal does not linger: reopened, the checklist starts over', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openCustom(el);
    fill(control(el, 'New password', dialog), GOOD_PASSWORD);
    fill(control(el, 'Confirm new password', dialog), GOOD_PASSWORD);
    await el.updateComplete;
    await continueAndReset(el, false);
    await until(() => ruleStates(el).not_recent === 'unmet', 'the refusal was not shown');
    button(dialog, 'Cancel').click();
    await until(() => !dialog.open);
    await log.idle(el);
    // Nothing of the dialog's refusal is left on the client's page either.
    expect(
      $$(el, '[role=alert]')
        .filter((alert) => !alert.hidden)
        .map(txt),
    ).to.deep.equal([]);
    await openCustom(el);
    expect(ruleStates(el).not_recent).to.equal('pending');
    expect(control(el, 'New password', dialog).getAttribute('aria-invalid')).to.equal('false');
  });

  it('the checklist uses the tenant’s minimum length (provisioned at 16)', async () => {
    await provisionTenant(TENANT, { name: 'Studio A', minPasswordLength: 16 });
    const el = await clientPanel(client.id);
    const dialog = await openCustom(el);
    expect(txt(dialog.querySelector('[data-rule=min_length]'))).to.match(/^Be at least 16 characters long/);
    fill(control(el, 'New password', dialog), 'quartz-harbor-7');
    await el.updateComplete;
    expect(ruleStates(el).min_length).to.equal('unmet');
  });
});

describe('<client-reset-panel> accessibility and keyboard', () => {
  let client: SeededClient;
  beforeEach(async () => {
    client = await seedClient({ name: 'Ana Alvarez', email: 'ana@example.com', password: GOOD_PASSWORD });
  });

  it('axe finds nothing at each step of the dialog (random, custom, confirm, result)', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openLock(el);
    await expect(el).to.be.accessible();
    option(el, 'Custom password').click();
    await until(() => Object.keys(ruleStates(el)).length > 0);
    fill(control(el, 'New password', dialog), 'short');
    await el.updateComplete;
    await expect(el).to.be.accessible();
    option(el, 'Random password').click();
    await el.updateComplete;
    option(el, 'Show once').click();
    await el.updateComplete;
    button(dialog, 'Continue').click();
    await until(() => maybeButton(dialog, 'Reset password'));
    await expect(el).to.be.accessible();
    button(dialog, 'Reset password').click();
    await until(() => dialog.querySelector('code'));
    await expect(el).to.be.accessible();
  });

  it('the whole random / show-once / temporary flow by keyboard alone', async () => {
    const el = await clientPanel(client.id);
    const dialog = await loadedDialog(el);
    const lock = button(shadow(el), 'Reset password');
    for (let i = 0; i < 10 && focused(el) !== who(lock); i++) await sendKeys({ press: 'Tab' });
    expect(focused(el), 'Tab reaches the lock button').to.equal(who(lock));

    await sendKeys({ press: 'Enter' });
    await until(() => dialog.open, 'Enter did not open the dialog');
    await el.updateComplete;
    expect(focused(el)).to.equal(who(option(el, 'Random password')));

    // Into the delivery group (Tab stops on its checked radio), then to Show once; radios move
    // with the arrow keys, as in every native radio group.
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(who(option(el, 'Email to client')));
    await sendKeys({ press: 'ArrowDown' });
    await el.updateComplete;
    expect(focused(el)).to.equal(who(option(el, 'Show once')));
    expect(option(el, 'Show once').checked).to.equal(true);

    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(who(option(el, 'Temporary (must change at next login)')));
    await sendKeys({ press: 'Space' });
    await el.updateComplete;
    expect(option(el, 'Temporary (must change at next login)').checked).to.equal(true);

    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(who(button(dialog, 'Cancel')));
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(who(button(dialog, 'Continue')));
    await sendKeys({ press: 'Enter' });
    await until(
      () => focused(el) === who(maybeButton(dialog, 'Reset password')),
      'focus not on Reset password',
    );

    await sendKeys({ press: 'Enter' });
    await until(() => dialog.querySelector('code'), 'no password shown');
    await log.idle(el);
    expect(focused(el)).to.equal(who(dialog.querySelector('.status')));
    expect(log.find('POST', `/api/admin/clients/${client.id}/password`)[0].body).to.deep.equal({
      mode: 'random',
      delivery: 'display',
      temporary: true,
    });

    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(who(button(dialog, 'Copy')));
    await sendKeys({ press: 'Tab' });
    expect(focused(el)).to.equal(who(button(dialog, 'I have noted it')));
    await sendKeys({ press: 'Enter' });
    await until(() => !dialog.open, 'Enter on "I have noted it" did not close the dialog');
    await log.idle(el);
    expect(who(dialog.querySelector('code'))).to.equal('(nothing)');
    // Focus returns to what opened the dialog.
    expect(focused(el)).to.equal(who(button(shadow(el), 'Reset password')));
  });

  it('another client-id (the portal moved on) closes a dialog about the last client', async () => {
    const other = await seedClient({ name: 'Ben Okafor', email: 'ben@example.com', password: GOOD_PASSWORD });
    const el = await clientPanel(client.id);
    const dialog = await openLock(el);
    button(dialog, 'Continue').click();
    await until(() => maybeButton(dialog, 'Reset and Send'));
    el.clientId = other.id;
    await until(() => txt($(el, 'h2')) === 'Ben Okafor', 'the other client was not shown');
    expect(dialog.open, 'the dialog about Ana is closed').to.equal(false);
    expect(log.find('POST', '/api/admin/clients/').filter((r) => r.path.endsWith('/password'))).to.deep.equal(
      [],
    );
  });

  it('a page overriding one rule’s wording keeps the others', async () => {
    const el = await clientPanel(client.id);
    el.messages = { rules: { min_length: (n: number) => `${n}+ characters` } };
    const dialog = await openLock(el);
    control(el, 'Custom password', dialog).click();
    await until(() => dialog.querySelector('[data-rule]'), 'no rule checklist');
    fill(control(el, 'New password', dialog), 'short');
    await el.updateComplete;
    const rules = [...dialog.querySelectorAll('[data-rule]')].map(txt);
    expect(rules[0]).to.match(/^12\+ characters/);
    expect(rules.some((rule) => rule.startsWith('Be the same in both fields'))).to.equal(true);
  });

  it('Escape closes the dialog and focus returns to the lock button', async () => {
    const el = await clientPanel(client.id);
    const dialog = await openLock(el);
    await sendKeys({ press: 'Escape' });
    await until(() => !dialog.open, 'Escape did not close the dialog');
    await log.idle(el);
    expect(focused(el)).to.equal(who(button(shadow(el), 'Reset password')));
  });
});
