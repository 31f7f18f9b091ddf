import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../server/demo-seed.js';
import { startRedis, type RedisHandle } from '../helpers/redis-server.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const json = { 'Content-Type': 'application/json' };
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });

describe('the real server process, as npm start runs it', () => {
  let dataDir: string;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'server-process-'));
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('starts with embedded defaults, seeds the demo, and serves staff, member and JWKS endpoints', async () => {
    server = await startServerProcess({ DEMO: '1', DATA_DIR: dataDir });
    const api = `${server.url}/api`;
    const { token } = (await (await post(`${api}/demo/staff-token`, {})).json()) as { token: string };
    const list = (await (
      await fetch(`${api}/admin/clients?q=alice`, { headers: { Authorization: `Bearer ${token}` } })
    ).json()) as {
      items: Array<{ id: string }>;
    };
    expect(list.items.map((item) => item.id)).toEqual(['c-alice']);
    const login = await post(`${api}/login`, { identifier: 'alice.m', password: DEMO_PASSWORD });
    expect(await login.json()).toMatchObject({ status: 'ok' });
    expect(
      (await post(`${api}/admin/clients/c-alice/reset-link`, undefined, { Authorization: `Bearer ${token}` }))
        .status,
    ).toBe(202);
    const outbox = (await (await fetch(`${api}/demo/outbox`)).json()) as {
      items: Array<{ to: string; text: string }>;
    };
    expect(outbox.items[0].to).toBe('alice@example.com');
    expect(outbox.items[0].text).toContain(
      `${server.url.replace('127.0.0.1', 'localhost')}/reset?tenant=demo-studio#token=`,
    );
    expect(server.output()).not.toContain(DEMO_PASSWORD);
  });

  it('keeps its signing key and data across a restart (sessions issued before still verify)', async () => {
    const before = (await (await fetch(`${server!.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    const login = (await (
      await post(`${server!.url}/api/login`, { identifier: 'alice.m', password: DEMO_PASSWORD })
    ).json()) as {
      session: string;
    };
    const port = server!.port;
    await server!.stop();
    server = await startServerProcess({ DEMO: '1', DATA_DIR: dataDir }, port);
    const after = (await (await fetch(`${server.url}/.well-known/jwks.json`)).json()) as {
      keys: Array<{ kid: string }>;
    };
    expect(after.keys.map((key) => key.kid)).toEqual(before.keys.map((key) => key.kid));
    const session = await fetch(`${server.url}/api/session`, {
      headers: { Authorization: `Bearer ${login.session}` },
    });
    expect(session.status).toBe(200);
  });
});

describe('two server processes on one Redis', () => {
  let redis: RedisHandle;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    const env = {
      STORAGE: 'redis',
      REDIS_URL: redis.url,
      PROVISION_API_KEY: 'pk',
      ADMIN_JWT_SECRET: 'shared-staff-secret',
      PUBLIC_URL: 'https://portal.example.test',
      LOG_LEVEL: 'warn',
    };
    servers.push(await startServerProcess(env));
    servers.push(await startServerProcess(env));
  }, 60_000);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    await redis.stop();
  });

  it('share one signing key, and a link consumed by 50 parallel requests across both succeeds exactly once', async () => {
    const [a, b] = servers;
    const jwksA = await (await fetch(`${a.url}/.well-known/jwks.json`)).json();
    const jwksB = await (await fetch(`${b.url}/.well-known/jwks.json`)).json();
    expect(jwksA).toEqual(jwksB);

    const provision = { Authorization: 'Bearer pk', 'Content-Type': 'application/json' };
    await fetch(`${a.url}/api/provision/tenants/t1`, {
      method: 'PUT',
      headers: provision,
      body: JSON.stringify({ name: 'Studio One' }),
    });
    await fetch(`${a.url}/api/provision/clients/m1`, {
      method: 'PUT',
      headers: provision,
      body: JSON.stringify({ name: 'Morgan Ash', email: 'morgan@example.com', tenants: ['t1'] }),
    });
    // The outbox lives in the shared store: a link made by one process is read through the store.
    expect((await post(`${b.url}/api/forgot`, { identifier: 'morgan@example.com' })).status).toBe(202);
    const { createStore } = await import('../../server/store/create-store.js');
    const store = createStore({ storage: 'redis', redisUrl: redis.url });
    let token = '';
    for (let i = 0; i < 50 && !token; i++) {
      const [mail] = await store.listOutbox(1);
      token = /#token=([\w.-]+)/.exec(mail?.text ?? '')?.[1] ?? '';
      if (!token) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await store.close();
    expect(token).not.toBe('');

    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        post(`${(i % 2 ? a : b).url}/api/reset`, { token, password: 'granite-willow-beacon-27' }).then(
          async (res) => ({
            status: res.status,
            code: ((await res.json()) as { error?: { code: string } }).error?.code,
          }),
        ),
      ),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.code === 'link_used')).toHaveLength(49);
    expect(
      (
        await post(`${a.url}/api/login`, {
          identifier: 'morgan@example.com',
          password: 'granite-willow-beacon-27',
        })
      ).status,
    ).toBe(200);
  });
});
