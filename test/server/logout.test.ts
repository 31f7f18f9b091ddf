/** POST /api/logout: the member app ends one session server-side; the member's other sessions go on. */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';
import { expectError, login } from './api-staff-helpers.js';

let t: TestApp;
afterEach(() => t.close());

const PASSWORD = 'a long enough passphrase';
const bearer = (session: string) => ({ Authorization: `Bearer ${session}` });

describe('POST /api/logout', () => {
  it('ends this session at once and only this one', async () => {
    t = await createTestApp();
    await t.seedClient({ email: 'lou@example.com', password: PASSWORD });
    const phone = (await login(t, 'lou@example.com', PASSWORD)).session!;
    const laptop = (await login(t, 'lou@example.com', PASSWORD)).session!;

    expect((await t.post('/api/logout', undefined, bearer(phone))).status).toBe(204);
    await expectError(await t.get('/api/session', bearer(phone)), 401, 'session_invalid');
    expect((await t.get('/api/session', bearer(laptop))).status).toBe(200);
    // An ended session cannot change the password either.
    await expectError(
      await t.post(
        '/api/password/change',
        { currentPassword: PASSWORD, password: 'another passphrase' },
        bearer(phone),
      ),
      401,
      'session_invalid',
    );
    // Ending it twice, or with no session, is refused like any dead session.
    await expectError(await t.post('/api/logout', undefined, bearer(phone)), 401, 'session_invalid');
    await expectError(await t.post('/api/logout'), 401, 'session_invalid');
  });

  it('stays ended until the session would have expired anyway', async () => {
    t = await createTestApp();
    await t.seedClient({ email: 'lou@example.com', password: PASSWORD });
    const session = (await login(t, 'lou@example.com', PASSWORD)).session!;
    expect((await t.post('/api/logout', undefined, bearer(session))).status).toBe(204);
    t.clock.advance(50 * 60 * 1000); // 50 of the session's 60 minutes
    await expectError(await t.get('/api/session', bearer(session)), 401, 'session_invalid');
  });
});
