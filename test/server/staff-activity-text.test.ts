/**
 * A client's activity says what staff changed ("Login disabled", "Email changed"), not only that
 * something did, in the caller's language; the audit holds which fields, never the address.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, TENANT, type TestApp } from '../helpers/app.js';
import { getEvents, OLD_PASSWORD } from './api-staff-helpers.js';

let t: TestApp;
let staff: Record<string, string>;
const fr = { 'Accept-Language': 'fr' };

beforeEach(async () => {
  t = await createTestApp();
  staff = await t.asStaff({ tid: TENANT, sub: 'desk-1' });
});
afterEach(() => t.close());

async function patch(id: string, body: Record<string, unknown>): Promise<void> {
  expect((await t.patch(`/api/admin/clients/${id}`, body, staff)).status).toBe(200);
}

/** The activity's lines for the client's PATCHes, oldest first. */
async function updateTexts(id: string, headers: Record<string, string>): Promise<string[]> {
  const events = await getEvents(t, id, headers);
  return events
    .filter((event) => event.action === 'client.update')
    .map((event) => event.text)
    .reverse();
}

describe('the activity of a staff change', () => {
  it('names the change: login disabled and enabled, email marked confirmed, email changed, name changed', async () => {
    const account = await t.seedClient({ password: OLD_PASSWORD, emailConfirmed: false });
    await patch(account.id, { loginEnabled: false });
    await patch(account.id, { loginEnabled: true });
    await patch(account.id, { emailConfirmed: true });
    await patch(account.id, { email: 'jamie.new@example.com' });
    await patch(account.id, { name: 'Jamie R.' });
    await patch(account.id, { emailConfirmed: true, loginEnabled: false });

    expect(await updateTexts(account.id, staff)).toEqual([
      'Login disabled',
      'Login enabled',
      'Email marked confirmed',
      // The new address is unconfirmed because it is new: that is not a separate change by staff.
      'Email changed',
      'Name changed',
      'Login disabled · Email marked confirmed',
    ]);
    expect(await updateTexts(account.id, { ...staff, ...fr })).toEqual([
      'Connexion désactivée',
      'Connexion activée',
      'E-mail marqué comme confirmé',
      'E-mail modifié',
      'Nom modifié',
      'Connexion désactivée · E-mail marqué comme confirmé',
    ]);
  });

  it('staff marking an email unconfirmed is said so', async () => {
    const account = await t.seedClient({ password: OLD_PASSWORD });
    await patch(account.id, { emailConfirmed: false });
    expect(await updateTexts(account.id, staff)).toEqual(['Email marked unconfirmed']);
    expect(await updateTexts(account.id, { ...staff, ...fr })).toEqual(['E-mail marqué comme non confirmé']);
  });

  it('never carries the address, old or new, in the activity', async () => {
    const account = await t.seedClient({ email: 'old.address@example.com', password: OLD_PASSWORD });
    await patch(account.id, { email: 'new.address@example.com' });
    const events = await getEvents(t, account.id, staff);
    expect(JSON.stringify(events)).not.toMatch(/old\.address|new\.address/);
  });

  it('a PATCH that changed nothing, or was refused, keeps the general wording', async () => {
    const account = await t.seedClient({ password: OLD_PASSWORD });
    await patch(account.id, { loginEnabled: true });
    const other = await t.seedClient({ email: 'taken@example.com' });
    expect((await t.patch(`/api/admin/clients/${account.id}`, { email: other.email }, staff)).status).toBe(
      409,
    );
    expect(await updateTexts(account.id, staff)).toEqual(['Details changed', 'Details changed (refused)']);
    expect(await updateTexts(account.id, { ...staff, ...fr })).toEqual([
      'Informations modifiées',
      'Informations modifiées : refus',
    ]);
  });
});
