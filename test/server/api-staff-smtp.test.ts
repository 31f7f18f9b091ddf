/** Workflow 1 and staff links through a real SMTP server; a refusing server changes nothing; the budget is exact in parallel. */
import type { ParsedMail } from 'mailparser';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, TENANT, TEST_PUBLIC_URL, type TestApp } from '../helpers/app.js';
import { extractLink, startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import {
  expectError,
  getEvents,
  getSummary,
  json,
  login,
  NEW_PASSWORD,
  NEWER_PASSWORD,
  OLD_PASSWORD,
  passwordInMail,
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

async function start(
  options: Parameters<typeof startSmtpSink>[0] = {},
): Promise<{ sink: SmtpSink; t: TestApp }> {
  sink = await startSmtpSink(options);
  t = await createTestApp({ env: { MAIL: 'smtp', SMTP_URL: sink.url } });
  return { sink, t };
}

const everything = (mail: ParsedMail) =>
  `${mail.subject ?? ''}\n${mail.text ?? ''}\n${typeof mail.html === 'string' ? mail.html : ''}`;
const recipient = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)?.value[0]?.address;
const tokenOf = (link: string) => new URL(link).hash.replace(/^#token=/, '');
const mailFailure = { code: 550, message: 'Mailbox unavailable' };

describe('workflow 1 through a real SMTP server', () => {
  it('reset and send a random password, then a reset link: both work end to end; no other mail carries a password', async () => {
    const { sink, t } = await start();
    expect((await t.provisionTenant(TENANT, { name: 'Harbor Fitness' })).status).toBe(201);
    await t.seedClient({ name: 'Lina Ortiz', email: 'lina@example.com', password: OLD_PASSWORD });
    const staff = await t.asStaff({ tid: TENANT, sub: 'front-desk' });

    // Staff search the client list and open the lock action.
    const found = await json<{ items: Summary[] }>(await t.get('/api/admin/clients?q=ortiz', staff));
    expect(found.items).toHaveLength(1);
    const client = found.items[0];
    expect(client.capabilities.randomPassword).toBe(true);

    const res = await t.post(
      `/api/admin/clients/${client.id}/password`,
      { mode: 'random', delivery: 'email' },
      staff,
    );
    expect(res.status).toBe(200);
    expect(await json<Record<string, unknown>>(res)).toEqual({ ok: true, delivered: 'email' });

    const [credentials] = await sink.waitFor(1);
    expect(credentials.from?.value[0]?.name).toBe('Harbor Fitness');
    expect(recipient(credentials)).toBe('lina@example.com');
    expect(credentials.subject).toContain('Harbor Fitness');
    const random = passwordInMail({ text: credentials.text });
    expect(random.length).toBeGreaterThanOrEqual(12);

    expect((await login(t, 'lina@example.com', OLD_PASSWORD)).result).toBe('invalid_credentials');
    const first = await login(t, 'lina@example.com', random);
    expect(first.result).toBe('password_change_required');
    const changed = await t.post('/api/password/force-change', {
      challenge: first.challenge,
      password: NEW_PASSWORD,
    });
    expect(await json<{ status: string }>(changed)).toMatchObject({ status: 'ok' });
    expect((await login(t, 'lina@example.com', NEW_PASSWORD)).result).toBe('ok');

    // Now a reset link.
    await t.drain();
    const before = sink.messages.length;
    const sent = await t.post(`/api/admin/clients/${client.id}/reset-link`, undefined, staff);
    expect(sent.status).toBe(202);
    expect(await json<{ resendsLeft: number }>(sent)).toMatchObject({ ok: true, resendsLeft: 4 });
    const after = await sink.waitFor(before + 1);
    const resetMail = after.slice(before).find((mail) => extractLink(mail) !== null)!;
    expect(resetMail).toBeDefined();
    expect(resetMail.from?.value[0]?.name).toBe('Harbor Fitness');
    const link = extractLink(resetMail)!;
    // The tenant rides in the query (the hosted page shows its name and colours); the token never does.
    expect(link.startsWith(`${TEST_PUBLIC_URL}/reset?tenant=${TENANT}#token=`)).toBe(true);
    expect(new URL(link).search).toBe(`?tenant=${TENANT}`);
    const token = tokenOf(link);
    expect((await t.post('/api/links/inspect', { token })).status).toBe(200);
    expect((await t.post('/api/reset', { token, password: NEWER_PASSWORD })).status).toBe(200);
    expect((await login(t, 'lina@example.com', NEWER_PASSWORD)).result).toBe('ok');
    expect((await login(t, 'lina@example.com', NEW_PASSWORD)).result).toBe('invalid_credentials');

    // Every mail of the scenario: only the credentials mail carries a password, and only the random one.
    await t.drain();
    const all = sink.messages.slice();
    // credentials, the notice after the forced change, the reset link, the notice after the reset.
    expect(all.map((mail) => mail.subject)).toEqual([
      'Your Harbor Fitness login details',
      'Your Harbor Fitness password was changed',
      'Reset your Harbor Fitness password',
      'Your Harbor Fitness password was changed',
    ]);
    for (const mail of all) {
      const text = everything(mail);
      expect(recipient(mail)).toBe('lina@example.com');
      expect(mail.from?.value[0]?.name).toBe('Harbor Fitness');
      for (const secret of [OLD_PASSWORD, NEW_PASSWORD, NEWER_PASSWORD]) expect(text).not.toContain(secret);
      if (mail !== credentials) expect(text).not.toContain(random);
    }
    expect(all.filter((mail) => everything(mail).includes(random))).toEqual([credentials]);
  });

  it('a welcome email through SMTP carries a /welcome link that sets the first password', async () => {
    const { sink, t } = await start();
    const staff = await t.asStaff();
    const created = await json<Summary>(
      await t.post(
        '/api/admin/clients',
        { name: 'Wes Park', email: 'wes@example.com', credentials: { invite: true } },
        staff,
      ),
    );
    const [mail] = await sink.waitFor(1);
    const link = extractLink(mail)!;
    expect(link.startsWith(`${TEST_PUBLIC_URL}/welcome?tenant=${TENANT}#token=`)).toBe(true);
    expect((await t.post('/api/reset', { token: tokenOf(link), password: NEW_PASSWORD })).status).toBe(200);
    expect((await login(t, 'wes@example.com', NEW_PASSWORD)).result).toBe('ok');
    expect((await getSummary(t, created.id, staff)).status).toBe('active');
  });
});

describe('a refusing SMTP server', () => {
  it('password by email → 502 mail_failed and the account is exactly as before', async () => {
    const { sink, t } = await start();
    const account = await t.seedClient({
      name: 'Rhea Moss',
      email: 'rhea@example.com',
      password: OLD_PASSWORD,
    });
    const staff = await t.asStaff();

    // A reset link while the server is healthy.
    expect(
      await json<{ resendsLeft: number }>(
        await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff),
      ),
    ).toMatchObject({ resendsLeft: 4 });
    const [earlier] = await sink.waitFor(1);
    const earlierToken = tokenOf(extractLink(earlier)!);
    const before = await getSummary(t, account.id, staff);

    sink.setFailure(mailFailure);
    await expectError(
      await t.post(`/api/admin/clients/${account.id}/password`, { mode: 'random', delivery: 'email' }, staff),
      502,
      'mail_failed',
    );
    await expectError(
      await t.post(
        `/api/admin/clients/${account.id}/password`,
        { mode: 'custom', password: NEW_PASSWORD, delivery: 'email' },
        staff,
      ),
      502,
      'mail_failed',
    );
    await expectError(
      await t.post(
        `/api/admin/clients/${account.id}/password`,
        { mode: 'random', delivery: 'email', temporary: true },
        staff,
      ),
      502,
      'mail_failed',
    );

    expect(await getSummary(t, account.id, staff)).toEqual(before);
    expect(before.resendsLeft).toBe(4);
    expect((await login(t, 'rhea@example.com', NEW_PASSWORD)).result).toBe('invalid_credentials');
    expect((await login(t, 'rhea@example.com', OLD_PASSWORD)).result).toBe('ok');
    const failed = (await getEvents(t, account.id, staff)).filter((event) => event.outcome === 'failed');
    expect(failed).toHaveLength(3);

    // The link sent earlier still works.
    sink.setFailure(null);
    expect((await t.post('/api/reset', { token: earlierToken, password: NEWER_PASSWORD })).status).toBe(200);
    expect((await login(t, 'rhea@example.com', NEWER_PASSWORD)).result).toBe('ok');
    expect(sink.messages.filter((mail) => everything(mail).includes(NEW_PASSWORD))).toEqual([]);
  });

  it('reset-link and invite → 502 mail_failed without using the budget; the earlier link survives', async () => {
    const { sink, t } = await start();
    const account = await t.seedClient({
      name: 'Sol Reed',
      email: 'sol@example.com',
      password: OLD_PASSWORD,
    });
    const staff = await t.asStaff();
    await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff);
    const [earlier] = await sink.waitFor(1);

    sink.setFailure(mailFailure);
    for (let i = 0; i < 6; i++) {
      await expectError(
        await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff),
        502,
        'mail_failed',
      );
      await expectError(
        await t.post(`/api/admin/clients/${account.id}/invite`, undefined, staff),
        502,
        'mail_failed',
      );
    }
    // A transient refusal (451) is a failure too.
    sink.setFailure({ code: 451, message: 'Try again later' });
    await expectError(
      await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff),
      502,
      'mail_failed',
    );
    expect((await getSummary(t, account.id, staff)).resendsLeft).toBe(4);

    sink.setFailure(null);
    const token = tokenOf(extractLink(earlier)!);
    expect((await t.post('/api/links/inspect', { token })).status).toBe(200);
    const left: number[] = [];
    for (let i = 0; i < 4; i++) {
      left.push(
        (
          await json<{ resendsLeft: number }>(
            await t.post(`/api/admin/clients/${account.id}/invite`, undefined, staff),
          )
        ).resendsLeft,
      );
    }
    expect(left).toEqual([3, 2, 1, 0]);
    await expectError(
      await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff),
      429,
      'resend_limit',
    );
  });

  it('a server refusing from the start (failWith 550): 502, budget untouched, no client half-created', async () => {
    const { sink, t } = await start({ failWith: mailFailure });
    const account = await t.seedClient({
      name: 'Tao Fenn',
      email: 'tao@example.com',
      password: OLD_PASSWORD,
    });
    const staff = await t.asStaff();
    await expectError(
      await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff),
      502,
      'mail_failed',
    );
    await expectError(
      await t.post(`/api/admin/clients/${account.id}/invite`, undefined, staff),
      502,
      'mail_failed',
    );
    expect((await getSummary(t, account.id, staff)).resendsLeft).toBe(5);

    // Creating a client whose first mail fails creates nothing.
    await expectError(
      await t.post(
        '/api/admin/clients',
        { name: 'Una Fail', email: 'una@example.com', credentials: { mode: 'random', delivery: 'email' } },
        staff,
      ),
      502,
      'mail_failed',
    );
    await expectError(
      await t.post(
        '/api/admin/clients',
        { name: 'Una Fail', email: 'una@example.com', credentials: { invite: true } },
        staff,
      ),
      502,
      'mail_failed',
    );
    expect((await json<{ items: unknown[] }>(await t.get('/api/admin/clients?q=una', staff))).items).toEqual(
      [],
    );
    expect(sink.messages).toEqual([]);

    // Once the server accepts again, the same address can be used.
    sink.setFailure(null);
    const created = await t.post(
      '/api/admin/clients',
      { name: 'Una Fail', email: 'una@example.com', credentials: { invite: true } },
      staff,
    );
    expect(created.status).toBe(201);
    expect((await json<Summary>(created)).resendsLeft).toBe(4);
  });
});

describe('the staff email budget under parallel calls', () => {
  it('20 parallel reset-link calls: exactly 5 × 202, 15 × 429 and exactly 5 mails; only the newest link lives', async () => {
    const { sink, t } = await start();
    const account = await t.seedClient({
      name: 'Vera Quick',
      email: 'vera@example.com',
      password: OLD_PASSWORD,
    });
    const staff = await t.asStaff();

    const responses = await Promise.all(
      Array.from({ length: 20 }, () =>
        t!.post(`/api/admin/clients/${account.id}/reset-link`, undefined, staff),
      ),
    );
    const statuses = responses.map((res) => res.status);
    expect(statuses.filter((status) => status === 202)).toHaveLength(5);
    expect(statuses.filter((status) => status === 429)).toHaveLength(15);
    const left = await Promise.all(
      responses
        .filter((res) => res.status === 202)
        .map(async (res) => (await json<{ resendsLeft: number }>(res)).resendsLeft),
    );
    expect(left.sort()).toEqual([0, 1, 2, 3, 4]);
    for (const res of responses.filter((r) => r.status === 429)) {
      expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
      expect((await json<{ error: { code: string } }>(res)).error.code).toBe('resend_limit');
    }

    await t.drain();
    await sink.waitFor(5);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sink.messages).toHaveLength(5);
    expect((await getSummary(t, account.id, staff)).resendsLeft).toBe(0);

    // Every new link voids the older ones: exactly one of the five still works.
    const live = [];
    for (const mail of sink.messages) {
      const res = await t.post('/api/links/inspect', { token: tokenOf(extractLink(mail)!) });
      if (res.status === 200) live.push(mail);
      else expect(res.status).toBe(410);
    }
    expect(live).toHaveLength(1);
  });
});
