/** Login throttling under attack: trusted devices, the 15-minute cap, resets that start over, parallel right passwords, names kept apart. */
import { afterEach, describe, expect, it } from 'vitest';
import { SECOND } from '../../server/clock.js';
import { createTestApp, GOOD_PASSWORD, OTHER_GOOD_PASSWORD, type TestApp } from '../helpers/app.js';
import { storeBackends } from '../helpers/store-backends.js';
import { bearer, bodyOf, expectError, forgot, tamperSignature } from './api-member-helpers.js';

const EMAIL = 'jamie@example.com';
const USERNAME = 'jamie.rivera';
const PASSWORD = GOOD_PASSWORD;
const WRONG = 'not-the-password-at-all';
/** Where the member usually logs in from (the test app's default socket address). */
const HOME = '192.0.2.10';
/** Addresses the member never used before: a new laptop, a phone on another network. */
const NEW_ADDRESS = '192.0.2.77';
const OTHER_NEW_ADDRESS = '192.0.2.88';
/** The longest lock: 15 minutes. */
const MAX_RETRY_AFTER = 15 * 60;

/** One attacker address per number, none of them the member's. */
const attackerAddress = (n: number) => `203.0.113.${n}`;

let t: TestApp;
afterEach(() => t?.close());

interface LoginOk {
  status: 'ok';
  session: string;
  expiresAt: string;
  device: string;
}

/** POST /api/login from `ip`, with the device tokens the browser kept (none: an unknown device). */
function attempt(identifier: string, password: string, ip: string, devices?: string[]) {
  return t.post('/api/login', { identifier, password, ...(devices ? { devices } : {}) }, undefined, ip);
}

/** A login that must succeed; returns its session and device token. */
async function loggedIn(res: Response): Promise<LoginOk> {
  const body = await bodyOf<LoginOk>(res);
  expect({ status: res.status, body: body.status }).toEqual({ status: 200, body: 'ok' });
  return body;
}

/** A 429 `too_many_attempts`; returns its Retry-After in seconds, which is never more than 15 minutes. */
async function locked(res: Response): Promise<number> {
  const body = await expectError(res, 429, 'too_many_attempts');
  const retryAfter = Number(res.headers.get('Retry-After'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(MAX_RETRY_AFTER);
  expect(body.error.retryAfter).toBe(retryAfter);
  return retryAfter;
}

/**
 * Wrong guesses spread over many addresses (each within its own free failures), all at once:
 * 25 × 5 = 125, past the account-wide bound of 100. Returns the statuses the attacker saw.
 */
async function attack(identifier: string, addresses = 25, guesses = 5): Promise<number[]> {
  const perAddress = await Promise.all(
    Array.from({ length: addresses }, async (_, i) => {
      const statuses: number[] = [];
      for (let guess = 0; guess < guesses; guess++)
        statuses.push((await attempt(identifier, `${WRONG}-${guess}`, attackerAddress(i + 1))).status);
      return statuses;
    }),
  );
  const statuses = perAddress.flat();
  // Every guess was checked (401) until the account-wide bound, then refused (429): nothing else.
  expect(statuses.filter((status) => status !== 401 && status !== 429)).toEqual([]);
  expect(statuses.filter((status) => status === 401).length).toBeGreaterThanOrEqual(100);
  expect(statuses).toContain(429);
  return statuses;
}

const seedMember = () => t.seedClient({ email: EMAIL, username: USERNAME, password: PASSWORD });

/** The member logs in once from home and keeps the device token, as the login page does. */
async function memberAtHome(): Promise<LoginOk> {
  return loggedIn(await attempt(EMAIL, PASSWORD, HOME));
}

/** The same token, claiming to be for account `sub`, its signature unchanged. */
function relabel(token: string, sub: string): string {
  const [header, payload, signature] = token.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
  return `${header}.${Buffer.from(JSON.stringify({ ...claims, sub })).toString('base64url')}.${signature}`;
}

describe('an attacker past the account-wide bound', () => {
  /** @see issue 9, item 1: the right password from a device that logged in before is never locked out. */
  it('never makes the right password fail from a device that logged in before, from any address', async () => {
    t = await createTestApp();
    await seedMember();
    const { device } = await memberAtHome();
    await attack(EMAIL);

    // The member's laptop, now on another network: its device token makes it trusted.
    await loggedIn(await attempt(EMAIL, PASSWORD, NEW_ADDRESS, [device]));
    // The same password from a device the account never saw waits, at most 15 minutes.
    await locked(await attempt(EMAIL, PASSWORD, OTHER_NEW_ADDRESS));
  }, 30_000);

  /** @see issue 9, item 1: an attacker must not lock a member out for long. */
  it('never locks unknown devices out for longer than 15 minutes, however long the guessing goes on', async () => {
    t = await createTestApp();
    await seedMember();
    await attack(EMAIL);

    // The attacker guesses again as soon as each delay ends, from ever new addresses.
    const delays: number[] = [];
    for (let round = 0; round < 14; round++) {
      const address = attackerAddress(100 + round);
      const retryAfter = await locked(await attempt(EMAIL, WRONG, address));
      delays.push(retryAfter);
      t.clock.advance(retryAfter * SECOND);
      await expectError(await attempt(EMAIL, WRONG, address), 401, 'invalid_credentials');
    }
    // The delays grew to the cap and stayed there.
    expect(Math.max(...delays)).toBe(MAX_RETRY_AFTER);
    expect(delays.slice(-3)).toEqual([MAX_RETRY_AFTER, MAX_RETRY_AFTER, MAX_RETRY_AFTER]);

    // Right after the last guess the member, on a new device, waits at most 15 minutes; then gets in.
    const wait = await locked(await attempt(EMAIL, PASSWORD, NEW_ADDRESS));
    t.clock.advance(wait * SECOND);
    await loggedIn(await attempt(EMAIL, PASSWORD, NEW_ADDRESS));
  }, 30_000);

  /** @see issue 9, item 1: a completed reset clears the counters. */
  it('is forgotten as soon as the member resets the password by link: a new device logs in at once', async () => {
    t = await createTestApp();
    await seedMember();
    await attack(EMAIL);
    await locked(await attempt(EMAIL, PASSWORD, NEW_ADDRESS));

    const { token } = await forgot(t, EMAIL);
    const reset = await t.post('/api/reset', { token, password: OTHER_GOOD_PASSWORD });
    expect(reset.status).toBe(200);
    // No clock move: the lock the attacker earned is gone with the old password.
    await loggedIn(await attempt(EMAIL, OTHER_GOOD_PASSWORD, OTHER_NEW_ADDRESS));
    await loggedIn(await attempt(USERNAME, OTHER_GOOD_PASSWORD, attackerAddress(1)));
  }, 30_000);

  /** @see issue 9, item 1: a completed reset clears the counters. */
  it('is forgotten as soon as the member resets the password with the code from the mail', async () => {
    t = await createTestApp();
    await seedMember();
    await attack(EMAIL);
    await locked(await attempt(EMAIL, PASSWORD, NEW_ADDRESS));

    const { code } = await forgot(t, EMAIL);
    const reset = await t.post(
      '/api/reset',
      { identifier: EMAIL, code, password: OTHER_GOOD_PASSWORD },
      undefined,
      HOME,
    );
    expect(reset.status).toBe(200);
    await loggedIn(await attempt(EMAIL, OTHER_GOOD_PASSWORD, OTHER_NEW_ADDRESS));
  }, 30_000);

  /** @see issue 9, item 1: the account-wide bound must not refuse a logged-in member's password change. */
  it('does not stop a logged-in member from changing the password with the current one', async () => {
    t = await createTestApp();
    await seedMember();
    const { session } = await memberAtHome();
    await attack(EMAIL);

    const res = await t.post(
      '/api/password/change',
      { currentPassword: PASSWORD, password: OTHER_GOOD_PASSWORD },
      bearer(session),
      HOME,
    );
    expect({ status: res.status, body: await bodyOf(res) }).toMatchObject({
      status: 200,
      body: { ok: true, session: expect.any(String) },
    });
    // A new password starts the counters afresh: the new one works from a new device straight away.
    await loggedIn(await attempt(EMAIL, OTHER_GOOD_PASSWORD, NEW_ADDRESS));
  }, 30_000);
});

describe('many right passwords at once', () => {
  const backends = storeBackends('login-throttle');

  /** @see issue 9, item 2: concurrent logins with the right password are never refused. */
  it.each(backends)(
    '120 logins with the right password, 8 at a time, all get in on %s storage (none is 429)',
    async (backend, env) => {
      t = await createTestApp({ env: await env() });
      expect(t.store.backend).toBe(backend);
      // Redis outlives each app: an address of its own.
      const email = `jamie.${Math.random().toString(36).slice(2, 10)}@example.com`;
      await t.seedClient({ email, password: PASSWORD });

      const statuses: number[] = [];
      let started = 0;
      const worker = async () => {
        while (started < 120) {
          started++;
          statuses.push((await attempt(email, PASSWORD, HOME)).status);
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      expect(statuses).toHaveLength(120);
      expect(statuses.filter((status) => status !== 200)).toEqual([]);
    },
    60_000,
  );
});

describe('per-address counters', () => {
  /** @see issue 9 (low): the per-address counter told that a username and an email were one account. */
  it('do not tell that a username and an email belong to one account', async () => {
    t = await createTestApp();
    await seedMember();
    const sequence = async (username: string, email: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await attempt(username, WRONG, NEW_ADDRESS)).status);
      statuses.push((await attempt(email, WRONG, NEW_ADDRESS)).status);
      return statuses;
    };

    const known = await sequence(USERNAME, EMAIL);
    // Five free failures for the username, then a wait; the email is counted apart, from the same address.
    expect(known).toEqual([401, 401, 401, 401, 401, 429, 401]);
    // Two names that belong to nobody answer exactly alike.
    expect(await sequence('pat.quinn', 'pat.quinn@example.com')).toEqual(known);
  });
});

describe('trusted devices', () => {
  /** @see issue 9, item 1: failures of others behind the same address once held up the member's own device. */
  it('are not held up by failures typed on other names from their network', async () => {
    t = await createTestApp();
    await seedMember();
    const { device } = await memberAtHome();
    // Someone behind the same NAT fails 100 times on made-up names: the address's window is full.
    for (let i = 0; i < 100; i++) await attempt(`guess-${i}@example.com`, WRONG, HOME);
    await locked(await attempt(EMAIL, PASSWORD, HOME));
    await loggedIn(await attempt(EMAIL, PASSWORD, HOME, [device]));
  }, 30_000);

  it('are throttled too, on their own: the account still logs in from another device', async () => {
    t = await createTestApp();
    await seedMember();
    const { device } = await memberAtHome();

    for (let i = 0; i < 5; i++)
      await expectError(await attempt(EMAIL, WRONG, HOME, [device]), 401, 'invalid_credentials');
    // The sixth try from that device waits, even with the right password.
    await locked(await attempt(EMAIL, PASSWORD, HOME, [device]));
    // Its failures are not the account's: another, unknown device logs in.
    await loggedIn(await attempt(EMAIL, PASSWORD, NEW_ADDRESS));
  });

  it('are trusted only for their own account, and only when authentic', async () => {
    t = await createTestApp();
    const other = await t.seedClient({ email: 'alex@example.com', password: OTHER_GOOD_PASSWORD });
    const member = await seedMember();
    const alexDevice = (await loggedIn(await attempt('alex@example.com', OTHER_GOOD_PASSWORD, HOME))).device;
    const { device, session } = await memberAtHome();
    expect(other.id).not.toBe(member.id);

    const untrusted: Array<[string, string]> = [
      ['another account’s device token', alexDevice],
      ['another account’s token relabelled for this one', relabel(alexDevice, member.id)],
      ['a tampered device token', tamperSignature(device)],
      ['a session token', session],
      ['garbage', 'not-a-device-token'],
    ];
    // Not under attack, tokens that prove nothing are simply ignored: the right password logs in.
    for (const [, token] of untrusted) await loggedIn(await attempt(EMAIL, PASSWORD, NEW_ADDRESS, [token]));

    await attack(EMAIL);
    // Under attack they give no trust: the login waits like any unknown device's.
    for (const [what, token] of untrusted) {
      const res = await attempt(EMAIL, PASSWORD, OTHER_NEW_ADDRESS, [token]);
      expect(res.status, what).toBe(429);
      await locked(res);
    }
    // The member's own authentic token still gets in, whatever stale or forged ones come before it.
    await loggedIn(
      await attempt(EMAIL, PASSWORD, OTHER_NEW_ADDRESS, [
        alexDevice,
        tamperSignature(device),
        session,
        device,
      ]),
    );
  }, 30_000);
});
