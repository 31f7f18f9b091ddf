/**
 * Every sentence the server says, in every language it speaks: nothing empty, nothing left in
 * English, every value a sentence takes (tenant, date, limit, field) still in it; rendered through
 * the functions that answer, mail and pages; and an API answer in Spanish.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCALES, type AuditAction, type Locale, type MailKind } from '../../server/domain.js';
import type { ErrorCode } from '../../server/errors.js';
import { serverText } from '../../server/locales/index.js';
import type { MailContent } from '../../server/mail/mailer.js';
import { formatDate, formatWithin, renderMail } from '../../server/mail/templates.js';
import { renderHostedPage } from '../../server/pages/hosted-page.js';
import type { HostedPage } from '../../server/pages/hosted-paths.js';
import {
  errorMessages,
  eventText,
  invalidFieldText,
  otherCompanyStaff,
  reasonText,
} from '../../server/text.js';
import { createTestApp, TENANT, type TestApp } from '../helpers/app.js';
import { expectError, getEvents, OLD_PASSWORD } from './api-staff-helpers.js';

const TRANSLATED = LOCALES.filter((locale): locale is Exclude<Locale, 'en'> => locale !== 'en');

/**
 * Entries that may read as the English one does, and why. `labelled` only adds the language's
 * colon to a label that is itself translated (only French spaces it).
 */
const SAME_AS_ENGLISH = new Set(['mail.labelled']);

/** Stand-ins for the values a sentence takes, easy to find in what it returns. */
const A = '⟦a⟧';
const B = '⟦b⟧';
const C = '⟦c⟧';
const MARKERS = [A, B, C];
/**
 * Each function entry is called with these: all values, then without the optional ones (`within`
 * null, `byStaff` false), then an empty name (the greeting without one).
 */
const CALLS: unknown[][] = [
  [A, B, C],
  [A, B, null],
  [A, null, null],
  ['', B, null],
];

type Leaf = { path: string; call: number | null; value: string };

/** Every entry of a language's text, functions called once per `CALLS`. */
function leaves(node: unknown, path = ''): Leaf[] {
  if (typeof node === 'string') return [{ path, call: null, value: node }];
  if (typeof node === 'function') {
    return CALLS.map((args, call) => ({
      path,
      call,
      value: String((node as (...a: unknown[]) => unknown)(...args)),
    }));
  }
  return Object.entries(node as Record<string, unknown>).flatMap(([key, child]) =>
    leaves(child, path ? `${path}.${key}` : key),
  );
}

const english = leaves(serverText.en);

describe.each(TRANSLATED)('the server text in %s', (locale) => {
  const own = leaves(serverText[locale]);

  it('has every entry English has, and nothing else', () => {
    expect(own.map((leaf) => `${leaf.path}#${leaf.call}`)).toEqual(
      english.map((leaf) => `${leaf.path}#${leaf.call}`),
    );
  });

  it('is never empty, never "undefined", never the English sentence', () => {
    own.forEach((leaf, i) => {
      const where = `${leaf.path} (call ${leaf.call})`;
      expect(leaf.value.trim(), where).not.toBe('');
      // A value the sentence does not take (null where it wants text) may show as the English one does.
      for (const slip of ['undefined', 'null', '[object'])
        if (!english[i].value.includes(slip)) expect(leaf.value, where).not.toContain(slip);
      if (!SAME_AS_ENGLISH.has(leaf.path)) expect(leaf.value, where).not.toBe(english[i].value);
    });
  });

  it('keeps every value the English sentence shows (tenant, date, limit, field…)', () => {
    own.forEach((leaf, i) => {
      for (const marker of MARKERS.filter((m) => english[i].value.includes(m))) {
        expect(leaf.value, `${leaf.path} (call ${leaf.call}) lost ${marker}`).toContain(marker);
      }
      for (const marker of MARKERS.filter((m) => !english[i].value.includes(m))) {
        expect(leaf.value, `${leaf.path} (call ${leaf.call}) shows ${marker}`).not.toContain(marker);
      }
    });
  });

  it('follows its own typography: typographic quotes only, and its own spacing before : ? !', () => {
    // Not with the empty name of the last call, which leaves a gap no language writes.
    for (const leaf of own.filter((entry) => entry.call !== CALLS.length - 1)) {
      expect(leaf.value, leaf.path).not.toMatch(/["']/);
      if (locale === 'fr') continue;
      expect(leaf.value, leaf.path).not.toMatch(/[\s\u00a0\u202f][:?!]/);
    }
    if (locale === 'es') {
      // Spanish opens what it asks: as many ¿ as ?.
      for (const leaf of own)
        expect((leaf.value.match(/¿/g) ?? []).length, leaf.path).toBe((leaf.value.match(/\?/g) ?? []).length);
    }
  });
});

describe('what the API answers with, in every language', () => {
  const codes = Object.keys(errorMessages.en) as ErrorCode[];
  const actions = Object.keys(serverText.en.activity.actions) as AuditAction[];

  it.each(TRANSLATED)('%s: every error message, reason and activity line is its own', (locale) => {
    for (const code of codes) {
      expect(errorMessages[locale][code], code).toMatch(/\S/);
      expect(errorMessages[locale][code], code).not.toBe(errorMessages.en[code]);
    }
    const reasons = reasonText[locale];
    for (const key of [
      'shared',
      'forbidden',
      'noEmail',
      'emailShared',
      'settingsShared',
      'unvouched',
    ] as const)
      expect(reasons[key], key).not.toBe(reasonText.en[key]);
    expect(reasons.budget(5)).toContain('5');
    expect(reasons.budget(5)).not.toBe(reasonText.en.budget(5));

    for (const action of actions) {
      for (const outcome of ['ok', 'refused', 'failed'] as const) {
        const text = eventText(locale, action, outcome);
        expect(text, `${action} ${outcome}`).not.toBe(eventText('en', action, outcome));
        expect(text).toContain(serverText[locale].activity.actions[action]);
      }
      expect(eventText(locale, action, 'ok', 3)).toMatch(/ × 3$/);
    }
    const changes: Array<Record<string, boolean>> = [
      { loginEnabled: true, loginEnabledNow: true },
      { loginEnabled: true, loginEnabledNow: false },
      { emailConfirmed: true, emailConfirmedNow: true },
      { emailConfirmed: true, emailConfirmedNow: false },
      { email: true, emailConfirmed: true, emailConfirmedNow: false },
      { name: true },
    ];
    for (const detail of changes) {
      const text = eventText(locale, 'client.update', 'ok', 1, detail);
      expect(text, JSON.stringify(detail)).not.toBe(eventText('en', 'client.update', 'ok', 1, detail));
      expect(text).not.toBe(serverText[locale].activity.actions['client.update']);
    }
    expect(otherCompanyStaff[locale]).not.toBe(otherCompanyStaff.en);

    const field = invalidFieldText('email', 'a rule in English');
    expect(field[locale]).toContain('email');
    expect(field[locale]).toContain('a rule in English');
    expect(field[locale]).not.toBe(field.en);
    expect(invalidFieldText('name')[locale]).not.toBe(invalidFieldText('name').en);
    expect(invalidFieldText('')[locale]).not.toBe(invalidFieldText('').en);
  });
});

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const DAY = 24 * 60 * 60 * 1000;
const LINK = 'https://portal.example.com/reset#token=tkn_sample';
const CODE = 'K7PX4MWR';
const PASSWORD = 'Zq9-vault-Horse!';
const TENANT_NAME = 'Harbor Fitness';

/** Every kind of mail, in each of its forms; a kind added to `MailKind` without one fails the typecheck. */
const mails: { [K in MailKind]: Array<Extract<MailContent, { kind: K }>> } = {
  invite: [
    { kind: 'invite', name: 'Jane', link: LINK, code: CODE, expiresAt: NOW + 7 * DAY },
    { kind: 'invite', name: 'Jane', link: LINK, code: CODE, expiresAt: null },
  ],
  reset: [
    { kind: 'reset', name: 'Jane', link: LINK, code: CODE, expiresAt: NOW + DAY },
    { kind: 'reset', name: 'Jane', link: LINK, code: CODE, expiresAt: NOW + DAY, reason: 'password-voided' },
  ],
  credentials: [
    {
      kind: 'credentials',
      name: 'Jane',
      password: PASSWORD,
      identifier: 'jane.doe',
      loginUrl: 'https://portal.example.com/login',
      mustChange: true,
      expiresAt: NOW + 3 * DAY,
    },
    {
      kind: 'credentials',
      name: 'Jane',
      password: PASSWORD,
      identifier: 'jane.doe',
      loginUrl: 'https://portal.example.com/login',
      mustChange: false,
      expiresAt: null,
    },
  ],
  'password-changed': [
    { kind: 'password-changed', name: 'Jane', at: NOW, byStaff: false },
    { kind: 'password-changed', name: 'Jane', at: NOW, byStaff: true },
  ],
  'password-set': [{ kind: 'password-set', name: 'Jane', at: NOW }],
  'email-changed': [{ kind: 'email-changed', name: 'Jane', newEmail: 'jane.new@example.com', at: NOW }],
  'verify-email': [{ kind: 'verify-email', name: 'Jane', link: LINK, expiresAt: NOW + DAY }],
};
const allMails = Object.values(mails).flat() as MailContent[];

/** The moment a mail names: when it happened, or when its link or password expires. */
function dateOf(content: MailContent): number | null {
  if ('at' in content) return content.at;
  return content.expiresAt;
}

const render = (content: MailContent, locale: Locale) =>
  renderMail(content, { id: TENANT, name: TENANT_NAME, locale }, { now: NOW });

/** The blocks of a text part that hold words (the tenant's name and the code are the same in any language). */
const wordedBlocks = (text: string) =>
  text
    .split('\n\n')
    .map((block) => block.trim())
    .filter((block) => block !== TENANT_NAME && block !== CODE);

describe.each(TRANSLATED)('every mail in %s', (locale) => {
  it.each(allMails.map((content, i) => [`${content.kind} #${i}`, content] as const))(
    '%s: in the language, with the tenant, the member, the date and no English sentence',
    (_, content) => {
      const mail = render(content, locale);
      const en = render(content, 'en');
      expect(mail.subject).toContain(TENANT_NAME);
      expect(mail.subject).not.toBe(en.subject);
      expect(mail.text).toContain('Jane');
      expect(mail.html).toContain(`<html lang="${locale}">`);
      const at = dateOf(content);
      if (at !== null) expect(mail.text).toContain(formatDate(at, locale));
      if (content.kind === 'reset' || content.kind === 'verify-email' || content.kind === 'credentials') {
        const within = formatWithin((content.expiresAt ?? NOW) - NOW, locale);
        if (within) expect(mail.text).toContain(within);
      }
      if (content.kind === 'email-changed') expect(mail.text).toContain('j***@example.com');
      const englishBlocks = new Set(wordedBlocks(en.text));
      for (const block of wordedBlocks(mail.text)) expect(englishBlocks.has(block), block).toBe(false);
    },
  );
});

const PAGES: HostedPage[] = ['forgot', 'reset', 'welcome', 'verify-email', 'login'];

/** As Hono's `html` writes a value into the page. */
const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const escaped = (value: string) => value.replace(/[&<>"']/g, (char) => ENTITIES[char]);

describe.each(TRANSLATED)('every hosted page in %s', (locale) => {
  it.each(PAGES)('%s: its own words, none of the English ones', async (page) => {
    const pageHtml = async (l: Locale) =>
      (
        await renderHostedPage({ page, tenant: null, locale: l, mountPath: '', apiBase: '/api', nonce: 'n' })
      ).toString();
    const html = await pageHtml(locale);
    const t = serverText[locale].pages;
    const en = serverText.en.pages;
    expect(html).toContain(`<html lang="${locale}">`);
    const shown =
      page === 'login'
        ? ([
            'identifier',
            'password',
            'logIn',
            'forgotPassword',
            'networkError',
            'signedInTitle',
            'signedInAs',
            'changePassword',
            'logOut',
            'passwordChanged',
          ] as const)
        : (['backToLogin'] as const);
    for (const key of ['portal', 'needsScript', ...shown] as const) {
      expect(html, key).toContain(escaped(t[key]));
      expect(html, key).not.toContain(`>${escaped(en[key])}<`);
    }
    expect(html).toContain(`<title>${escaped(t.titles[page])} · ${escaped(t.portal)}</title>`);
  });
});

describe('the API in Spanish, German and Portuguese', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => t.close());

  it('an error answer with Accept-Language: es is in Spanish, same code and status', async () => {
    const account = await t.seedClient({ password: OLD_PASSWORD });
    const res = await t.post(
      '/api/login',
      { identifier: account.email, password: 'not-the-password-1' },
      { 'Accept-Language': 'es-ES,es;q=0.9,en;q=0.5' },
    );
    const body = await expectError(res, 401, 'invalid_credentials');
    expect(body).toEqual({
      error: { code: 'invalid_credentials', message: 'Nombre de usuario o contraseña incorrectos.' },
    });
    const staff = await t.asStaff();
    const field = await t.patch(
      `/api/admin/clients/${account.id}`,
      { name: '' },
      { ...staff, 'Accept-Language': 'es' },
    );
    expect((await expectError(field, 400, 'invalid_request')).error.message).toBe(
      'Falta el campo «name» o no es válido.',
    );
    for (const [language, message] of [
      ['de-AT', 'Benutzername oder Passwort ist falsch.'],
      ['pt-BR', 'Nome de usuário ou senha incorretos.'],
    ]) {
      const other = await t.post(
        '/api/login',
        { identifier: account.email, password: 'not-the-password-1' },
        { 'Accept-Language': language },
      );
      expect((await expectError(other, 401, 'invalid_credentials')).error.message).toBe(message);
    }
    const events = await getEvents(t, account.id, { ...staff, 'Accept-Language': 'es' });
    // Three refused logins in a row, counted on one record.
    expect(events.map((event) => event.text)).toContain('Inicio de sesión (rechazo) × 3');
  });

  it('a tenant in Spanish: provisioning takes the locale and its mail is in Spanish', async () => {
    expect((await t.provisionTenant(TENANT, { name: 'Estudio Sol', locale: 'es' })).status).toBe(201);
    const account = await t.seedClient({ email: 'lucia@example.com', password: OLD_PASSWORD });
    expect(
      (await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, await t.asStaff())).status,
    ).toBe(202);
    const [mail] = await t.mailsTo('lucia@example.com');
    expect(mail.subject).toBe('Restablezca su contraseña de Estudio Sol');
    expect(mail.text).toMatch(/^Hola, Jamie Rivera:$/m);
    const refused = await t.provisionTenant(TENANT, { name: 'Estudio Sol', locale: 'it' });
    expect((await expectError(refused, 400, 'invalid_request')).error).toMatchObject({ fields: ['locale'] });
  });
});
