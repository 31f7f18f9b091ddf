/**
 * Webhooks to the integrator's backend, received by a real HTTP server and verified with the
 * Standard Webhooks library: every event type, tenant isolation, retries through an outage,
 * giving up after 24 h and replay, secret rotation, and no secret in any payload.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { HOUR } from '../../server/clock.js';
import { loadConfig } from '../../server/config.js';
import { syncConfiguredEndpoints } from '../../server/flows/webhook-endpoints.js';
import { createWebhookSender } from '../../server/webhooks/sender.js';
import {
  createTestApp,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  OTHER_TENANT,
  PROVISION_KEY,
  TENANT,
  type TestApp,
} from '../helpers/app.js';
import {
  startWebhookReceiver,
  verified,
  type Received,
  type WebhookReceiver,
} from '../helpers/webhook-receiver.js';
import { bearer, forgot, sessionFor, staffTemporaryPassword } from './api-member-helpers.js';
import { expectError, json } from './api-staff-helpers.js';

let t: TestApp;
let receiver: WebhookReceiver;
const provision = { Authorization: `Bearer ${PROVISION_KEY}` };

beforeEach(async () => {
  receiver = await startWebhookReceiver();
  t = await createTestApp({ env: { WEBHOOKS_ALLOW_PRIVATE: '1' } });
  // Real time, so that the receiver's check of the timestamp (5 minutes either way) applies as in production.
  t.clock.set(Date.now());
});
afterEach(async () => {
  await t.close();
  await receiver.close();
});

async function register(body: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const res = await t.post('/api/provision/webhooks', { url: receiver.url, ...body }, provision);
  expect(res.status).toBe(201);
  return json(res);
}

/** Sends what is due and returns the events received so far, verified. */
async function events(secret: string): Promise<Array<ReturnType<typeof verified>>> {
  await t.drain();
  await t.deps.webhooks.runOnce();
  return receiver.received.map((message) => verified(secret, message));
}

/** Whether one of the message's signatures is `secret`'s (whatever the clock says). */
function signedWith(secret: string, message: Received): boolean {
  const id = String(message.headers['webhook-id']);
  const at = new Date(Number(message.headers['webhook-timestamp']) * 1000);
  const expected = new Webhook(secret).sign(id, at, message.body);
  return String(message.headers['webhook-signature']).split(' ').includes(expected);
}

describe('webhook events', () => {
  it('every event type reaches the endpoint, signed, with the client and tenant and no secret', async () => {
    const { id, secret } = await register();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const listed = await json<{ items: object[] }>(await t.get('/api/provision/webhooks', provision));
    expect(JSON.stringify(listed)).not.toContain(secret.slice(6));

    const staff = await t.asStaff();
    const ida = await t.seedClient({ name: 'Ida Lind', email: 'ida@example.com', password: GOOD_PASSWORD });
    const patch = (body: object) => t.patch(`/api/admin/clients/${ida.id}`, body, staff);
    expect((await patch({ loginEnabled: false })).status).toBe(200);
    expect((await patch({ loginEnabled: true })).status).toBe(200);
    expect((await patch({ email: 'ida.lind@example.com' })).status).toBe(200);
    const { token } = await forgot(t, 'ida.lind@example.com');
    expect((await t.post('/api/reset', { token, password: OTHER_GOOD_PASSWORD })).status).toBe(200);
    const session = await sessionFor(t, 'ida.lind@example.com', OTHER_GOOD_PASSWORD);
    const change = { currentPassword: OTHER_GOOD_PASSWORD, password: 'cobalt-orchard-sparrow-74' };
    expect((await t.post('/api/password/change', change, bearer(session))).status).toBe(200);
    const temporary = await staffTemporaryPassword(t, ida.id);
    const { challenge } = await json<{ challenge: string }>(
      await t.post('/api/login', { identifier: 'ida.lind@example.com', password: temporary }),
    );
    expect(
      (await t.post('/api/password/force-change', { challenge, password: 'glacier-tinsel-meadow-52' }))
        .status,
    ).toBe(200);
    for (let i = 0; i < 6; i++)
      await t.post('/api/login', { identifier: 'ida.lind@example.com', password: 'wrong guess' });
    // The throttle notice goes after the answer.
    await t.drain();
    expect(
      (await t.request('DELETE', `/api/provision/clients/${ida.id}`, { headers: provision })).status,
    ).toBe(204);

    const received = await events(secret);
    expect(received.map((event) => [event.type, event.data.how ?? event.data.purpose ?? null])).toEqual([
      ['login.disabled', null],
      ['login.enabled', null],
      ['email.changed', null],
      ['link.sent', 'verify-email'],
      ['link.sent', 'reset'],
      ['email.confirmed', null],
      ['password.changed', 'reset_link'],
      ['password.changed', 'member'],
      ['password.temporary_issued', null],
      ['password.changed', 'forced_change'],
      ['login.throttled', null],
      ['client.deleted', null],
    ]);
    for (const event of received) {
      expect(event.data).toMatchObject({ clientId: ida.id, tenantId: TENANT, tenants: [TENANT] });
      expect(Date.parse(event.timestamp)).toBeGreaterThan(0);
    }
    expect(received[2].data.email).toBe('ida.lind@example.com');
    expect(received[8].data).toMatchObject({ kind: 'temporary', expiresAt: expect.any(String) });
    const everything = receiver.received.map((message) => message.body).join('\n');
    for (const secretValue of [
      GOOD_PASSWORD,
      OTHER_GOOD_PASSWORD,
      temporary,
      token,
      challenge,
      session,
      '$argon2',
    ]) {
      expect(everything).not.toContain(secretValue);
    }
    // One id per event, the same on every try; the log lists them newest first.
    expect(new Set(receiver.received.map((m) => m.headers['webhook-id'])).size).toBe(received.length);
    const log = await json<{ items: Array<{ type: string; state: string; attempts: unknown[] }> }>(
      await t.get(`/api/provision/webhooks/${id}/deliveries`, provision),
    );
    expect(log.items.map((item) => item.type)).toEqual(received.map((event) => event.type).reverse());
    expect(log.items.every((item) => item.state === 'delivered' && item.attempts.length === 1)).toBe(true);
  });

  it("an endpoint hears of its tenants' clients only, and names only its tenants", async () => {
    const own = await register({ tenants: [OTHER_TENANT] });
    const shared = await t.seedClient({ tenants: [TENANT, OTHER_TENANT] });
    const theirs = await t.seedClient({ tenants: [TENANT] });
    for (const client of [theirs, shared]) {
      const body = { name: client.name, email: client.email, tenants: client.tenants, loginEnabled: false };
      expect((await t.put(`/api/provision/clients/${client.id}`, body, provision)).status).toBe(200);
    }
    const received = await events(own.secret);
    expect(received).toEqual([
      expect.objectContaining({
        type: 'login.disabled',
        data: { clientId: shared.id, tenantId: OTHER_TENANT, tenants: [OTHER_TENANT] },
      }),
    ]);
  });

  it('an address given again in other letter case changes nothing', async () => {
    const { secret } = await register();
    const client = await t.seedClient({ email: 'ida@example.com' });
    const body = { name: client.name, email: 'IDA@Example.com', tenants: client.tenants };
    expect((await t.put(`/api/provision/clients/${client.id}`, body, provision)).status).toBe(200);
    expect(await events(secret)).toEqual([]);
  });

  it('only the event types asked for', async () => {
    const { secret } = await register({ events: ['client.deleted'] });
    const client = await t.seedClient();
    await t.patch(`/api/admin/clients/${client.id}`, { loginEnabled: false }, await t.asStaff());
    await t.request('DELETE', `/api/provision/clients/${client.id}`, { headers: provision });
    expect((await events(secret)).map((event) => event.type)).toEqual(['client.deleted']);
  });
});

describe('delivery', () => {
  it('retries through an outage with growing waits, in order, and keeps each try in the log', async () => {
    const { id, secret } = await register();
    receiver.answer(503);
    const client = await t.seedClient();
    const staff = await t.asStaff();
    await t.patch(`/api/admin/clients/${client.id}`, { loginEnabled: false }, staff);
    await t.patch(`/api/admin/clients/${client.id}`, { loginEnabled: true }, staff);
    await t.deps.webhooks.runOnce();
    // The second waits behind the first.
    expect(receiver.received).toHaveLength(1);
    await t.deps.webhooks.runOnce();
    expect(receiver.received).toHaveLength(1);
    t.clock.advance(10_000);
    await t.deps.webhooks.runOnce();
    expect(receiver.received).toHaveLength(2);
    t.clock.advance(10_000);
    await t.deps.webhooks.runOnce();
    expect(receiver.received).toHaveLength(2);
    receiver.answer(200);
    t.clock.advance(20_000);
    await t.deps.webhooks.runOnce();
    const types = receiver.received.slice(2).map((message) => verified(secret, message).type);
    expect(types).toEqual(['login.disabled', 'login.enabled']);
    const ids = receiver.received.map((message) => message.headers['webhook-id']);
    expect(new Set(ids.slice(0, 3)).size).toBe(1);

    const log = await json<{
      items: Array<{ type: string; state: string; attempts: Array<{ status: number }> }>;
    }>(await t.get(`/api/provision/webhooks/${id}/deliveries`, provision));
    expect(log.items.map((item) => [item.type, item.state, item.attempts.map((a) => a.status)])).toEqual([
      ['login.enabled', 'delivered', [200]],
      ['login.disabled', 'delivered', [503, 503, 200]],
    ]);
  });

  it('gives up after 24 h; replay sends the failed ones again with their ids', async () => {
    const { id, secret } = await register();
    receiver.answer(500);
    const client = await t.seedClient();
    await t.patch(`/api/admin/clients/${client.id}`, { loginEnabled: false }, await t.asStaff());
    for (let hour = 0; hour <= 25; hour++) {
      await t.deps.webhooks.runOnce();
      t.clock.advance(HOUR);
    }
    const tries = receiver.received.length;
    expect(tries).toBeGreaterThan(5);
    expect(tries).toBeLessThan(15);
    const log = await json<{
      items: Array<{ state: string; nextAttemptAt: string | null; attempts: Array<{ at: string }> }>;
    }>(await t.get(`/api/provision/webhooks/${id}/deliveries`, provision));
    expect(log.items[0]).toMatchObject({ state: 'failed', nextAttemptAt: null });
    const attempts = log.items[0].attempts.map((a) => Date.parse(a.at));
    expect(attempts[attempts.length - 1] - attempts[0]).toBeLessThanOrEqual(24 * HOUR);
    expect(attempts[attempts.length - 1] - attempts[0]).toBeGreaterThanOrEqual(23 * HOUR);

    receiver.answer(200);
    t.clock.set(Date.now());
    const replay = await t.post(
      `/api/provision/webhooks/${id}/replay`,
      { since: '2020-01-01T00:00:00Z' },
      provision,
    );
    expect([replay.status, await json(replay)]).toEqual([202, { queued: 1 }]);
    await t.deps.webhooks.runOnce();
    const last = receiver.received[receiver.received.length - 1];
    expect(verified(secret, last).type).toBe('login.disabled');
    expect(last.headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
  });

  it('a rotated secret signs beside the new one for a day, then stops', async () => {
    const { id, secret: old } = await register();
    const rotated = await t.post(`/api/provision/webhooks/${id}/rotate-secret`, {}, provision);
    expect(rotated.status).toBe(200);
    const { secret: current, previousSecretValidUntil } = await json<{
      secret: string;
      previousSecretValidUntil: string;
    }>(rotated);
    expect(current).not.toBe(old);
    expect(Date.parse(previousSecretValidUntil) - t.clock.now()).toBe(24 * HOUR);
    const client = await t.seedClient();
    const staff = await t.asStaff();
    await t.patch(`/api/admin/clients/${client.id}`, { loginEnabled: false }, staff);
    await events(current);
    expect(verified(old, receiver.received[0]).type).toBe('login.disabled');
    t.clock.advance(25 * HOUR);
    await t.patch(`/api/admin/clients/${client.id}`, { loginEnabled: true }, await t.asStaff());
    await t.deps.webhooks.runOnce();
    expect(signedWith(current, receiver.received[1])).toBe(true);
    expect(signedWith(old, receiver.received[1])).toBe(false);
  });
});

describe('endpoints', () => {
  it('refuses URLs that are not https or lead inside the network', async () => {
    const strict = await createTestApp();
    try {
      for (const url of [
        'http://hooks.example.com/x',
        'https://127.0.0.1/x',
        'https://10.1.2.3/x',
        'https://[::1]/x',
        'https://169.254.169.254/latest/meta-data',
        'https://[fd00::1]/x',
        'https://[::7f00:1]/x', // IPv4-compatible 127.0.0.1
        'https://[::ffff:169.254.169.254]/x',
        'https://0.0.0.0/x',
        'https://localhost/x',
        'https://user:pass@hooks.example.com/x',
        'not a url',
      ]) {
        const res = await strict.post('/api/provision/webhooks', { url }, provision);
        const body = await expectError(res, 400, 'invalid_request');
        expect((body.error as { fields?: string[] }).fields, url).toEqual(['url']);
      }
    } finally {
      await strict.close();
    }
  });

  it('manages endpoints: read without secret, change, disable, delete; 404 for unknown ones', async () => {
    const { id } = await register({ description: 'CRM sync' });
    const read = await json<Record<string, unknown>>(await t.get(`/api/provision/webhooks/${id}`, provision));
    expect(read).toMatchObject({
      id,
      url: receiver.url,
      tenants: null,
      events: null,
      enabled: true,
      source: 'api',
    });
    expect(read).not.toHaveProperty('secret');
    const patched = await t.patch(
      `/api/provision/webhooks/${id}`,
      { enabled: false, events: ['client.deleted'] },
      provision,
    );
    expect(await json(patched)).toMatchObject({ enabled: false, events: ['client.deleted'] });
    const client = await t.seedClient();
    await t.request('DELETE', `/api/provision/clients/${client.id}`, { headers: provision });
    await t.deps.webhooks.runOnce();
    expect(receiver.received).toHaveLength(0);
    expect((await t.request('DELETE', `/api/provision/webhooks/${id}`, { headers: provision })).status).toBe(
      204,
    );
    await expectError(await t.get(`/api/provision/webhooks/${id}`, provision), 404, 'not_found');
    await expectError(await t.get('/api/provision/webhooks/ep_nope/deliveries', provision), 404, 'not_found');
    await expectError(
      await t.post('/api/provision/webhooks', { url: receiver.url, events: ['nope'] }, provision),
      400,
      'invalid_request',
    );
  });
});

describe('where a webhook may go', () => {
  it('a name that resolves to a private address at send time is not connected to (DNS rebinding)', async () => {
    const rebound = createWebhookSender({
      allowPrivate: false,
      timeoutMs: 2000,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    });
    const port = new URL(receiver.url).port;
    const result = await rebound(`https://hooks.example.com:${port}/hooks`, {}, '{}');
    expect(result).toMatchObject({
      ok: false,
      error: 'address not allowed: hooks.example.com resolves to a private, loopback or link-local address',
    });
    // The integrator reads the log: the operator's internal address is not in it.
    expect(result.error).not.toContain('127.0.0.1');
    expect(receiver.received).toHaveLength(0);
    const mixed = createWebhookSender({
      allowPrivate: false,
      timeoutMs: 2000,
      resolve: async () => [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.7', family: 4 },
      ],
    });
    expect((await mixed('https://hooks.example.com/hooks', {}, '{}')).error).toMatch(/^address not allowed/);
  });

  it('endpoints from WEBHOOK_ENDPOINTS are kept in step with the configuration and changed only there', async () => {
    const configured = {
      url: receiver.url,
      secret: `whsec_${Buffer.alloc(32, 7).toString('base64')}`,
      events: ['client.deleted'],
    };
    const withConfig = await createTestApp({
      env: { WEBHOOKS_ALLOW_PRIVATE: '1', WEBHOOK_ENDPOINTS: JSON.stringify([configured]) },
    });
    try {
      await syncConfiguredEndpoints(withConfig.deps);
      const [endpoint] = await withConfig.deps.store.webhooks.listEndpoints();
      expect(endpoint).toMatchObject({ url: receiver.url, source: 'config', events: ['client.deleted'] });
      await expectError(
        await withConfig.patch(`/api/provision/webhooks/${endpoint.id}`, { enabled: false }, provision),
        409,
        'conflict',
      );
      withConfig.clock.set(Date.now());
      const client = await withConfig.seedClient();
      await withConfig.request('DELETE', `/api/provision/clients/${client.id}`, { headers: provision });
      await withConfig.deps.webhooks.runOnce();
      expect(verified(configured.secret, receiver.received[0]).type).toBe('client.deleted');
      // Gone from the configuration, gone from the store.
      await syncConfiguredEndpoints({
        ...withConfig.deps,
        config: {
          ...withConfig.deps.config,
          webhooks: { ...withConfig.deps.config.webhooks, endpoints: [] },
        },
      });
      expect(await withConfig.deps.store.webhooks.listEndpoints()).toEqual([]);
    } finally {
      await withConfig.close();
    }
    expect(() =>
      loadConfig({ WEBHOOK_ENDPOINTS: '[{"url":"https://x.example","secret":"hunter2"}]' }),
    ).toThrow(/WEBHOOK_ENDPOINTS: 0.secret: a Standard Webhooks secret/);
    const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(() =>
      loadConfig({ WEBHOOK_ENDPOINTS: JSON.stringify([{ url: 'https://10.0.0.5/hooks', secret }]) }),
    ).toThrow(/WEBHOOK_ENDPOINTS: 0.url: the webhook URL must not point to a private/);
    const twice = [
      { url: 'https://hooks.example.com/a', secret },
      { url: 'https://hooks.example.com/a', secret, events: ['client.deleted'] },
    ];
    expect(() => loadConfig({ WEBHOOK_ENDPOINTS: JSON.stringify(twice) })).toThrow(/1.url: given twice/);
  });
});
