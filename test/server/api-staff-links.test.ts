/** Staff reset links and welcome emails (seed 002): the shared 5-a-day budget, link lifetimes, and the audit trail. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DAY, HOUR } from '../../server/clock.js';
import { codeFromMail, createTestApp, TENANT, tokenFromMail, type TestApp } from '../helpers/app.js';
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
} from './api-staff-helpers.js';

let t: TestApp;
/** A fresh staff token: the tests move the clock past a token's hour. */
const h = () => t.asStaff({ tid: TENANT, sub: 'desk-3' });

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const send = async (id: string, kind: 'reset-link' | 'invite') =>
  t.post(`/api/admin/clients/${id}/${kind}`, undefined, await h());

describe.each(['reset-link', 'invite'] as const)('POST /api/admin/clients/:id/%s', (kind) => {
  it('202 {ok, resendsLeft} counting 4,3,2,1,0; the 6th is 429 resend_limit saying when; after 24 h it works again', async () => {
    const account = await t.seedClient({
      name: 'Ada Park',
      email: 'ada@example.com',
      password: OLD_PASSWORD,
    });
    const start = t.clock.now();
    const left: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await send(account.id, kind);
      expect(res.status).toBe(202);
      const body = await json<{ ok: boolean; resendsLeft: number }>(res);
      expect(body.ok).toBe(true);
      left.push(body.resendsLeft);
      t.clock.advance(HOUR);
    }
    expect(left).toEqual([4, 3, 2, 1, 0]);
    expect(await t.mailsTo('ada@example.com')).toHaveLength(5);

    // Now start + 5 h; the first mail leaves the window at start + 24 h, i.e. in 19 h.
    const refused = await send(account.id, kind);
    const body = await expectError(refused, 429, 'resend_limit');
    const retryAt = start + 24 * HOUR;
    expect(refused.headers.get('Retry-After')).toBe(String(19 * 3600));
    expect(Date.parse(body.error.retryAt!)).toBe(retryAt);
    // A sentence for people (translated), no machine timestamp: the time is in `retryAt`.
    expect(body.error.message).toBe('The limit of emails to this client in 24 hours is reached.');
    expect(await t.mailsTo('ada@example.com')).toHaveLength(5);

    const summary = await getSummary(t, account.id, await h());
    expect(summary.resendsLeft).toBe(0);
    expect(summary.capabilities).toMatchObject({ resetLink: false, invite: false });
    // The time is in resendsRetryAt (for the reader's time zone), not in the sentence.
    expect(summary.resendsRetryAt).toBe(new Date(retryAt).toISOString());
    expect(summary.reasons.resetLink).toBe('The limit of 5 emails in 24 hours is reached.');

    // Exactly when Retry-After said, one place is free again.
    t.clock.advance(19 * HOUR);
    const again = await send(account.id, kind);
    expect(again.status).toBe(202);
    expect(await json<{ resendsLeft: number }>(again)).toMatchObject({ ok: true, resendsLeft: 0 });
    expect(await t.mailsTo('ada@example.com')).toHaveLength(6);
    // The next place frees one hour later (the second mail was sent at start + 1 h).
    const next = await send(account.id, kind);
    expect(next.headers.get('Retry-After')).toBe(String(3600));

    t.clock.advance(DAY);
    expect((await getSummary(t, account.id, await h())).resendsLeft).toBe(5);
  });

  it('409 no_email for a client without an email, without using the budget', async () => {
    const account = await t.seedClient({ name: 'No Mail', email: null, username: 'no_mail' });
    for (let i = 0; i < 6; i++) await expectError(await send(account.id, kind), 409, 'no_email');
    expect((await getSummary(t, account.id, await h())).resendsLeft).toBe(5);
  });

  it('404 not_found for an unknown client', async () => {
    await expectError(await send('missing-client', kind), 404, 'not_found');
  });
});

it('reset-link and invite share one budget of 5', async () => {
  const account = await t.seedClient({ name: 'Bo Shared', email: 'bo@example.com' });
  const order = ['reset-link', 'invite', 'reset-link', 'invite', 'invite'] as const;
  const left = [];
  for (const kind of order)
    left.push((await json<{ resendsLeft: number }>(await send(account.id, kind))).resendsLeft);
  expect(left).toEqual([4, 3, 2, 1, 0]);
  await expectError(await send(account.id, 'reset-link'), 429, 'resend_limit');
  await expectError(await send(account.id, 'invite'), 429, 'resend_limit');
  const kinds = (await t.mailsTo('bo@example.com')).map((message) => message.kind).sort();
  expect(kinds).toEqual(['invite', 'invite', 'invite', 'reset', 'reset']);
});

describe('what the client receives', () => {
  it('a reset link works end to end, the newest link voids the older one, and a used link never works again', async () => {
    const account = await t.seedClient({
      name: 'Cleo Hart',
      email: 'cleo@example.com',
      password: OLD_PASSWORD,
    });
    await send(account.id, 'reset-link');
    t.clock.advance(1000);
    await send(account.id, 'reset-link');
    const [newest, older] = await t.mailsTo('cleo@example.com');
    expect(newest.kind).toBe('reset');
    const oldToken = tokenFromMail(older);
    const token = tokenFromMail(newest);
    expect(newest.text).toContain(`${t.config.publicUrl}/reset?tenant=${TENANT}#token=`);

    await expectError(
      await t.post('/api/reset', { token: oldToken, password: NEW_PASSWORD }),
      410,
      'link_replaced',
    );
    expect((await t.post('/api/reset', { token, password: NEW_PASSWORD })).status).toBe(200);
    await expectError(await t.post('/api/reset', { token, password: NEWER_PASSWORD }), 410, 'link_used');
    expect((await login(t, 'cleo@example.com', NEW_PASSWORD)).result).toBe('ok');
    expect((await login(t, 'cleo@example.com', OLD_PASSWORD)).result).toBe('invalid_credentials');
    expect((await getSummary(t, account.id, await h())).status).toBe('active');
  });

  it('the code printed in the reset mail works from another device', async () => {
    const account = await t.seedClient({
      name: 'Dev Ice',
      email: 'device@example.com',
      password: OLD_PASSWORD,
    });
    await send(account.id, 'reset-link');
    const [mail] = await t.mailsTo('device@example.com');
    const res = await t.post('/api/reset', {
      identifier: 'device@example.com',
      code: codeFromMail(mail),
      password: NEW_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect((await login(t, 'device@example.com', NEW_PASSWORD)).result).toBe('ok');
  });

  it('a reset link expires after 24 hours', async () => {
    const account = await t.seedClient({
      name: 'Eli Stone',
      email: 'eli@example.com',
      password: OLD_PASSWORD,
    });
    await send(account.id, 'reset-link');
    const token = tokenFromMail((await t.mailsTo('eli@example.com'))[0]);
    t.clock.advance(24 * HOUR + 1000);
    await expectError(await t.post('/api/reset', { token, password: NEW_PASSWORD }), 410, 'link_expired');
    expect((await login(t, 'eli@example.com', OLD_PASSWORD)).result).toBe('ok');
  });

  it('a welcome link stays valid until used (30 days later) and sets the first password', async () => {
    const account = await t.seedClient({ name: 'Fay Wong', email: 'fay@example.com', emailConfirmed: false });
    const res = await send(account.id, 'invite');
    expect(res.status).toBe(202);
    const [mail] = await t.mailsTo('fay@example.com');
    expect(mail.kind).toBe('invite');
    expect(mail.text).toContain(`${t.config.publicUrl}/welcome?tenant=${TENANT}#token=`);
    t.clock.advance(30 * DAY);
    const token = tokenFromMail(mail);
    expect(await json<{ purpose: string }>(await t.post('/api/links/inspect', { token }))).toMatchObject({
      purpose: 'invite',
    });
    expect((await t.post('/api/reset', { token, password: NEW_PASSWORD })).status).toBe(200);
    expect((await login(t, 'fay@example.com', NEW_PASSWORD)).result).toBe('ok');
    expect(await getSummary(t, account.id, await h())).toMatchObject({
      status: 'active',
      emailConfirmed: true,
    });
  });

  it('a newer welcome email voids the older one', async () => {
    const account = await t.seedClient({ name: 'Gus Lee', email: 'gus@example.com' });
    await send(account.id, 'invite');
    t.clock.advance(1000);
    await send(account.id, 'invite');
    const [newest, older] = await t.mailsTo('gus@example.com');
    await expectError(
      await t.post('/api/reset', { token: tokenFromMail(older), password: NEW_PASSWORD }),
      410,
      'link_replaced',
    );
    expect(
      (await t.post('/api/reset', { token: tokenFromMail(newest), password: NEW_PASSWORD })).status,
    ).toBe(200);
  });

  it('a staff-set password kills a reset link sent earlier', async () => {
    const account = await t.seedClient({
      name: 'Hal Cole',
      email: 'hal@example.com',
      password: OLD_PASSWORD,
    });
    await send(account.id, 'reset-link');
    const token = tokenFromMail((await t.mailsTo('hal@example.com'))[0]);
    await t.post(
      `/api/admin/clients/${account.id}/password`,
      { mode: 'random', delivery: 'email' },
      await h(),
    );
    const reset = await t.post('/api/reset', { token, password: NEW_PASSWORD });
    expect(reset.status).toBe(410);
  });
});

describe('GET /api/admin/clients/:id/events', () => {
  it('records every staff action, newest first, with no secret anywhere', async () => {
    const created = await json<{ id: string; password: string }>(
      await t.post(
        '/api/admin/clients',
        {
          name: 'Iris Vale',
          email: 'iris@example.com',
          emailConfirmed: true,
          credentials: { mode: 'random', delivery: 'display' },
        },
        await h(),
      ),
    );
    const id = created.id;
    const secrets: string[] = [created.password];
    const step = () => t.clock.advance(1000);

    step();
    await t.patch(`/api/admin/clients/${id}`, { name: 'Iris M. Vale' }, await h());
    step();
    await t.patch(`/api/admin/clients/${id}`, { email: 'iris@example.com', emailConfirmed: true }, await h());
    step();
    await t.post(
      `/api/admin/clients/${id}/password`,
      { mode: 'custom', password: 'short', delivery: 'none' },
      await h(),
    );
    secrets.push('short');
    step();
    await t.post(
      `/api/admin/clients/${id}/password`,
      { mode: 'custom', password: NEW_PASSWORD, delivery: 'none' },
      await h(),
    );
    secrets.push(NEW_PASSWORD);
    step();
    await t.post(`/api/admin/clients/${id}/password`, { mode: 'random', delivery: 'email' }, await h());
    step();
    const temp = await json<{ password: string }>(
      await t.post(
        `/api/admin/clients/${id}/password`,
        { mode: 'random', delivery: 'display', temporary: true },
        await h(),
      ),
    );
    secrets.push(temp.password);
    for (let i = 0; i < 3; i++) {
      step();
      await send(id, 'reset-link');
    }
    for (let i = 0; i < 2; i++) {
      step();
      await send(id, 'invite');
    }
    step();
    await send(id, 'invite'); // refused: budget
    step();
    await login(t, 'iris@example.com', 'a-wrong-password-here');

    const mails = await t.mailsTo('iris@example.com');
    for (const mail of mails) {
      if (mail.kind === 'credentials') secrets.push(passwordInMail(mail));
      if (mail.kind === 'reset' || mail.kind === 'invite')
        secrets.push(tokenFromMail(mail), codeFromMail(mail));
    }

    const res = await t.get(`/api/admin/clients/${id}/events`, await h());
    expect(res.status).toBe(200);
    const text = await res.clone().text();
    const events = (
      await json<{ items: Array<{ at: string; actor: string; action: string; outcome: string }> }>(res)
    ).items;

    for (const event of events) {
      expect(typeof event.at).toBe('string');
      expect(Number.isNaN(Date.parse(event.at))).toBe(false);
      expect(typeof event.actor).toBe('string');
      expect(typeof event.action).toBe('string');
      expect(['ok', 'refused', 'failed']).toContain(event.outcome);
    }
    const times = events.map((event) => Date.parse(event.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const byStaff = events.filter((event) => event.actor.includes('desk-3'));
    // create, 2 patches, 4 password attempts, 3 reset links, 3 invite attempts
    expect(byStaff).toHaveLength(13);
    const actions = new Set(byStaff.map((event) => event.action));
    expect(actions.size).toBeGreaterThanOrEqual(5); // create, update, password, reset link, invite are told apart
    expect(byStaff.filter((event) => event.outcome === 'refused')).toHaveLength(2);
    // Newest first: the member's failed login, then the refused invite.
    expect(events[0].actor).toBe('member');
    expect(events[1]).toMatchObject({ outcome: 'refused' });
    expect(events[events.length - 1]).toMatchObject({ outcome: 'ok' });
    expect(events[events.length - 1].actor).toContain('desk-3');

    // Never a secret: passwords, tokens, codes, hashes.
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/argon2|\$v=19|eyJ/);
  });

  it('404 not_found for an unknown client', async () => {
    await expectError(await t.get('/api/admin/clients/missing/events', await h()), 404, 'not_found');
  });

  it('events list the member side too (the forced change after a temporary password)', async () => {
    const account = await t.seedClient({
      name: 'Jon Amar',
      email: 'jon@example.com',
      password: OLD_PASSWORD,
    });
    const temp = await json<{ password: string }>(
      await t.post(
        `/api/admin/clients/${account.id}/password`,
        { mode: 'random', delivery: 'display', temporary: true },
        await h(),
      ),
    );
    t.clock.advance(1000);
    const first = await login(t, 'jon@example.com', temp.password);
    t.clock.advance(1000);
    await t.post('/api/password/force-change', { challenge: first.challenge, password: NEW_PASSWORD });
    const events = await getEvents(t, account.id, await h());
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events[0].actor).toBe('member');
    expect(events.some((event) => event.actor.includes('desk-3'))).toBe(true);
    expect(JSON.stringify(events)).not.toContain(temp.password);
  });
});
