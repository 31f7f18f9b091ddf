/**
 * The six workflows of PRODUCT.md, end to end, as people do them: staff in the demo's admin
 * portal (the real `<client-reset-panel>`), members on the hosted pages and the demo's member
 * app, mail read from the outbox and its links opened. One real server process (`npm start`'s
 * entry point, fs store, outbox mail) and Debian's Chromium. Each workflow uses its own seeded
 * clients, so the tests do not depend on one another's order.
 */
import { createRequire } from 'node:module';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo-seed.js';
import { linkIn, logIn, passwordIn, startDemo, tabTo, type DemoServer } from '../helpers/demo-browser.js';

const TENANT = 'demo-studio';
const WAIT = { timeout: 15_000 };

let demo: DemoServer;
const contexts: BrowserContext[] = [];

/** A fresh browser profile: one person on one device. */
async function person(): Promise<Page> {
  const context = await demo.browser.newContext();
  contexts.push(context);
  return context.newPage();
}

/** Staff find a client in the demo admin portal's list and open their page by the name. */
async function staffOpen(page: Page, name: string): Promise<Locator> {
  await page.goto(`${demo.url}/demo/admin/`);
  await page.getByLabel('Search clients').fill(name.split(' ')[0]);
  await page.getByRole('link', { name, exact: true }).click();
  const panel = page.locator('client-reset-panel');
  await panel.getByRole('heading', { name, exact: true }).waitFor(WAIT);
  return panel;
}

/** Staff press the lock next to a client's name in the list: the client's page, with the lock action open. */
async function staffLock(page: Page, name: string): Promise<{ panel: Locator; dialog: Locator }> {
  await page.goto(`${demo.url}/demo/admin/`);
  await page.getByLabel('Search clients').fill(name.split(' ')[0]);
  await page.getByRole('link', { name: `Reset password for ${name}` }).click();
  const panel = page.locator('client-reset-panel');
  const dialog = panel.getByRole('dialog', { name: `Reset password for ${name}` });
  await dialog.waitFor(WAIT);
  return { panel, dialog };
}

/** The panel's lock action: its dialog. */
async function openLock(panel: Locator): Promise<Locator> {
  await panel.getByRole('button', { name: /Reset password$/ }).click();
  const dialog = panel.getByRole('dialog');
  await dialog.waitFor(WAIT);
  return dialog;
}

/** The member chooses a new password in whichever form asks for it (dialog or link page). */
async function chooseNewPassword(scope: Locator | Page, password: string, submit: string): Promise<void> {
  await scope.getByLabel('New password', { exact: true }).fill(password);
  await scope.getByLabel('Confirm new password').fill(password);
  await scope.getByRole('button', { name: submit }).click();
}

const loggedIn = (page: Page) => page.getByRole('heading', { name: 'You are logged in' }).waitFor(WAIT);

async function hostedLogin(page: Page, identifier: string, password: string): Promise<void> {
  await page.goto(`${demo.url}/login?tenant=${TENANT}`);
  await logIn(page, identifier, password);
}

beforeAll(async () => {
  demo = await startDemo();
  // Build the demo pages and the bundle once, before any test's clock starts.
  const page = await person();
  await page.goto(`${demo.url}/demo/admin/`, { timeout: 120_000 });
  await page.getByRole('link', { name: 'Reset password for Alice Martin' }).waitFor({ timeout: 60_000 });
  await page.close();
}, 180_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await demo?.stop();
});

describe('workflows', { timeout: 90_000 }, () => {
  it('1 Reset and send', async () => {
    const staff = await person();
    const { dialog } = await staffLock(staff, 'Hugo Bernard');
    await dialog.getByLabel('Custom password').check();
    await chooseNewPassword(dialog, 'short', 'Continue');
    // The policy is checked before anything changes.
    await dialog.getByText('Choose a password that meets every rule in the list.').waitFor(WAIT);
    const chosen = 'canyon-mosaic-ferry-41';
    await dialog.getByLabel('Email to client').check();
    await chooseNewPassword(dialog, chosen, 'Continue');
    await dialog.getByText('This replaces Hugo Bernard’s password now').waitFor(WAIT);
    const since = await demo.seen();
    await staff.evaluate(() => {
      const page = window as { toastOpened?: number };
      page.toastOpened = 0;
      document.querySelector('.toast')!.addEventListener('toggle', (event) => {
        if ((event as ToggleEvent).newState === 'open') page.toastOpened!++;
      });
    });
    await dialog.getByRole('button', { name: 'Reset and Send' }).click();
    await dialog.getByText('The new login details were sent to hugo@example.com.').waitFor(WAIT);
    // The page's toast sits above the open dialog and its backdrop: it entered the top layer
    // (as a popover) after the dialog did.
    await staff.getByText('New login details sent: see the Mailbox.').waitFor(WAIT);
    await expect.poll(() => staff.evaluate(() => (window as { toastOpened?: number }).toastOpened)).toBe(1);
    expect(await staff.locator('.toast').evaluate((toast) => toast.matches(':popover-open'))).toBe(true);

    const mail = await demo.nextMail('hugo@example.com', 'credentials', since);
    expect(mail.subject).toBe('Your Riverside Fitness Studio login details');
    expect(passwordIn(mail)).toBe(chosen);
    // The client opens the mail's button and logs in at once (a staff-set password is one-time:
    // the first login leads straight to choosing their own).
    const member = await person();
    await member.goto(linkIn(mail));
    expect(new URL(member.url()).pathname).toBe('/login');
    await logIn(member, 'hugo_b', chosen);
    await chooseNewPassword(member.getByRole('dialog'), 'harbour-lantern-quiet-58', 'Update Password');
    await loggedIn(member);
    await expect(member.locator('#who').textContent()).resolves.toBe('hugo_b');
    // The old password is gone.
    const again = await person();
    await hostedLogin(again, 'hugo_b', DEMO_PASSWORD);
    await again.getByText('Invalid username or password.').waitFor(WAIT);
  });

  it('2 Login settings', async () => {
    // A client whose email is not confirmed must confirm it through a link before logging in.
    const eva = await person();
    let since = await demo.seen();
    await hostedLogin(eva, 'eva@example.com', DEMO_PASSWORD);
    await eva.getByText('Please confirm your email address first: we sent you a link.').waitFor(WAIT);
    const verify = await demo.nextMail('eva@example.com', 'verify-email', since);
    await eva.goto(linkIn(verify));
    await eva.getByRole('button', { name: 'Confirm my email address' }).click();
    await eva.getByText('Your email address is confirmed. You can now log in.').waitFor(WAIT);
    await hostedLogin(eva, 'eva@example.com', DEMO_PASSWORD);
    await loggedIn(eva);

    // Staff enable a disabled login; the client can log in at once.
    const staff = await person();
    const dan = await person();
    await hostedLogin(dan, 'dan@example.com', DEMO_PASSWORD);
    await dan.getByText('This account is disabled. Please contact the front desk.').waitFor(WAIT);
    let panel = await staffOpen(staff, 'Dan Kim');
    const enable = panel.getByLabel('Enable login');
    expect(await enable.isChecked()).toBe(false);
    await enable.check();
    await panel.getByText('Saved.').waitFor(WAIT);
    await hostedLogin(dan, 'dan@example.com', DEMO_PASSWORD);
    await loggedIn(dan);

    // An empty custom password changes nothing: Continue asks for one, Cancel keeps the current one.
    panel = await staffOpen(staff, 'Jonas Weber');
    let dialog = await openLock(panel);
    await dialog.getByLabel('Custom password').check();
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await dialog.getByText('Type the new password, or choose Random password.').waitFor(WAIT);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden', ...WAIT });
    const jonas = await person();
    await hostedLogin(jonas, 'jweber', DEMO_PASSWORD);
    await loggedIn(jonas);

    // Staff can take back an address's confirmation: the next login asks for the link again.
    const confirmed = panel.getByLabel('Email confirmed');
    await confirmed.uncheck();
    await panel.getByText('Saved.').waitFor(WAIT);
    await hostedLogin(jonas, 'jweber', DEMO_PASSWORD);
    await jonas.getByText('Please confirm your email address first: we sent you a link.').waitFor(WAIT);
    await confirmed.check();
    await panel.getByText('Saved.').waitFor(WAIT);

    // Generate and send credentials by email: confirmed, the old password replaced at once, reported when sent.
    dialog = await openLock(panel);
    await dialog.getByLabel('Custom password').check();
    await dialog.getByLabel('New password', { exact: true }).waitFor(WAIT);
    // A generated password needs no fields: they go away.
    await dialog.getByLabel('Random password').check();
    expect(await dialog.getByLabel('New password', { exact: true }).count()).toBe(0);
    await dialog.getByLabel('Email to client').check();
    await dialog.getByRole('button', { name: 'Continue' }).click();
    since = await demo.seen();
    await dialog.getByRole('button', { name: 'Reset and Send' }).click();
    await dialog.getByText('The new login details were sent to jonas.weber@example.com.').waitFor(WAIT);
    const mail = await demo.nextMail('jonas.weber@example.com', 'credentials', since);
    await hostedLogin(jonas, 'jweber', DEMO_PASSWORD);
    await jonas.getByText('Invalid username or password.').waitFor(WAIT);
    await hostedLogin(jonas, 'jweber', passwordIn(mail));
    await chooseNewPassword(jonas.getByRole('dialog'), 'meadow-copper-signal-73', 'Update Password');
    await loggedIn(jonas);
  });

  it('3 Welcome email and links', async () => {
    const staff = await person();
    let panel = await staffOpen(staff, 'Ben Okafor');
    let since = await demo.seen();
    await panel.getByRole('button', { name: 'Resend welcome email' }).click();
    await panel.getByText('Sent to ben@example.com.').waitFor(WAIT);
    const first = await demo.nextMail('ben@example.com', 'invite', since);
    await panel.getByText('4 of 5 left today').first().waitFor(WAIT);
    // Every new link voids the older ones.
    since = await demo.seen();
    await panel.getByRole('button', { name: 'Resend welcome email' }).click();
    await panel.getByText('3 of 5 left today').first().waitFor(WAIT);
    const second = await demo.nextMail('ben@example.com', 'invite', since);

    const ben = await person();
    await ben.goto(linkIn(first));
    await ben.getByText('A newer link has been sent. Use the most recent email.').waitFor(WAIT);
    // The newer mail's link, opened as a mail client does: in a new tab.
    const benAgain = await ben.context().newPage();
    await benAgain.goto(linkIn(second));
    await benAgain.getByRole('heading', { name: 'Welcome, Ben Okafor!' }).waitFor(WAIT);
    // The token left the address bar as soon as the page read it.
    expect(new URL(benAgain.url()).hash).toBe('');
    await chooseNewPassword(benAgain, 'willow-pebble-arcade-62', 'Set password');
    await benAgain.getByText('Your password is set. You can now log in.').waitFor(WAIT);
    await hostedLogin(benAgain, 'ben@example.com', 'willow-pebble-arcade-62');
    await loggedIn(benAgain);

    // A used link never works again, on another device either.
    const elsewhere = await person();
    await elsewhere.goto(linkIn(second));
    await elsewhere.getByText('This link has already been used.').waitFor(WAIT);

    // At most 5 such emails per client per 24 hours: the 6th is refused and says when it will be possible.
    panel = await staffOpen(staff, 'Kenji Watanabe');
    const resend = panel.getByRole('button', { name: 'Resend welcome email' });
    for (let left = 3; left >= 0; left--) {
      await resend.click();
      await panel
        .getByText(left ? `${left} of 5 left today` : /Possible again at/)
        .first()
        .waitFor(WAIT);
    }
    expect(await resend.isDisabled()).toBe(true);

    // Staff change a client's email; the next link goes to the new address.
    panel = await staffOpen(staff, 'Mateo Silva');
    await panel.getByRole('button', { name: 'Change email' }).click();
    await panel.getByLabel('New email').fill('mateo.silva@example.net');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByText('mateo.silva@example.net').first().waitFor(WAIT);
    since = await demo.seen();
    await panel.getByRole('button', { name: 'Send reset link' }).click();
    await panel.getByText('Sent to mateo.silva@example.net.').waitFor(WAIT);
    await demo.nextMail('mateo.silva@example.net', 'reset', since);

    // Staff set a password on the client's behalf and tell it in person.
    const dialog = await openLock(panel);
    await dialog.getByLabel('Custom password').check();
    await dialog.getByLabel('Tell the client myself').check();
    await chooseNewPassword(dialog, 'granite-orchid-velvet-19', 'Continue');
    // Nothing is mailed, so the confirmation does not say "Send".
    await dialog.getByRole('button', { name: 'Reset password' }).click();
    await dialog.getByText('The password was changed. Tell the client in person.').waitFor(WAIT);
    // The new address is not confirmed yet: the first login asks for that, through a link.
    const mateo = await person();
    since = await demo.seen();
    await hostedLogin(mateo, 'mateo_s', 'granite-orchid-velvet-19');
    await mateo.getByText('Please confirm your email address first: we sent you a link.').waitFor(WAIT);
    const verify = await demo.nextMail('mateo.silva@example.net', 'verify-email', since);
    await mateo.goto(linkIn(verify));
    await mateo.getByRole('button', { name: 'Confirm my email address' }).click();
    await mateo.getByText('Your email address is confirmed. You can now log in.').waitFor(WAIT);
    await hostedLogin(mateo, 'mateo_s', 'granite-orchid-velvet-19');
    await chooseNewPassword(mateo.getByRole('dialog'), 'saffron-tundra-beacon-84', 'Update Password');
    await loggedIn(mateo);
  });

  it('4 Temporary password', async () => {
    const staff = await person();
    const panel = await staffOpen(staff, 'Alice Martin');
    const issue = async (): Promise<string> => {
      const dialog = await openLock(panel);
      await dialog.getByLabel('Random password').check();
      await dialog.getByLabel('Show once').check();
      await dialog.getByLabel('Temporary (must change at next login)').check();
      await dialog.getByRole('button', { name: 'Continue' }).click();
      await dialog.getByRole('button', { name: 'Reset password' }).click();
      await dialog
        .getByText('Copy this password or write it down now: it cannot be shown again.')
        .waitFor(WAIT);
      await dialog.getByRole('button', { name: 'Copy' }).waitFor(WAIT);
      const shown = (await dialog.locator('code').textContent())!.trim();
      await dialog.getByRole('button', { name: 'I have noted it' }).click();
      return shown;
    };
    const since = await demo.seen();
    const older = await issue();
    const temporary = await issue();
    expect(temporary).not.toBe(older);
    expect(temporary.length).toBeGreaterThanOrEqual(12);
    await panel.getByText('Force password reset').first().waitFor(WAIT);

    const alice = await person();
    // Until the change, self-service reset does not work either: the same answer, but no mail.
    await alice.goto(`${demo.url}/forgot?tenant=${TENANT}`);
    await alice.getByLabel('Email or username').fill('alice@example.com');
    await alice.getByRole('button', { name: 'Send reset link' }).click();
    await alice.getByText('If an account matches, we sent a link. Check your spam folder.').waitFor(WAIT);
    // Until the change: the old password and an older temporary one do not work.
    await hostedLogin(alice, 'alice.m', DEMO_PASSWORD);
    await alice.getByText('Invalid username or password.').waitFor(WAIT);
    await hostedLogin(alice, 'alice.m', older);
    await alice.getByText('Invalid username or password.').waitFor(WAIT);
    await hostedLogin(alice, 'alice.m', temporary);
    const dialog = alice.getByRole('dialog');
    await dialog.getByText('Your password must:').waitFor(WAIT);
    await dialog.getByText('Not be one of your last 5 passwords').waitFor(WAIT);
    // Not an old one.
    await chooseNewPassword(dialog, DEMO_PASSWORD, 'Update Password');
    await dialog.getByText('Choose a password that meets every rule in the list.').waitFor(WAIT);
    await chooseNewPassword(dialog, 'thistle-anchor-mango-36', 'Update Password');
    await loggedIn(alice);
    await hostedLogin(alice, 'alice@example.com', 'thistle-anchor-mango-36');
    await loggedIn(alice);
    // Seconds after the forgot request and the two temporary passwords: no reset mail went out,
    // and no mail carries either temporary password.
    const sent = (await demo.outbox()).filter((mail) => !since.has(mail.id));
    expect(sent.filter((mail) => mail.to === 'alice@example.com').map((mail) => mail.kind)).not.toContain(
      'reset',
    );
    expect(sent.some((mail) => mail.text.includes(temporary) || mail.text.includes(older))).toBe(false);
  });

  it("5 Can't log in", async () => {
    const member = await person();
    // One message whether the account exists or not.
    await hostedLogin(member, 'farid_h', 'not-the-password-at-all');
    await member.getByText('Invalid username or password.').waitFor(WAIT);
    await hostedLogin(member, 'nobody-here@example.com', 'not-the-password-at-all');
    await member.getByText('Invalid username or password.').waitFor(WAIT);
    // A disabled account says so.
    await hostedLogin(member, 'tomasz.kowalski@example.org', DEMO_PASSWORD);
    await member.getByText('This account is disabled. Please contact the front desk.').waitFor(WAIT);
    // Login accepts the username (this client has no email at all).
    await hostedLogin(member, 'farid_h', DEMO_PASSWORD);
    await loggedIn(member);

    // Forgot password? sends a reset link and says to check spam.
    const siobhan = await person();
    await siobhan.goto(`${demo.url}/login?tenant=${TENANT}`);
    await siobhan.getByRole('link', { name: 'Forgot password?' }).click();
    await siobhan.getByLabel('Email or username').fill('siobhan.oconnor@example.com');
    const since = await demo.seen();
    await siobhan.getByRole('button', { name: 'Send reset link' }).click();
    await siobhan.getByText('If an account matches, we sent a link. Check your spam folder.').waitFor(WAIT);
    await demo.nextMail('siobhan.oconnor@example.com', 'reset', since);

    // No temporary password for a client of two companies: unavailable, and why.
    const staff = await person();
    const { dialog } = await staffLock(staff, 'Grace Lee');
    expect(await dialog.getByLabel('Show once').isDisabled()).toBe(true);
    await dialog
      .getByText(/belongs to more than one company|several companies/)
      .first()
      .waitFor(WAIT);
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // An email another client uses is refused.
    const panel = await staffOpen(staff, 'Óscar Núñez');
    await panel.getByRole('button', { name: 'Change email' }).click();
    await panel.getByLabel('New email').fill('alice@example.com');
    await panel.getByRole('button', { name: 'Save' }).click();
    await panel.getByText('This email address is already in use.').waitFor(WAIT);
  });

  it('6 Self-service', async () => {
    const member = await person();
    await member.goto(`${demo.url}/demo/member/`);
    await member.getByRole('link', { name: 'Forgot password?' }).click();
    await member.getByLabel('Email or username').fill('quentin.lefevre@example.org');
    const since = await demo.seen();
    await member.getByRole('button', { name: 'Send reset link' }).click();
    await member.getByText('If an account matches, we sent a link. Check your spam folder.').waitFor(WAIT);
    const mail = await demo.nextMail('quentin.lefevre@example.org', 'reset', since);

    // Read it in the demo's mailbox and follow its link, which opens in a new tab.
    await member.goto(`${demo.url}/demo/mailbox/`);
    await member
      .getByRole('button', { name: new RegExp(mail.subject) })
      .first()
      .click();
    const frame = member.frameLocator('iframe');
    const [linkPage] = await Promise.all([
      member.context().waitForEvent('page'),
      frame
        .getByRole('link', { name: /Choose a new password|Reset/ })
        .first()
        .click(),
    ]);
    await linkPage.getByRole('heading', { name: 'Choose a new password' }).waitFor(WAIT);
    await chooseNewPassword(linkPage, 'lilac-summit-rover-25', 'Set password');
    await linkPage.getByText('Your password is set. You can now log in.').waitFor(WAIT);

    // Log in in the member app, then change the password while logged in.
    await member.goto(`${demo.url}/demo/member/`);
    await logIn(member, 'quentin.lefevre@example.org', 'lilac-summit-rover-25');
    await member.getByRole('heading', { name: /^Hi / }).waitFor(WAIT);
    await member.getByRole('button', { name: 'Change password' }).click();
    const dialog = member.getByRole('dialog');
    await dialog.getByLabel('Current password').fill('lilac-summit-rover-25');
    await chooseNewPassword(dialog, 'ember-glacier-tulip-90', 'Update Password');
    await dialog.getByText('Your password has been updated.').waitFor(WAIT);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await member.getByRole('button', { name: 'Log out' }).click();
    await logIn(member, 'quentin.lefevre@example.org', 'lilac-summit-rover-25');
    await member.getByText('Invalid username or password.').waitFor(WAIT);
    await logIn(member, 'quentin.lefevre@example.org', 'ember-glacier-tulip-90');
    await member.getByRole('heading', { name: /^Hi / }).waitFor(WAIT);
  });
});

describe('with the keyboard alone', { timeout: 90_000 }, () => {
  it('4 Temporary password: staff issue it, the member logs in with it and chooses their own', async () => {
    const staff = await person();
    await staff.goto(`${demo.url}/demo/admin/client.html?id=c-priya`);
    const panel = staff.locator('client-reset-panel');
    await panel.getByRole('heading', { name: 'Priya Nair', exact: true }).waitFor(WAIT);
    await tabTo(staff, /Reset password$/);
    await staff.keyboard.press('Enter');
    const dialog = panel.getByRole('dialog');
    await dialog.waitFor(WAIT);
    // Delivery is a radio group: Tab reaches its checked option, arrows change it.
    await tabTo(staff, 'Email to client');
    await staff.keyboard.press('ArrowDown');
    expect(await dialog.getByLabel('Show once').isChecked()).toBe(true);
    await tabTo(staff, 'Temporary (must change at next login)');
    await staff.keyboard.press('Space');
    await tabTo(staff, 'Continue');
    await staff.keyboard.press('Enter');
    await tabTo(staff, 'Reset password');
    await staff.keyboard.press('Enter');
    await dialog
      .getByText('Copy this password or write it down now: it cannot be shown again.')
      .waitFor(WAIT);
    const temporary = (await dialog.locator('code').textContent())!.trim();

    const priya = await person();
    await priya.goto(`${demo.url}/login?tenant=${TENANT}`);
    await tabTo(priya, 'Username or email');
    await priya.keyboard.type('priya.n');
    await priya.keyboard.press('Tab');
    await priya.keyboard.type(temporary);
    await priya.keyboard.press('Enter');
    const change = priya.getByRole('dialog');
    await change.getByLabel('New password', { exact: true }).waitFor(WAIT);
    // The dialog puts focus in its first field.
    await priya.keyboard.type('juniper-falcon-orbit-47');
    await tabTo(priya, 'Confirm new password');
    await priya.keyboard.type('juniper-falcon-orbit-47');
    await priya.keyboard.press('Enter');
    await loggedIn(priya);
    await change.getByText('Your password has been updated.').waitFor(WAIT);
    // Focus is on Close already: Enter goes on at once.
    await priya.keyboard.press('Enter');
    // Focus lands where the member now is, not on the login form that went away.
    await expect
      .poll(() => priya.evaluate(() => document.activeElement?.textContent?.trim()))
      .toBe('You are logged in');
  });

  it('6 Self-service: forgot password, the link, a new password, logged in', async () => {
    const ines = await person();
    await ines.goto(`${demo.url}/forgot?tenant=${TENANT}`);
    await tabTo(ines, 'Email or username');
    await ines.keyboard.type('ines.fernandez@example.org');
    const since = await demo.seen();
    await ines.keyboard.press('Enter');
    await ines.getByText('If an account matches, we sent a link. Check your spam folder.').waitFor(WAIT);
    const mail = await demo.nextMail('ines.fernandez@example.org', 'reset', since);
    await ines.goto(linkIn(mail));
    await ines.getByRole('heading', { name: 'Choose a new password' }).waitFor(WAIT);
    await tabTo(ines, 'New password');
    await ines.keyboard.type('cobalt-meadow-harp-52');
    await tabTo(ines, 'Confirm new password');
    await ines.keyboard.type('cobalt-meadow-harp-52');
    await ines.keyboard.press('Enter');
    await ines.getByText('Your password is set. You can now log in.').waitFor(WAIT);
    await tabTo(ines, 'Back to log in');
    await ines.keyboard.press('Enter');
    await ines.waitForURL(/\/login\?tenant=/);
    await ines.getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
    await tabTo(ines, 'Username or email');
    await ines.keyboard.type('ines.fernandez@example.org');
    await ines.keyboard.press('Tab');
    await ines.keyboard.type('cobalt-meadow-harp-52');
    await ines.keyboard.press('Enter');
    await loggedIn(ines);
  });
});

describe('in French', { timeout: 90_000 }, () => {
  it('a French tenant’s pages, elements and server messages are in French', async () => {
    const provision = { Authorization: 'Bearer demo-provision-key', 'Content-Type': 'application/json' };
    const api = `${demo.process.url}/api/provision`;
    const tenant = await fetch(`${api}/tenants/studio-lumiere`, {
      method: 'PUT',
      headers: provision,
      body: JSON.stringify({ name: 'Studio Lumière', locale: 'fr', brand: { primaryColor: '#7c3aed' } }),
    });
    expect(tenant.status).toBe(201);
    const client = await fetch(`${api}/clients/c-margot`, {
      method: 'PUT',
      headers: provision,
      body: JSON.stringify({
        name: 'Margot Laurent',
        email: 'margot@example.fr',
        tenants: ['studio-lumiere'],
      }),
    });
    expect(client.ok).toBe(true);

    const page = await person();
    await page.goto(`${demo.url}/login?tenant=studio-lumiere`);
    await page.getByRole('heading', { name: 'Connexion' }).waitFor(WAIT);
    await page.getByLabel('Nom d’utilisateur ou e-mail').fill('margot@example.fr');
    await page.getByLabel('Mot de passe', { exact: true }).fill('pas-le-bon-mot-de-passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByText('Nom d’utilisateur ou mot de passe incorrect.').waitFor(WAIT);
    await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await page.getByRole('heading', { name: 'Mot de passe oublié ?' }).waitFor(WAIT);
    await page.getByRole('button', { name: 'Envoyer le lien' }).waitFor(WAIT);
  });
});

describe('without JavaScript', { timeout: 60_000 }, () => {
  it('the hosted login says it needs JavaScript and offers no form that would put the password in the address', async () => {
    const context = await demo.browser.newContext({ javaScriptEnabled: false });
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${demo.url}/login?tenant=${TENANT}`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor(WAIT);
    // (The <noscript> sentence is in the page; the browser's emulated "no script" does not render it.)
    expect(await page.content()).toContain('This page needs JavaScript.');
    expect(await page.getByLabel('Password', { exact: true }).isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Log in' }).isVisible()).toBe(false);
  });
});

interface AxeViolation {
  id: string;
  impact: string | null;
  nodes: Array<{ target: unknown }>;
}

/** axe-core's rules (WCAG 2.1 A and AA) on the page as it is now, shadow roots included. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(options: unknown): Promise<{ violations: AxeViolation[] }> } }
    ).axe;
    const result = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations;
  });
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`,
  );
}

describe('accessibility', { timeout: 90_000 }, () => {
  it('axe finds no WCAG A/AA violation on the hosted pages and the demo', async () => {
    // The hosted pages' CSP rightly refuses the injected checker: this browser ignores it.
    const context = await demo.browser.newContext({ bypassCSP: true });
    contexts.push(context);
    const page = await context.newPage();
    const found: Record<string, string[]> = {};
    const check = async (label: string) => {
      const violations = await axeViolations(page);
      if (violations.length) found[label] = violations;
    };
    for (const path of ['/login', '/forgot', '/reset']) {
      await page.goto(`${demo.url}${path}?tenant=${TENANT}`);
      await page
        .locator(path === '/login' ? '#login-form:not([hidden])' : 'forgot-password-form h2')
        .waitFor(WAIT);
      await check(path);
    }
    for (const path of ['/demo/', '/demo/member/', '/demo/mailbox/', '/demo/embed/']) {
      await page.goto(`${demo.url}${path}`);
      await page.getByRole('heading', { level: 1 }).first().waitFor(WAIT);
      await check(path);
    }
    // The snippets name the server they were read from (this one is on a random port), not a fixed one.
    const plain = await page.getByLabel('Plain HTML snippet').innerText();
    expect(plain).toContain(`<script type="module" src="${demo.url}/widget.js"></script>`);
    expect(await page.locator('#snippets').innerText()).not.toContain('localhost:8787');
    await page.goto(`${demo.url}/demo/admin/`);
    await page.getByRole('link', { name: 'Reset password for Alice Martin' }).waitFor(WAIT);
    await check('/demo/admin/');
    await page.goto(`${demo.url}/demo/admin/client.html?id=c-farid`);
    const panel = page.locator('client-reset-panel');
    await panel.getByText('Recent activity').waitFor(WAIT);
    await check('client page');
    // The built bundle draws the lock icon whole: its shackle is the svg's own child, not lost
    // inside the rect (the template minifier must keep SVG's self-closing tags).
    expect(await panel.locator('[part~=lock] svg.icon > path').count()).toBe(1);
    await openLock(panel);
    await check('the lock dialog');
    expect(found).toEqual({});
  });
});
