/**
 * Races and throttling gaps found in review: checks repeated inside the write, links recorded only
 * while still allowed, throttling that neither tells known names apart nor lets one attacker lock a
 * member out, every link dying on a password change, IPv6 buckets, public keys for any listed alg.
 */
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/clock.js';
import { createStaffVerifier } from '../../server/crypto/staff-tokens.js';
import { limitBucket } from '../../server/http/client-ip.js';
import type { MailRequest } from '../../server/mail/mailer.js';
import {
  createTestApp,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  OTHER_TENANT,
  PROVISION_KEY,
  TENANT,
  tokenFromMail,
  type TestApp,
} from '../helpers/app.js';

let t: TestApp;
afterEach(() => t.close());

/** Holds every mail at a gate until `release()`, like a slow SMTP server. */
function holdMail(app: TestApp) {
  const original = app.deps.mailer.send.bind(app.deps.mailer);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let arrived!: () => void;
  const waiting = new Promise<void>((resolve) => (arrived = resolve));
  app.deps.mailer.send = async (request: MailRequest) => {
    arrived();
    await gate;
    return original(request);
  };
  return { waiting, release };
}

const provision = (id: string, body: unknown) =>
  t.put(`/api/provision/clients/${id}`, body, { Authorization: `Bearer ${PROVISION_KEY}` });

describe('staff writes re-check tenant and sharing inside the write', () => {
  it('a client shared while the credentials mail is on its way does not get the staff-chosen password', async () => {
    t = await createTestApp();
    const client = await t.seedClient({ email: 'kai@example.com', password: GOOD_PASSWORD });
    const mail = holdMail(t);
    const pending = t.post(
      `/api/admin/clients/${client.id}/password`,
      { mode: 'custom', password: OTHER_GOOD_PASSWORD, delivery: 'email' },
      await t.asStaff(),
    );
    await mail.waiting;
    expect(
      (
        await provision(client.id, {
          name: client.name,
          email: client.email,
          tenants: [TENANT, OTHER_TENANT],
        })
      ).status,
    ).toBe(200);
    mail.release();
    const res = await pending;
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ error: { code: 'custom_unavailable' } });
    expect(
      (await t.post('/api/login', { identifier: 'kai@example.com', password: OTHER_GOOD_PASSWORD })).status,
    ).toBe(401);
    expect(
      (await t.post('/api/login', { identifier: 'kai@example.com', password: GOOD_PASSWORD })).status,
    ).toBe(200);
  });

  it('a client moved to another tenant meanwhile is a 404 for the first tenant’s write', async () => {
    t = await createTestApp();
    const client = await t.seedClient({ email: 'kai@example.com', password: GOOD_PASSWORD });
    const mail = holdMail(t);
    const pending = t.post(
      `/api/admin/clients/${client.id}/password`,
      { mode: 'random', delivery: 'email' },
      await t.asStaff(),
    );
    await mail.waiting;
    await provision(client.id, { name: client.name, email: client.email, tenants: [OTHER_TENANT] });
    mail.release();
    expect((await pending).status).toBe(404);
    expect(
      (await t.post('/api/login', { identifier: 'kai@example.com', password: GOOD_PASSWORD })).status,
    ).toBe(200);
  });
});

describe('a self-service link is recorded only while it is still allowed', () => {
  it('a forgot mail racing a temporary password does not give a working reset link', async () => {
    t = await createTestApp();
    const client = await t.seedClient({ email: 'noa@example.com', password: GOOD_PASSWORD });
    const mail = holdMail(t);
    await t.post('/api/forgot', { identifier: 'noa@example.com' });
    await mail.waiting;
    const shown = (await (
      await t.post(
        `/api/admin/clients/${client.id}/password`,
        { mode: 'random', delivery: 'display', temporary: true },
        await t.asStaff(),
      )
    ).json()) as { password: string };
    mail.release();
    const [resetMail] = (await t.mailsTo('noa@example.com')).filter((m) => m.kind === 'reset');
    const res = await t.post('/api/reset', {
      token: tokenFromMail(resetMail),
      password: OTHER_GOOD_PASSWORD,
    });
    expect(res.status).toBe(410);
    expect(
      await (await t.post('/api/login', { identifier: 'noa@example.com', password: shown.password })).json(),
    ).toMatchObject({
      status: 'password_change_required',
    });
  });
});

describe('login throttling', () => {
  const wrong = (identifier: string, ip = '198.51.100.7') =>
    t.post('/api/login', { identifier, password: 'wrong-guess-xx-1' }, undefined, ip);

  it('treats known and unknown names alike: the same statuses in the same order', async () => {
    t = await createTestApp();
    await t.seedClient({ email: 'known@example.com', password: GOOD_PASSWORD });
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 8; i++) {
      known.push((await wrong('known@example.com')).status);
      unknown.push((await wrong('nobody@example.com')).status);
    }
    expect(known).toEqual(unknown);
    expect(known.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(known[5]).toBe(429);
  });

  it('an attacker guessing from one address does not lock the member out from another', async () => {
    t = await createTestApp();
    await t.seedClient({ email: 'member@example.com', password: GOOD_PASSWORD });
    for (let i = 0; i < 12; i++) {
      await wrong('member@example.com', '203.0.113.66');
      t.clock.advance(1000);
    }
    expect((await wrong('member@example.com', '203.0.113.66')).status).toBe(429);
    const member = await t.post(
      '/api/login',
      { identifier: 'member@example.com', password: GOOD_PASSWORD },
      undefined,
      '192.0.2.44',
    );
    expect(await member.json()).toMatchObject({ status: 'ok' });
  });

  it('throttles guesses of the current password through a session too', async () => {
    t = await createTestApp();
    await t.seedClient({ email: 'sam@example.com', password: GOOD_PASSWORD });
    const { session } = (await (
      await t.post('/api/login', { identifier: 'sam@example.com', password: GOOD_PASSWORD })
    ).json()) as {
      session: string;
    };
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const res = await t.post(
        '/api/password/change',
        { currentPassword: `guess-${i}-abcdefgh`, password: OTHER_GOOD_PASSWORD },
        {
          Authorization: `Bearer ${session}`,
        },
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
  });

  it('counts a whole IPv6 /64 as one address', () => {
    expect(limitBucket('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(limitBucket('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(limitBucket('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(limitBucket('::ffff:192.0.2.9')).toBe('192.0.2.9');
    expect(limitBucket('192.0.2.9')).toBe('192.0.2.9');
  });
});

describe('every link dies when the password changes', () => {
  it('a verify-email link stops working after staff set a password', async () => {
    t = await createTestApp();
    const client = await t.seedClient({ email: 'old@example.com', password: GOOD_PASSWORD });
    const staff = await t.asStaff();
    await t.patch(`/api/admin/clients/${client.id}`, { email: 'new@example.com' }, staff);
    const verify = (await t.mailsTo('new@example.com')).find((m) => m.kind === 'verify-email')!;
    expect((await t.post('/api/links/inspect', { token: tokenFromMail(verify) })).status).toBe(200);
    await t.post(`/api/admin/clients/${client.id}/password`, { mode: 'random', delivery: 'display' }, staff);
    const res = await t.post('/api/links/inspect', { token: tokenFromMail(verify) });
    expect(res.status).toBe(410);
  });
});

describe('staff tokens with a public key', () => {
  it('an ES256 or Ed25519 PEM works with the default algorithm list', async () => {
    const clock = new ManualClock();
    for (const [alg, options] of [
      ['ES256', {}],
      ['EdDSA', { crv: 'Ed25519' }],
    ] as const) {
      const pair = await generateKeyPair(alg, { ...options, extractable: true });
      const verify = await createStaffVerifier({ publicKey: await exportSPKI(pair.publicKey) }, clock);
      const now = Math.floor(clock.now() / 1000);
      const token = await new SignJWT({ tid: 't1', role: 'staff' })
        .setProtectedHeader({ alg })
        .setSubject('s1')
        .setExpirationTime(now + 60)
        .sign(pair.privateKey);
      expect(await verify(token)).toEqual({ id: 's1', tenantId: 't1', role: 'staff' });
    }
  });
});
