/**
 * Mails that fit what happened and who sent them, through a real SMTP server: a first password
 * chosen from a welcome link is "set", not "changed"; the button wears the tenant's colour.
 */
import type { ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, OTHER_TENANT, TENANT, type TestApp } from '../helpers/app.js';
import { extractCode, extractLink, startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import {
  json,
  login,
  NEW_PASSWORD,
  NEWER_PASSWORD,
  OLD_PASSWORD,
  type Summary,
} from './api-staff-helpers.js';

let sink: SmtpSink | undefined;
let t: TestApp | undefined;

afterEach(async () => {
  await t?.close();
  await sink?.stop();
  t = undefined;
  sink = undefined;
});

async function start(): Promise<{ sink: SmtpSink; t: TestApp }> {
  sink = await startSmtpSink();
  t = await createTestApp({ env: { MAIL: 'smtp', SMTP_URL: sink.url } });
  return { sink, t };
}

const tokenOf = (link: string) => new URL(link).hash.replace(/^#token=/, '');
const html = (mail: ParsedMail) => (typeof mail.html === 'string' ? mail.html : '');

/** Mails that arrive after `before` of them had, once the background work is done. */
async function newMails(sink: SmtpSink, t: TestApp, before: number, count: number): Promise<ParsedMail[]> {
  await t.drain();
  return (await sink.waitFor(before + count)).slice(before);
}

describe('the notice after a first password', () => {
  it('from a welcome link says the password is set and the account ready, never "changed"', async () => {
    const { sink, t } = await start();
    expect((await t.provisionTenant(TENANT, { name: 'Harbor Fitness' })).status).toBe(201);
    const staff = await t.asStaff();
    await json<Summary>(
      await t.post(
        '/api/admin/clients',
        { name: 'Wes Park', email: 'wes@example.com', credentials: { invite: true } },
        staff,
      ),
    );
    const [welcome] = await sink.waitFor(1);
    expect(
      (await t.post('/api/reset', { token: tokenOf(extractLink(welcome)!), password: NEW_PASSWORD })).status,
    ).toBe(200);

    const [notice] = await newMails(sink, t, 1, 1);
    expect(notice.subject).toBe('Your Harbor Fitness password is set');
    expect(notice.text).toContain('You set the password of your Harbor Fitness account on ');
    expect(notice.text).toContain('Monday, January 5, 2026');
    expect(notice.text).toContain('Your account is ready: you can now log in.');
    expect(`${notice.subject ?? ''}\n${notice.text ?? ''}\n${html(notice)}`).not.toMatch(/changed/i);
    expect((await login(t, 'wes@example.com', NEW_PASSWORD)).result).toBe('ok');
  });

  it('with the welcome mail’s code, in the tenant’s language (French)', async () => {
    const { sink, t } = await start();
    expect((await t.provisionTenant(TENANT, { name: 'Club Lumière', locale: 'fr' })).status).toBe(201);
    await t.post(
      '/api/admin/clients',
      { name: 'Léa Roux', email: 'lea@example.com', credentials: { invite: true } },
      await t.asStaff(),
    );
    const [welcome] = await sink.waitFor(1);
    const res = await t.post('/api/reset', {
      identifier: 'lea@example.com',
      code: extractCode(welcome),
      password: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    const [notice] = await newMails(sink, t, 1, 1);
    expect(notice.subject).toBe('Votre mot de passe Club Lumière est défini');
    expect(notice.text).toContain('Vous avez défini le mot de passe de votre compte Club Lumière le ');
    expect(notice.text).not.toContain('modifié');
  });

  it('a later reset of that password is a change again', async () => {
    const { sink, t } = await start();
    expect((await t.provisionTenant(TENANT, { name: 'Harbor Fitness' })).status).toBe(201);
    const account = await t.seedClient({
      name: 'Lina Ortiz',
      email: 'lina@example.com',
      password: OLD_PASSWORD,
    });
    await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, await t.asStaff());
    const [reset] = await sink.waitFor(1);
    expect(
      (await t.post('/api/reset', { token: tokenOf(extractLink(reset)!), password: NEWER_PASSWORD })).status,
    ).toBe(200);
    const [notice] = await newMails(sink, t, 1, 1);
    expect(notice.subject).toBe('Your Harbor Fitness password was changed');
  });
});

/** The call-to-action of an HTML mail: the link whose text is `label`, and its inline style. */
function buttonStyle(mail: ParsedMail, label: string): Record<string, string> {
  const anchors = [...html(mail).matchAll(/<a\s[^>]*style="([^"]*)"[^>]*>([^<]*)<\/a>/g)];
  const button = anchors.find(([, , text]) => text === label);
  if (!button) throw new Error(`no button "${label}" in: ${html(mail).slice(0, 500)}`);
  return Object.fromEntries(
    button[1]
      .split(';')
      .filter(Boolean)
      .map((declaration) => {
        const [name, ...value] = declaration.split(':');
        return [name.trim(), value.join(':').trim()];
      }),
  );
}

describe('the button of an HTML mail', () => {
  /** A reset link mailed by staff of `tenant` to a fresh member; returns the parsed mail. */
  async function resetMailOf(tenant: string, email: string): Promise<ParsedMail> {
    const before = sink!.messages.length;
    const account = await t!.seedClient({ email, tenants: [tenant], password: OLD_PASSWORD });
    const sent = await t!.post(
      `/api/admin/clients/${account.id}/reset-link`,
      undefined,
      await t!.asStaff({ tid: tenant }),
    );
    expect(sent.status).toBe(202);
    const [mail] = await newMails(sink!, t!, before, 1);
    return mail;
  }

  it('takes the tenant’s brand colour, with text that reads on it; no colour keeps the default', async () => {
    await start();
    const brand = (primaryColor: string) => ({ name: 'Harbor Fitness', brand: { primaryColor } });
    expect((await t!.provisionTenant(TENANT, brand('#FFCC00'))).status).toBe(201);
    expect((await t!.provisionTenant(OTHER_TENANT, { name: 'Plain Gym' })).status).toBe(201);

    const light = buttonStyle(await resetMailOf(TENANT, 'light@example.com'), 'Choose a new password');
    expect(light['background-color']).toBe('#FFCC00');
    expect(light.color).toBe('#111111');

    expect((await t!.provisionTenant(TENANT, brand('#7a1f5c'))).status).toBe(200);
    const dark = buttonStyle(await resetMailOf(TENANT, 'dark@example.com'), 'Choose a new password');
    expect(dark['background-color']).toBe('#7a1f5c');
    expect(dark.color).toBe('#ffffff');

    const plain = buttonStyle(await resetMailOf(OTHER_TENANT, 'plain@example.com'), 'Choose a new password');
    expect(plain['background-color']).toBe('#1d4ed8');
    expect(plain.color).toBe('#ffffff');
  });

  it('keeps the default for a colour the mail cannot use safely (with alpha)', async () => {
    await start();
    const res = await t!.provisionTenant(TENANT, {
      name: 'Harbor Fitness',
      brand: { primaryColor: '#ffcc0080' },
    });
    expect(res.status).toBe(201);
    const style = buttonStyle(await resetMailOf(TENANT, 'alpha@example.com'), 'Choose a new password');
    expect(style['background-color']).toBe('#1d4ed8');
    expect(style.color).toBe('#ffffff');
  });
});
