/** Reset by short code: known and unknown identifiers do the same store work, and the three try budgets hold. */
import { afterEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../server/clock.js';
import { createStore } from '../../server/store/create-store.js';
import type { Store } from '../../server/store/store.js';
import { createTestApp, GOOD_PASSWORD, OTHER_GOOD_PASSWORD, type TestApp } from '../helpers/app.js';
import { bodyOf, expectError, forgot } from './api-member-helpers.js';

const MEMBER_EMAIL = 'ana.keller@example.com';
const MEMBER_USERNAME = 'ana.k';
const MEMBER_IP = '198.51.100.20';
const ATTACKER_IP = '203.0.113.66';
/** Not a code the server would print (it never uses 0, 1, I or O), so never the right one. */
const WRONG_CODE = 'OOOO0000';

let t: TestApp;
afterEach(() => t?.close());

/** POST /api/reset with the identifier and a short code, from `ip`. */
function resetByCode(identifier: string, code: string, ip: string, password = OTHER_GOOD_PASSWORD) {
  return t.request('POST', '/api/reset', { body: { identifier, code, password }, ip });
}

/** A member with a password and a live reset mail; returns the code and link token from the mail. */
async function memberWithResetMail(app: TestApp) {
  await app.seedClient({ email: MEMBER_EMAIL, username: MEMBER_USERNAME, password: GOOD_PASSWORD });
  const mail = await forgot(app, MEMBER_EMAIL, MEMBER_IP);
  expect(mail.code).not.toBe(WRONG_CODE);
  return mail;
}

async function expectTooMany(res: Response): Promise<void> {
  await expectError(res, 429, 'too_many_attempts');
  expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
}

/**
 * A memory store that writes down the name of every method called on it while `recording` is set
 * (calls the store makes on itself are not seen: methods run against the store itself).
 */
function recordingStore() {
  const inner = createStore({ storage: 'memory' });
  const calls: string[] = [];
  const state = { recording: false };
  const store = new Proxy(inner, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (state.recording) calls.push(String(property));
        return (value as (...rest: unknown[]) => unknown).apply(target, args);
      };
    },
  }) as Store;
  /** The store methods called from the moment the request is sent until its answer arrives. */
  const during = async (
    send: () => Response | Promise<Response>,
  ): Promise<{ status: number; calls: string[] }> => {
    calls.length = 0;
    state.recording = true;
    try {
      const res = await send();
      return { status: res.status, calls: [...calls] };
    } finally {
      state.recording = false;
      // What runs after the answer (the refusal's audit) is allowed to differ; let it finish unseen.
      await t.drain();
    }
  };
  return { store, during };
}

describe('POST /api/reset by code: known and unknown identifiers do the same store work', () => {
  /** @see issue 9, item 5: a wrong code for a known account charged a try on the account record; unknown ones did nothing. */
  it('a wrong code looks up and takes the three budgets alike for a known email, a known username and an unknown name, without writing the account', async () => {
    const recorder = recordingStore();
    t = await createTestApp({ overrides: { store: recorder.store } });
    await memberWithResetMail(t);

    const probes = {
      knownEmail: await recorder.during(() => resetByCode(MEMBER_EMAIL, WRONG_CODE, '192.0.2.31')),
      knownUsername: await recorder.during(() => resetByCode(MEMBER_USERNAME, WRONG_CODE, '192.0.2.32')),
      unknownEmail: await recorder.during(() => resetByCode('nobody@example.com', WRONG_CODE, '192.0.2.33')),
      unknownUsername: await recorder.during(() => resetByCode('no.body', WRONG_CODE, '192.0.2.34')),
    };

    // The audit of a known account's refusal runs only after the answer, so it is not seen here.
    const expected = {
      status: 400,
      calls: ['findAccount', 'takeFromWindow', 'takeFromWindow', 'takeFromWindow'],
    };
    expect(probes).toEqual({
      knownEmail: expected,
      knownUsername: expected,
      unknownEmail: expected,
      unknownUsername: expected,
    });
    // It does happen, after the answer.
    const refusals = (await t.store.listAudit((await t.store.findAccount(MEMBER_EMAIL))!.id, 50)).filter(
      (event) => event.action === 'password.reset' && event.outcome === 'refused',
    );
    expect(refusals.map((event) => event.count ?? 1)).toEqual([2]);
  });
});

describe('POST /api/reset by code: try budgets', () => {
  /** @see issue 9, item 5 */
  it('a probe from one address cannot use up the member’s tries from the member’s own address', async () => {
    t = await createTestApp();
    const { code } = await memberWithResetMail(t);

    for (let i = 0; i < 5; i++) {
      await expectError(await resetByCode(MEMBER_EMAIL, WRONG_CODE, ATTACKER_IP), 400, 'code_invalid');
    }
    await expectTooMany(await resetByCode(MEMBER_EMAIL, WRONG_CODE, ATTACKER_IP));
    // The right code does not get through from the address that used up its tries either.
    await expectTooMany(await resetByCode(MEMBER_EMAIL, code, ATTACKER_IP));

    const member = await resetByCode(MEMBER_EMAIL, code, MEMBER_IP);
    expect(member.status).toBe(200);
    expect(await bodyOf(member)).toEqual({ ok: true });
    expect(
      (await t.post('/api/login', { identifier: MEMBER_EMAIL, password: OTHER_GOOD_PASSWORD })).status,
    ).toBe(200);
  });

  /** @see issue 9, item 5: an identifier holding ":" and the member's address once named the member's own counter. */
  it('an identifier typed with the member’s address after a colon spends nothing of the member’s tries', async () => {
    t = await createTestApp();
    const { code } = await memberWithResetMail(t);
    const crafted = `${MEMBER_EMAIL}:${MEMBER_IP}`;
    for (let i = 0; i < 5; i++) {
      await expectError(await resetByCode(crafted, WRONG_CODE, ATTACKER_IP), 400, 'code_invalid');
    }
    expect((await resetByCode(MEMBER_EMAIL, code, MEMBER_IP)).status).toBe(200);
  });

  /** @see issue 9, item 5 */
  it('20 wrong codes from five addresses close the code for that identifier everywhere; the link in the mail still works', async () => {
    t = await createTestApp();
    const { code, token } = await memberWithResetMail(t);

    for (let address = 1; address <= 5; address++) {
      for (let i = 0; i < 4; i++) {
        const res = await resetByCode(MEMBER_EMAIL, WRONG_CODE, `203.0.113.${address}`);
        await expectError(res, 400, 'code_invalid');
      }
    }
    await expectTooMany(await resetByCode(MEMBER_EMAIL, WRONG_CODE, '203.0.113.6'));
    // The identifier's budget counts tries from anywhere: the right code is refused at the member's address too.
    await expectTooMany(await resetByCode(MEMBER_EMAIL, code, MEMBER_IP));

    const byLink = await t.post('/api/reset', { token, password: OTHER_GOOD_PASSWORD });
    expect(byLink.status).toBe(200);
    expect(
      (await t.post('/api/login', { identifier: MEMBER_EMAIL, password: OTHER_GOOD_PASSWORD })).status,
    ).toBe(200);
  });

  /** @see issue 9, item 5 */
  it('one address gets 30 tries an hour across identifiers, then 429 for any; an hour later it may try again', async () => {
    t = await createTestApp();
    const { code } = await memberWithResetMail(t);

    for (let i = 0; i < 30; i++) {
      await expectError(
        await resetByCode(`guess${i}@example.com`, WRONG_CODE, ATTACKER_IP),
        400,
        'code_invalid',
      );
    }
    await expectTooMany(await resetByCode('guess-next@example.com', WRONG_CODE, ATTACKER_IP));
    await expectTooMany(await resetByCode(MEMBER_EMAIL, code, ATTACKER_IP));
    // Another address is not affected.
    await expectError(
      await resetByCode('guess0@example.com', WRONG_CODE, '203.0.113.99'),
      400,
      'code_invalid',
    );

    t.clock.advance(HOUR + 1000);
    await expectError(
      await resetByCode('guess-next@example.com', WRONG_CODE, ATTACKER_IP),
      400,
      'code_invalid',
    );
    expect((await resetByCode(MEMBER_EMAIL, code, ATTACKER_IP)).status).toBe(200);
  });

  /** @see issue 9, item 5 */
  it('the right code with a password the policy rejects (422) does not use up a try', async () => {
    t = await createTestApp();
    const { code } = await memberWithResetMail(t);

    for (let i = 0; i < 4; i++) {
      await expectError(await resetByCode(MEMBER_EMAIL, WRONG_CODE, MEMBER_IP), 400, 'code_invalid');
    }
    // Four wrong codes leave one try here; rejected passwords with the right code must not spend it.
    for (let i = 0; i < 3; i++) {
      await expectError(await resetByCode(MEMBER_EMAIL, code, MEMBER_IP, 'short'), 422, 'password_rejected');
    }
    expect((await resetByCode(MEMBER_EMAIL, code, MEMBER_IP)).status).toBe(200);
    expect(
      (await t.post('/api/login', { identifier: MEMBER_EMAIL, password: OTHER_GOOD_PASSWORD })).status,
    ).toBe(200);
  });
});
