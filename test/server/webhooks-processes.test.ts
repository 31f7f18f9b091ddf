/**
 * Webhooks from several real server processes sharing one store (Redis, PostgreSQL): each event
 * reaches the receiver once, whichever server made it and however many look for due deliveries;
 * events queued while the receiver was down survive every server stopping, and the next server
 * to start delivers them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionEnv, PROVISION_KEY, TENANT } from '../helpers/app.js';
import { createDatabase, startPostgres, type PostgresHandle } from '../helpers/postgres-server.js';
import { startRedis, type RedisHandle } from '../helpers/redis-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startWebhookReceiver, verified, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const provision = { Authorization: `Bearer ${PROVISION_KEY}`, 'Content-Type': 'application/json' };
const CLIENTS = 30;

async function call(server: ServerProcess, method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method,
    headers: provision,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** Disables then enables each client's login, half through each server: two events a client. */
async function toggleLogins(servers: ServerProcess[], prefix: string): Promise<void> {
  await Promise.all(
    Array.from({ length: CLIENTS }, async (_, i) => {
      const server = servers[i % servers.length];
      const body = { name: `Member ${i}`, email: `${prefix}${i}@example.com`, tenants: [TENANT] };
      expect((await call(server, 'PUT', `/api/provision/clients/${prefix}${i}`, body)).status).toBe(201);
      for (const loginEnabled of [false, true]) {
        expect(
          (await call(server, 'PUT', `/api/provision/clients/${prefix}${i}`, { ...body, loginEnabled }))
            .status,
        ).toBe(200);
      }
    }),
  );
}

const backends: Array<[string, () => Promise<{ env: Record<string, string>; stop(): Promise<void> }>]> = [
  [
    'redis',
    async () => {
      const redis: RedisHandle = await startRedis();
      return { env: { STORAGE: 'redis', REDIS_URL: redis.url }, stop: () => redis.stop() };
    },
  ],
  [
    'postgres',
    async () => {
      const postgres: PostgresHandle = await startPostgres();
      const url = await createDatabase(postgres, 'webhooks');
      return { env: { STORAGE: 'postgres', DATABASE_URL: url }, stop: () => postgres.stop() };
    },
  ],
];

describe.each(backends)('webhooks from two servers on %s', (_name, startStore) => {
  let store: { env: Record<string, string>; stop(): Promise<void> };
  let receiver: WebhookReceiver;
  let env: Record<string, string>;
  let servers: ServerProcess[] = [];
  let secret: string;

  beforeAll(async () => {
    [store, receiver] = await Promise.all([startStore(), startWebhookReceiver()]);
    env = productionEnv({
      ...store.env,
      WEBHOOKS_ALLOW_PRIVATE: '1',
      WEBHOOKS_POLL_MS: '50',
      WEBHOOKS_FIRST_RETRY_MS: '100',
    });
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    const created = await call(servers[0], 'POST', '/api/provision/webhooks', { url: receiver.url });
    secret = ((await created.json()) as { secret: string }).secret;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await receiver?.close();
    await store?.stop();
  });

  it('each event is delivered once, though both servers work the queue', async () => {
    // A slow receiver: while one server waits for its answer, the other looks at the same queue.
    receiver.delay(60);
    await toggleLogins(servers, 'a-');
    const received = await receiver.waitFor(CLIENTS * 2);
    // Time for a second delivery of anything, were there one.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(received).toHaveLength(CLIENTS * 2);
    const ids = received.map((message) => message.headers['webhook-id']);
    expect(new Set(ids).size).toBe(CLIENTS * 2);
    receiver.delay(0);
    const events = received.map((message) => verified(secret, message));
    for (let i = 0; i < CLIENTS; i++) {
      const mine = events.filter((event) => event.data.clientId === `a-${i}`).map((event) => event.type);
      expect(mine).toEqual(['login.disabled', 'login.enabled']);
    }
  }, 60_000);

  it('events queued during an outage survive every server stopping, and are delivered after', async () => {
    receiver.received.length = 0;
    receiver.answer(503);
    await toggleLogins(servers, 'b-');
    await receiver.waitFor(1);
    await Promise.all(servers.map((server) => server.stop()));
    receiver.answer(200);
    receiver.received.length = 0;
    servers = [await startServerProcess(env)];
    const received = await receiver.waitFor(CLIENTS * 2, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    const delivered = received.filter((message) => verified(secret, message).data.clientId !== undefined);
    expect(new Set(delivered.map((message) => message.headers['webhook-id'])).size).toBe(CLIENTS * 2);
    expect(delivered).toHaveLength(CLIENTS * 2);
  }, 90_000);
});
