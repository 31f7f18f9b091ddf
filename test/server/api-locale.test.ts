/**
 * The server's human text in the caller's language (`Accept-Language`): error messages, summary
 * reasons and event labels; codes, statuses and every other field stay the same.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, OTHER_TENANT, PROVISION_KEY, TENANT, type TestApp } from '../helpers/app.js';
import { expectError, getEvents, getSummary, json, OLD_PASSWORD, type Summary } from './api-staff-helpers.js';

let t: TestApp;
let staff: Record<string, string>;
const fr = { 'Accept-Language': 'fr' };

beforeEach(async () => {
  t = await createTestApp();
  staff = await t.asStaff({ tid: TENANT, sub: 'desk-1' });
});
afterEach(() => t.close());

const SHARED_FR =
  'Ce client appartient à plusieurs entreprises : le personnel ne peut pas connaître son mot de passe.';
const EMAIL_SHARED_FR =
  'Ce client appartient à plusieurs entreprises : seul le client ou votre système peut modifier son e-mail.';
const NO_EMAIL_FR = 'Aucune adresse e-mail enregistrée.';

describe('error messages', () => {
  const badLogin = async (headers: Record<string, string> = {}) => {
    const account = await t.seedClient({ password: OLD_PASSWORD });
    return t.post('/api/login', { identifier: account.email, password: 'not-the-password-1' }, headers);
  };

  it('are in French for Accept-Language: fr, with the same code, status and fields', async () => {
    const body = await expectError(await badLogin(fr), 401, 'invalid_credentials');
    expect(body).toEqual({
      error: { code: 'invalid_credentials', message: 'Nom d’utilisateur ou mot de passe incorrect.' },
    });
    const missing = await expectError(
      await t.get('/api/admin/clients/does-not-exist', { ...staff, ...fr }),
      404,
      'not_found',
    );
    expect(missing.error.message).toBe('Introuvable.');
    const noRoute = await expectError(await t.get('/api/no-such-thing', fr), 404, 'not_found');
    expect(noRoute.error.message).toBe('Introuvable.');
  });

  it('follow the q-values: the most acceptable supported language wins', async () => {
    const french = await expectError(
      await badLogin({ 'Accept-Language': 'it-IT, fr-CA;q=0.8, en;q=0.5' }),
      401,
      'invalid_credentials',
    );
    expect(french.error.message).toBe('Nom d’utilisateur ou mot de passe incorrect.');
    const english = await expectError(
      await badLogin({ 'Accept-Language': 'fr;q=0.3, en-GB;q=0.9' }),
      401,
      'invalid_credentials',
    );
    expect(english.error.message).toBe('Invalid username or password.');
  });

  it('are in English without the header or for an unsupported language', async () => {
    for (const headers of [{}, { 'Accept-Language': 'it' }] as Record<string, string>[]) {
      const body = await expectError(await badLogin(headers), 401, 'invalid_credentials');
      expect(body.error.message).toBe('Invalid username or password.');
    }
  });

  it('a field error names the field, in the caller’s language, with its fields', async () => {
    const account = await t.seedClient();
    const french = await t.patch(`/api/admin/clients/${account.id}`, { name: '' }, { ...staff, ...fr });
    expect((await expectError(french, 400, 'invalid_request')).error).toMatchObject({
      message: 'Le champ « name » est manquant ou n’est pas valide.',
      fields: ['name'],
    });
    const english = await t.patch(`/api/admin/clients/${account.id}`, { name: '' }, staff);
    expect((await expectError(english, 400, 'invalid_request')).error).toMatchObject({
      message: 'The field "name" is missing or not valid.',
      fields: ['name'],
    });
  });

  it('a detail the tables cannot word (a bad cursor) keeps its English sentence', async () => {
    const res = await t.get('/api/admin/clients?cursor=%%%', { ...staff, ...fr });
    const body = await expectError(res, 400, 'invalid_request');
    expect(body.error.message).toBe('The cursor is not valid.');
  });

  it('a 401 keeps its WWW-Authenticate header in either language', async () => {
    const res = await t.get('/api/admin/clients', fr);
    const body = await expectError(res, 401, 'unauthorized');
    expect(body.error.message).toBe('Un jeton valide du personnel est requis.');
    expect(res.headers.get('WWW-Authenticate')).toBe('Bearer');
  });

  it('a page on another origin may send any Accept-Language (CORS preflight)', async () => {
    const cors = await createTestApp({ env: { CORS_ORIGINS: 'https://app.example' } });
    try {
      const preflight = await cors.request('OPTIONS', '/api/login', {
        headers: {
          Origin: 'https://app.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'content-type, accept-language',
        },
      });
      expect(preflight.status).toBeLessThan(300);
      expect((preflight.headers.get('Access-Control-Allow-Headers') ?? '').toLowerCase()).toContain(
        'accept-language',
      );
    } finally {
      await cors.close();
    }
  });
});

describe('summary reasons', () => {
  it('a shared client: in French for every summary answer', async () => {
    const shared = await t.seedClient({ tenants: [TENANT, OTHER_TENANT], password: OLD_PASSWORD });
    const expected = {
      customPassword: SHARED_FR,
      temporaryPassword: SHARED_FR,
      changeEmail: EMAIL_SHARED_FR,
      changeLoginSettings:
        'Ce client appartient à plusieurs entreprises : seul votre système peut modifier son nom et ses réglages de connexion.',
    };
    expect((await getSummary(t, shared.id, { ...staff, ...fr })).reasons).toEqual(expected);

    const page = await json<{ items: Summary[] }>(await t.get('/api/admin/clients', { ...staff, ...fr }));
    expect(page.items.find((item) => item.id === shared.id)?.reasons).toEqual(expected);

    const patched = await t.patch(
      `/api/admin/clients/${shared.id}`,
      { loginEnabled: true },
      { ...staff, ...fr },
    );
    expect(patched.status).toBe(200);
    expect((await json<Summary>(patched)).reasons).toEqual(expected);

    // The English ones are unchanged.
    expect((await getSummary(t, shared.id, staff)).reasons).toEqual({
      customPassword: 'This client belongs to more than one company, so staff cannot know its password.',
      temporaryPassword: 'This client belongs to more than one company, so staff cannot know its password.',
      changeEmail:
        'This client belongs to more than one company: only the client or your system can change its email.',
      changeLoginSettings:
        'This client belongs to more than one company: only your system can change its name and login settings.',
    });
  });

  it('a client without email, created by staff and provisioned, in French', async () => {
    const created = await t.post(
      '/api/admin/clients',
      { name: 'Sans Courriel', username: 'sans' },
      { ...staff, ...fr },
    );
    expect(created.status).toBe(201);
    const summary = await json<Summary>(created);
    expect(summary.reasons).toEqual({ resetLink: NO_EMAIL_FR, invite: NO_EMAIL_FR });
    expect(summary.capabilities).toMatchObject({ resetLink: false, invite: false, randomPassword: true });

    const provisioned = await t.put(
      '/api/provision/clients/crm-fr',
      { name: 'Par Système', username: 'par-systeme', tenants: [TENANT] },
      { Authorization: `Bearer ${PROVISION_KEY}`, ...fr },
    );
    expect(provisioned.status).toBe(201);
    expect((await json<Summary>(provisioned)).reasons).toEqual({
      resetLink: NO_EMAIL_FR,
      invite: NO_EMAIL_FR,
    });
  });

  it('a spent mail budget: the reason names the limit, not the time (resendsRetryAt has it)', async () => {
    const account = await t.seedClient({ password: OLD_PASSWORD });
    for (let i = 0; i < 5; i++) {
      expect((await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff)).status).toBe(
        202,
      );
    }
    const english = await getSummary(t, account.id, staff);
    expect(english.resendsRetryAt).toEqual(expect.any(String));
    expect(english.reasons).toMatchObject({
      resetLink: 'The limit of 5 emails in 24 hours is reached.',
      invite: 'The limit of 5 emails in 24 hours is reached.',
    });
    const french = await getSummary(t, account.id, { ...staff, ...fr });
    expect(french.reasons).toMatchObject({
      resetLink: 'La limite de 5 e-mails en 24 heures est atteinte.',
      invite: 'La limite de 5 e-mails en 24 heures est atteinte.',
    });
  });
});

describe('event text', () => {
  it('labels each event in the caller’s language, with the outcome unless ok', async () => {
    const account = await t.seedClient({ password: OLD_PASSWORD });
    const noEmail = await t.seedClient({ email: null, username: 'no-mail' });
    expect((await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff)).status).toBe(202);
    await expectError(
      await t.post(`/api/admin/clients/${noEmail.id}/reset-link`, undefined, staff),
      409,
      'no_email',
    );

    const [sent] = await getEvents(t, account.id, staff);
    expect(sent).toEqual({
      at: expect.any(String),
      actor: 'staff:desk-1',
      action: 'reset_link.send',
      outcome: 'ok',
      text: 'Reset link sent',
    });
    const [refused] = await getEvents(t, noEmail.id, staff);
    expect(refused).toMatchObject({
      action: 'reset_link.send',
      outcome: 'refused',
      text: 'Reset link sent (refused)',
      detail: { error: 'no_email' },
    });

    expect((await getEvents(t, account.id, { ...staff, ...fr }))[0].text).toBe(
      'Lien de réinitialisation envoyé',
    );
    const [refusedFr] = await getEvents(t, noEmail.id, { ...staff, ...fr });
    expect(refusedFr).toMatchObject({
      action: 'reset_link.send',
      outcome: 'refused',
      text: 'Lien de réinitialisation envoyé : refus',
    });
  });

  it('member events are labelled too', async () => {
    const account = await t.seedClient({ password: OLD_PASSWORD });
    await t.post('/api/login', { identifier: account.email, password: OLD_PASSWORD });
    await t.post('/api/login', { identifier: account.email, password: 'not-the-password-1' });
    const texts = (await getEvents(t, account.id, { ...staff, ...fr })).map((event) => event.text);
    expect(texts).toEqual(['Connexion : refus', 'Connexion']);
  });
});
