/** Staff authentication (every bad token is 401) and the tenant wall (another tenant's client is a 404 with no side effect). */
import { SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../server/clock.js';
import { createTestApp, OTHER_TENANT, STAFF_SECRET, TENANT, type TestApp } from '../helpers/app.js';
import {
  expectError,
  getEvents,
  getSummary,
  json,
  login,
  NEW_PASSWORD,
  OLD_PASSWORD,
} from './api-staff-helpers.js';

let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});
afterEach(() => t.close());

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function signed(
  claims: Record<string, unknown>,
  options: { secret?: string; sub?: string | null; expIn?: number | null } = {},
) {
  const now = Math.floor(t.clock.now() / 1000);
  let jwt = new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt(now);
  if (options.sub !== null) jwt = jwt.setSubject(options.sub ?? 'desk-1');
  if (options.expIn !== null) jwt = jwt.setExpirationTime(now + (options.expIn ?? 3600));
  return jwt.sign(new TextEncoder().encode(options.secret ?? STAFF_SECRET));
}

/** Every staff route, with a body each would accept from a valid token. */
function staffRoutes(id: string): Array<{ method: string; path: string; body?: unknown }> {
  return [
    { method: 'GET', path: '/api/admin/clients' },
    { method: 'POST', path: '/api/admin/clients', body: { name: 'Intruder Made' } },
    { method: 'GET', path: `/api/admin/clients/${id}` },
    { method: 'PATCH', path: `/api/admin/clients/${id}`, body: { name: 'Changed' } },
    {
      method: 'POST',
      path: `/api/admin/clients/${id}/password`,
      body: { mode: 'random', delivery: 'display' },
    },
    { method: 'POST', path: `/api/admin/clients/${id}/reset-link` },
    { method: 'POST', path: `/api/admin/clients/${id}/invite` },
    { method: 'GET', path: `/api/admin/clients/${id}/events` },
  ];
}

describe('staff authentication', () => {
  it('401 unauthorized on every staff route for a missing or bad token, and nothing happens', async () => {
    const account = await t.seedClient({
      name: 'Safe Sue',
      email: 'sue@example.com',
      password: OLD_PASSWORD,
    });
    const now = Math.floor(t.clock.now() / 1000);
    const tokens: Record<string, string | null> = {
      'no token': null,
      'not a JWT': 'not-a-jwt',
      'another secret': await signed(
        { tid: TENANT, role: 'staff' },
        { secret: 'some-other-secret-of-enough-length-for-hs256' },
      ),
      'missing tid': await signed({ role: 'staff' }),
      'missing role': await signed({ tid: TENANT }),
      'unknown role': await signed({ tid: TENANT, role: 'member' }),
      'missing sub': await signed({ tid: TENANT, role: 'staff' }, { sub: null }),
      'missing exp': await signed({ tid: TENANT, role: 'admin' }, { expIn: null }),
      'empty tid': await signed({ tid: '', role: 'staff' }),
      'alg none': `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ sub: 'desk-1', tid: TENANT, role: 'admin', iat: now, exp: now + 3600 })}.`,
      'alg none, tampered HS256': (await signed({ tid: OTHER_TENANT, role: 'staff' })).replace(
        /^[^.]+/,
        b64url({ alg: 'none' }),
      ),
    };
    // A real token whose payload was edited to another tenant: the signature no longer matches.
    const genuine = await signed({ tid: OTHER_TENANT, role: 'staff' });
    const [header, , signature] = genuine.split('.');
    tokens['payload swapped'] =
      `${header}.${b64url({ sub: 'desk-1', tid: TENANT, role: 'admin', iat: now, exp: now + 3600 })}.${signature}`;

    for (const [label, token] of Object.entries(tokens)) {
      for (const route of staffRoutes(account.id)) {
        const headers: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
        const res = await t.request(route.method, route.path, { body: route.body, headers });
        const body = await json<{ error?: { code: string } }>(res);
        expect({
          label,
          route: `${route.method} ${route.path}`,
          status: res.status,
          code: body.error?.code,
        }).toEqual({
          label,
          route: `${route.method} ${route.path}`,
          status: 401,
          code: 'unauthorized',
        });
      }
    }

    // Nothing happened.
    const staff = await t.asStaff();
    expect(await getSummary(t, account.id, staff)).toMatchObject({ name: 'Safe Sue', resendsLeft: 5 });
    expect((await json<{ items: unknown[] }>(await t.get('/api/admin/clients', staff))).items).toHaveLength(
      1,
    );
    expect(await t.outbox()).toEqual([]);
    expect(await getEvents(t, account.id, staff)).toEqual([]);
    expect((await login(t, 'sue@example.com', OLD_PASSWORD)).result).toBe('ok');
  });

  it('an expired staff token is refused', async () => {
    const account = await t.seedClient({ name: 'Tim Expired' });
    const headers = await t.asStaff(); // valid for one hour
    expect((await t.get(`/api/admin/clients/${account.id}`, headers)).status).toBe(200);
    t.clock.advance(HOUR + 60_000);
    await expectError(await t.get(`/api/admin/clients/${account.id}`, headers), 401, 'unauthorized');
    await expectError(
      await t.post(`/api/admin/clients/${account.id}/reset-link`, undefined, headers),
      401,
      'unauthorized',
    );
  });

  it('a member session is not a staff token', async () => {
    await t.seedClient({ name: 'Mia Member', email: 'mia@example.com', password: OLD_PASSWORD });
    const { session } = await login(t, 'mia@example.com', OLD_PASSWORD);
    await expectError(
      await t.get('/api/admin/clients', { Authorization: `Bearer ${session}` }),
      401,
      'unauthorized',
    );
  });

  it('writes accept only JSON (no simple cross-site request): 415 and nothing changes', async () => {
    const account = await t.seedClient({ name: 'Form Fred' });
    const staff = await t.asStaff();
    const res = await t.request('PATCH', `/api/admin/clients/${account.id}`, {
      rawBody: 'name=Hacked',
      headers: { ...staff, 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    await expectError(res, 415, 'unsupported_media_type');
    const text = await t.request('POST', `/api/admin/clients/${account.id}/reset-link`, {
      rawBody: 'x',
      headers: { ...staff, 'Content-Type': 'text/plain' },
    });
    expect(text.status).toBe(415);
    expect((await getSummary(t, account.id, staff)).name).toBe('Form Fred');
    expect(await t.outbox()).toEqual([]);
  });

  it('both roles (admin, staff) are accepted', async () => {
    for (const role of ['admin', 'staff']) {
      const token = await signed({ tid: TENANT, role });
      expect((await t.get('/api/admin/clients', { Authorization: `Bearer ${token}` })).status).toBe(200);
    }
  });
});

describe('tenant wall', () => {
  it("staff of another tenant get exactly a missing id's 404 on every client route, and nothing changes", async () => {
    const account = await t.seedClient({
      name: 'Walled Wendy',
      email: 'wendy@example.com',
      password: OLD_PASSWORD,
    });
    const own = await t.asStaff({ tid: TENANT, sub: 'desk-1' });
    const intruder = await t.asStaff({ tid: OTHER_TENANT, sub: 'spy-1' });
    const summaryBefore = await getSummary(t, account.id, own);
    const eventsBefore = await getEvents(t, account.id, own);

    const bodies = [
      undefined,
      { name: 'Changed By Other' },
      { email: 'attacker@example.com' },
      { loginEnabled: false },
      { mode: 'custom', password: NEW_PASSWORD, delivery: 'none' },
      { mode: 'random', delivery: 'display', temporary: true },
      { mode: 'random', delivery: 'email' },
    ];
    const calls: Array<{ method: string; suffix: string; body?: unknown }> = [
      { method: 'GET', suffix: '' },
      { method: 'PATCH', suffix: '', body: bodies[1] },
      { method: 'PATCH', suffix: '', body: bodies[2] },
      { method: 'PATCH', suffix: '', body: bodies[3] },
      { method: 'POST', suffix: '/password', body: bodies[4] },
      { method: 'POST', suffix: '/password', body: bodies[5] },
      { method: 'POST', suffix: '/password', body: bodies[6] },
      { method: 'POST', suffix: '/reset-link' },
      { method: 'POST', suffix: '/invite' },
      { method: 'GET', suffix: '/events' },
    ];
    for (const call of calls) {
      const foreign = await t.request(call.method, `/api/admin/clients/${account.id}${call.suffix}`, {
        body: call.body,
        headers: intruder,
      });
      const missing = await t.request(call.method, `/api/admin/clients/no-such-client${call.suffix}`, {
        body: call.body,
        headers: intruder,
      });
      const label = `${call.method} ${call.suffix || '/'}`;
      expect({ label, status: foreign.status }).toEqual({ label, status: 404 });
      expect({ label, body: await foreign.json() }).toEqual({ label, body: await missing.json() });
      expect(foreign.headers.get('Retry-After')).toBeNull();
    }
    // The list does not show it either.
    const list = await json<{ items: Array<{ id: string }> }>(
      await t.get('/api/admin/clients?q=wendy', intruder),
    );
    expect(list.items).toEqual([]);

    // Nothing changed: same summary, same budget, no mail, no audit event, the password still works.
    expect(await getSummary(t, account.id, own)).toEqual(summaryBefore);
    expect(await t.outbox()).toEqual([]);
    expect(await getEvents(t, account.id, own)).toEqual(eventsBefore);
    expect((await login(t, 'wendy@example.com', OLD_PASSWORD)).result).toBe('ok');
    expect((await login(t, 'wendy@example.com', NEW_PASSWORD)).result).toBe('invalid_credentials');
  });

  it('a client created by one tenant belongs to that tenant only', async () => {
    const own = await t.asStaff({ tid: TENANT });
    const created = await json<{ id: string; tenantCount: number }>(
      await t.post('/api/admin/clients', { name: 'Only Mine', email: 'mine@example.com' }, own),
    );
    expect(created.tenantCount).toBe(1);
    await expectError(
      await t.get(`/api/admin/clients/${created.id}`, await t.asStaff({ tid: OTHER_TENANT })),
      404,
      'not_found',
    );
  });

  it('a shared client is visible to both tenants', async () => {
    const account = await t.seedClient({ name: 'Both Ways', tenants: [TENANT, OTHER_TENANT] });
    for (const tid of [TENANT, OTHER_TENANT]) {
      expect((await getSummary(t, account.id, await t.asStaff({ tid }))).tenantCount).toBe(2);
    }
  });
});
