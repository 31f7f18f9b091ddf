/** A member's data on the integrator's request: export (no secrets) and erasure (GDPR 15 and 17). */
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, PROVISION_KEY, TENANT, type TestApp } from '../helpers/app.js';
import { expectError, json, login } from './api-staff-helpers.js';

let t: TestApp;
afterEach(() => t.close());

const key = { Authorization: `Bearer ${PROVISION_KEY}` };
const PASSWORD = 'an old and long passphrase';
const BCRYPT_U_STAR_U = '$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW';

async function memberWithHistory() {
  t = await createTestApp();
  const account = await t.seedClient({
    id: 'c-ada',
    name: 'Ada Member',
    email: 'ada@example.com',
    username: 'ada',
    password: PASSWORD,
  });
  const staff = await t.asStaff();
  expect((await t.post('/api/admin/clients/c-ada/reset-link', undefined, staff)).status).toBe(202);
  const { session } = await login(t, 'ada@example.com', PASSWORD);
  expect(session).toBeTruthy();
  await t.drain();
  return { account, session: session! };
}

describe('GET /api/provision/clients/:id/export', () => {
  it('holds the record, its links and its activity, and no hash, token or code', async () => {
    const { account } = await memberWithHistory();
    const res = await t.get('/api/provision/clients/c-ada/export', key);
    expect(res.status).toBe(200);
    const text = await res.text();
    const body = JSON.parse(text) as {
      client: Record<string, unknown>;
      links: Array<Record<string, unknown>>;
      events: Array<{ action: string }>;
    };
    expect(body.client).toMatchObject({
      id: 'c-ada',
      name: 'Ada Member',
      email: 'ada@example.com',
      username: 'ada',
      tenants: [TENANT],
      credential: { kind: 'member' },
    });
    expect(body.links).toEqual([expect.objectContaining({ purpose: 'reset', state: 'active' })]);
    expect(body.events.map((event) => event.action)).toContain('reset_link.send');
    const stored = (await t.deps.store.getAccount('c-ada'))!;
    for (const secret of [account.credential!.hash, ...stored.links.map((link) => link.jti), '$argon2']) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toMatch(/codeHash|passwordHistory"/);
  });

  it('is 404 for a client that does not exist, and needs the provisioning key', async () => {
    t = await createTestApp();
    await expectError(await t.get('/api/provision/clients/nobody/export', key), 404, 'not_found');
    expect((await t.get('/api/provision/clients/nobody/export')).status).toBe(401);
  });
});

describe('DELETE /api/provision/clients/:id', () => {
  it('erases the client: its email and username are free at once, its session and links end, its activity is gone', async () => {
    const { session } = await memberWithHistory();
    expect((await t.post('/api/forgot', { identifier: 'ada' })).status).toBe(202);
    await login(t, 'ada', 'a wrong guess');
    await t.drain();
    const [mail] = await t.mailsTo('ada@example.com');
    const res = await t.request('DELETE', '/api/provision/clients/c-ada', { headers: key });
    expect(res.status).toBe(204);
    // Its counters go with it, but those of an address, which hold what was typed there and
    // expire within a day.
    const left: string[] = [];
    for await (const record of t.deps.store.exportRecords()) {
      if (record.kind === 'record' && record.key.includes('c-ada')) left.push(record.key);
    }
    expect(left.length).toBeGreaterThan(0);
    expect(left.filter((key) => !key.startsWith('attempts:login-address'))).toEqual([]);

    expect((await login(t, 'ada@example.com', PASSWORD)).result).toBe('invalid_credentials');
    expect((await t.get('/api/session', { Authorization: `Bearer ${session}` })).status).toBe(401);
    expect(mail).toBeDefined();
    expect(await t.deps.store.listAudit('c-ada', 100)).toEqual([]);
    await expectError(
      await t.request('DELETE', '/api/provision/clients/c-ada', { headers: key }),
      404,
      'not_found',
    );

    // Someone else may take the address and the username straight away.
    const other = await t.put(
      '/api/provision/clients/c-bea',
      { name: 'Bea', email: 'ada@example.com', username: 'ada', tenants: [TENANT] },
      key,
    );
    expect(other.status).toBe(201);
  });

  it('a new client given the same id does not inherit the erased one’s sessions', async () => {
    const { session } = await memberWithHistory();
    expect((await t.request('DELETE', '/api/provision/clients/c-ada', { headers: key })).status).toBe(204);
    t.clock.advance(5_000);
    const again = await t.put(
      '/api/provision/clients/c-ada',
      { name: 'Ada Again', email: 'ada2@example.com', tenants: [TENANT], passwordHash: BCRYPT_U_STAR_U },
      key,
    );
    expect(await json(again)).toMatchObject({ passwordHash: 'set' });
    // Same id, same session version as the erased account: the session still names neither.
    expect((await t.get('/api/session', { Authorization: `Bearer ${session}` })).status).toBe(401);
  });

  it('nor its login failures: the new client is not held back by what was tried against the old one', async () => {
    await memberWithHistory();
    // Eight failures, each after the delay the ones before earned: the next try waits 8 s.
    for (let i = 0; i < 8; i++) {
      expect((await login(t, 'ada@example.com', 'a wrong guess')).result).toBe('invalid_credentials');
      if (i >= 4 && i < 7) t.clock.advance(1000 * 2 ** (i - 4));
    }
    expect((await login(t, 'ada@example.com', PASSWORD)).result).toBe('too_many_attempts');
    expect((await t.request('DELETE', '/api/provision/clients/c-ada', { headers: key })).status).toBe(204);
    t.clock.advance(1000);
    const again = {
      name: 'Ada Again',
      email: 'ada@example.com',
      tenants: [TENANT],
      passwordHash: BCRYPT_U_STAR_U,
    };
    expect((await t.put('/api/provision/clients/c-ada', again, key)).status).toBe(201);
    expect((await login(t, 'ada@example.com', 'U*U')).result).toBe('ok');
  });
});
