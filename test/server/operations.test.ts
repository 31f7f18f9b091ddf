/** Running it for real: long identifiers on the fs store, /readyz, hashing admission, retried mail, SMTP timeouts, aborted uploads. */
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { KvStore } from '../../server/store/kv-store.js';
import { createMemoryKv } from '../../server/store/memory-kv.js';
import {
  createTestApp,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  PROVISION_KEY,
  TENANT,
  tokenFromMail,
  type TestApp,
} from '../helpers/app.js';
import { faultyKv } from '../helpers/faulty-kv.js';
import { freePort } from '../helpers/server-process.js';
import { bodyOf, expectError, forgot, mailsOfKind } from './api-member-helpers.js';

let t: TestApp | undefined;
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await t?.close();
  t = undefined;
  while (cleanups.length > 0) await cleanups.pop()?.();
});

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A pino logger like the server's, writing its JSON lines into an array instead of stdout. */
function capturingLogger() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'info', base: undefined }, stream), lines };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `condition` holds, at most `timeoutMs`; returns whether it did. */
async function until(condition: () => boolean, timeoutMs = 5_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(2);
  }
  return true;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function loginFrom(app: TestApp, ip: string, identifier: string, password: string) {
  return app.request('POST', '/api/login', { body: { identifier, password }, ip });
}

describe('long identifiers on the fs store', () => {
  /** 64 + 1 + 3 × 58 + 11 = 250 characters, each label within the 63 DNS allows. */
  const longEmail = (letter: string) =>
    `${'j'.repeat(64)}@${'a'.repeat(57)}.${'b'.repeat(57)}.${letter.repeat(57)}.example.com`;
  const LONG_EMAIL = longEmail('c');
  /** 100 characters, none of them ASCII letters: nine bytes each once percent-encoded. */
  const LONG_USERNAME = 'Zoë.Łukasz.Ærø-'.repeat(7).slice(0, 100);
  /** A CRM's id, 195 characters, well past a file name once percent-encoded. */
  const LONG_ID = `crm:${'顧客番号'.repeat(5)}:${'0123456789'.repeat(17)}`;

  /** @see issue 9 (low): long emails, usernames and ids made file names too long on the fs store (503 storage_unavailable). */
  it('a 250-character email, a 100-character Unicode username and a long id work end to end; unknown long ones are 401', async () => {
    expect([LONG_EMAIL.length, LONG_USERNAME.length]).toEqual([250, 100]);
    const dataDir = await mkdtemp(join(tmpdir(), 'long-identifiers-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    const log = capturingLogger();
    const app = await createTestApp({
      env: { STORAGE: 'fs', DATA_DIR: dataDir },
      overrides: { logger: log.logger },
    });
    t = app;
    expect(app.store.backend).toBe('fs');

    const provisioned = await app.put(
      `/api/provision/clients/${encodeURIComponent(LONG_ID)}`,
      { name: 'Zoë Łukasz', email: LONG_EMAIL, username: LONG_USERNAME, tenants: [TENANT] },
      { Authorization: `Bearer ${PROVISION_KEY}` },
    );
    expect(provisioned.status, await provisioned.clone().text()).toBe(201);
    expect(await bodyOf(provisioned)).toMatchObject({
      id: LONG_ID,
      email: LONG_EMAIL,
      username: LONG_USERNAME,
    });

    // Forgot, then reset by the code in the mail, typed with the long email.
    const { code } = await forgot(app, LONG_EMAIL);
    const reset = await app.post('/api/reset', { identifier: LONG_EMAIL, code, password: GOOD_PASSWORD });
    expect(reset.status, await reset.clone().text()).toBe(200);

    for (const identifier of [LONG_EMAIL, LONG_USERNAME, LONG_USERNAME.toUpperCase()]) {
      const res = await loginFrom(app, '192.0.2.40', identifier, GOOD_PASSWORD);
      expect(await bodyOf(res), identifier).toMatchObject({ status: 'ok' });
    }
    const summary = await app.get(`/api/admin/clients/${encodeURIComponent(LONG_ID)}`, await app.asStaff());
    expect(summary.status).toBe(200);
    expect(await bodyOf(summary)).toMatchObject({ id: LONG_ID, status: 'active' });

    const unknownEmail = longEmail('d');
    const unknownUsername = 'Ærø.Zoë.Łukasz-'.repeat(7).slice(0, 100);
    for (const identifier of [unknownEmail, unknownUsername]) {
      await expectError(
        await loginFrom(app, '192.0.2.41', identifier, GOOD_PASSWORD),
        401,
        'invalid_credentials',
      );
      await expectError(
        await app.post('/api/reset', { identifier, code, password: OTHER_GOOD_PASSWORD }),
        400,
        'code_invalid',
      );
      expect((await app.post('/api/forgot', { identifier })).status).toBe(202);
    }
    await app.drain();
    expect(log.lines.filter((line) => line.level >= 50)).toEqual([]);
  });
});

describe('/readyz', () => {
  it('answers 200 naming the store backend and the mail transport when both work', async () => {
    t = await createTestApp();
    const res = await t.get('/readyz');
    expect(res.status).toBe(200);
    expect(res.headers.get('Cache-Control')).toBe('no-store');
    expect(await bodyOf(res)).toEqual({
      ok: true,
      store: { ok: true, backend: 'memory' },
      mail: { ok: true, transport: 'outbox' },
    });
  });

  /** @see issue 9, item 6 */
  it('answers 503 naming the store while the store fails, /healthz stays 200, and it is ready again once the store is back', async () => {
    const kv = faultyKv(createMemoryKv());
    const app = await createTestApp({ overrides: { store: new KvStore(kv) } });
    t = app;
    kv.fail(['get', 'getMany', 'set', 'setIfAbsent', 'update', 'delete', 'deleteIfEquals']);

    const down = await app.get('/readyz');
    expect(down.status).toBe(503);
    expect(await bodyOf(down)).toEqual({
      ok: false,
      // What the backend said, for the operator: here the injected fault.
      store: { ok: false, backend: 'memory', problem: expect.stringContaining('injected update failure') },
      mail: { ok: true, transport: 'outbox' },
    });
    const live = await app.get('/healthz');
    expect(live.status).toBe(200);
    expect(await bodyOf(live)).toEqual({ ok: true });

    kv.heal();
    expect((await app.get('/readyz')).status).toBe(200);
  });

  /** @see issue 9, item 6 */
  it('answers 503 naming mail when the SMTP server cannot be reached', async () => {
    const port = await freePort();
    t = await createTestApp({ env: { MAIL: 'smtp', SMTP_URL: `smtp://127.0.0.1:${port}` } });
    const res = await t.get('/readyz');
    expect(res.status).toBe(503);
    const body = await bodyOf<{ ok: boolean; store: unknown; mail: { ok: boolean; problem?: string } }>(res);
    expect(body).toMatchObject({ ok: false, store: { ok: true }, mail: { ok: false, transport: 'smtp' } });
    expect(body.mail.problem).toEqual(expect.any(String));
    expect(body.mail.problem!.length).toBeGreaterThan(0);
    expect((await t.get('/healthz')).status).toBe(200);
  });

  /** @see issue 9, item 6 */
  it('answers 503 saying MAIL is not set when production runs without MAIL', async () => {
    // What loadConfig makes of an environment without MAIL and without DEMO=1.
    t = await createTestApp({ configure: (config) => ({ ...config, mailUnset: true }) });
    const res = await t.get('/readyz');
    expect(res.status).toBe(503);
    expect(await bodyOf(res)).toEqual({
      ok: false,
      store: { ok: true, backend: 'memory' },
      mail: { ok: false, transport: 'outbox', problem: expect.stringMatching(/^MAIL is not set/) },
    });
  });
});

describe('password hashing admission', () => {
  const MEMBER = 'kai.moreno@example.com';
  const WRONG = 'not-the-password-at-all-7';

  /** @see issue 9 (low): every login queued for a hash, without bound, while every answer got slower. */
  it('beyond the queue, logins are refused at once with 503 server_busy; the others are answered within a few verifies; a refused login is no failed attempt', async () => {
    const app = await createTestApp({
      configure: (config) => ({ ...config, hashing: { concurrency: 1, queueLimit: 2 } }),
    });
    t = app;
    await app.seedClient({ email: MEMBER, password: GOOD_PASSWORD });

    // One login at a time, for scale.
    const alone: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      expect((await loginFrom(app, '192.0.2.200', MEMBER, GOOD_PASSWORD)).status).toBe(200);
      alone.push(performance.now() - started);
    }
    const single = median(alone);

    // Twelve at once, each from its own address (so no login counter holds another back).
    const burst = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const ip = `198.51.100.${i + 1}`;
        const right = i % 2 === 1;
        const started = performance.now();
        const res = await loginFrom(app, ip, MEMBER, right ? GOOD_PASSWORD : WRONG);
        const ms = performance.now() - started;
        const body = await bodyOf<{ error?: { code: string } }>(res);
        return {
          ip,
          right,
          status: res.status,
          code: body.error?.code,
          retryAfter: res.headers.get('Retry-After'),
          ms,
        };
      }),
    );
    const busy = burst.filter((one) => one.status === 503);
    expect(busy.length, JSON.stringify(burst)).toBeGreaterThan(0);
    for (const one of busy) {
      expect(one.code).toBe('server_busy');
      expect(Number(one.retryAfter)).toBeGreaterThanOrEqual(1);
    }
    for (const one of burst.filter((answer) => answer.status !== 503)) {
      expect(one.status).toBe(one.right ? 200 : 401);
    }
    // One running and two waiting: nobody waits for more than a few hashes (generous bound).
    expect(Math.max(...burst.map((one) => one.ms))).toBeLessThan(8 * single + 1_000);

    // Where a login was refused for being busy, five wrong passwords and the right one go exactly
    // as from an address that never tried.
    const fromAddress = async (ip: string) => {
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) statuses.push((await loginFrom(app, ip, MEMBER, WRONG)).status);
      statuses.push((await loginFrom(app, ip, MEMBER, GOOD_PASSWORD)).status);
      return statuses;
    };
    expect(await fromAddress(busy[0].ip)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await fromAddress('198.51.100.200')).toEqual([401, 401, 401, 401, 401, 429]);
    app.clock.advance(2_000);
    expect((await loginFrom(app, busy[0].ip, MEMBER, GOOD_PASSWORD)).status).toBe(200);
  });
});

describe('background mail while storage is down', () => {
  /** @see issue 9 (low): a forgot request that met a storage failure was dropped. */
  it('a forgot request made while storage is down is mailed once storage is back', async () => {
    const kv = faultyKv(createMemoryKv());
    const app = await createTestApp({ overrides: { store: new KvStore(kv) } });
    t = app;
    await app.seedClient({ email: 'robin@example.com', password: GOOD_PASSWORD });

    kv.fail(['get', 'update']);
    expect((await app.post('/api/forgot', { identifier: 'robin@example.com' })).status).toBe(202);
    // Storage comes back once two tries have failed (about 5 ms in, with the test app's 5, 10, 20 ms waits).
    await until(() => kv.failures >= 2, 1_000);
    kv.heal();
    await app.drain();

    const mails = await mailsOfKind(app, 'robin@example.com', 'reset');
    expect(mails).toHaveLength(1);
    const reset = await app.post('/api/reset', {
      token: tokenFromMail(mails[0]),
      password: OTHER_GOOD_PASSWORD,
    });
    expect(reset.status).toBe(200);
  });
});

describe('background mail when the write after it fails', () => {
  /** @see issue 9 (low): a retry of the whole request mailed a second link and spent a second place of the budget. */
  it('a forgot mail whose link could not be recorded at first is recorded later, never mailed twice', async () => {
    const kv = faultyKv(createMemoryKv());
    const app = await createTestApp({ overrides: { store: new KvStore(kv) } });
    t = app;
    await app.seedClient({ email: 'sky@example.com', password: GOOD_PASSWORD });

    // The account write fails; the mail before it goes out.
    kv.fail(['update'], 'account:');
    expect((await app.post('/api/forgot', { identifier: 'sky@example.com' })).status).toBe(202);
    await until(() => kv.failures >= 2, 1_000);
    kv.heal();
    await app.drain();

    const mails = await mailsOfKind(app, 'sky@example.com', 'reset');
    expect(mails).toHaveLength(1);
    expect(
      (await app.post('/api/reset', { token: tokenFromMail(mails[0]), password: OTHER_GOOD_PASSWORD }))
        .status,
    ).toBe(200);
    // One place of the member's five an hour was spent, not one per try.
    for (let i = 0; i < 4; i++) await app.post('/api/forgot', { identifier: 'sky@example.com' });
    await app.drain();
    expect(await mailsOfKind(app, 'sky@example.com', 'reset')).toHaveLength(5);
  });
});

/** An SMTP server that accepts connections and never says a word. */
async function startSilentServer(): Promise<{ port: number; stop(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

describe('SMTP_TIMEOUT_MS', () => {
  /** @see issue 9 (low): a silent SMTP server held a staff action for the transport's default timeouts. */
  it('a staff reset link to an SMTP server that never greets fails with 502 mail_failed within the timeout', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.stop());
    const app = await createTestApp({
      env: { MAIL: 'smtp', SMTP_URL: `smtp://127.0.0.1:${silent.port}`, SMTP_TIMEOUT_MS: '300' },
    });
    t = app;
    const client = await app.seedClient({ email: 'lee@example.com', password: GOOD_PASSWORD });

    const started = performance.now();
    const res = await app.post(`/api/admin/clients/${client.id}/reset-link`, undefined, await app.asStaff());
    const elapsed = performance.now() - started;
    await expectError(res, 502, 'mail_failed');
    // 300 ms for the greeting; the bound leaves room for a slow machine.
    expect(elapsed).toBeLessThan(3_000);
  });
});

describe('an upload the client abandons', () => {
  /** @see issue 9 (low): a body cut off by the client was logged as an unhandled server error. */
  it('is logged at info as aborted by the client, never as an unhandled error', async () => {
    const log = capturingLogger();
    const app = await createTestApp({ overrides: { logger: log.logger } });
    t = app;
    const server = serve({ fetch: app.app.fetch, port: 0, hostname: '127.0.0.1' });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          if ('closeAllConnections' in server) server.closeAllConnections();
          server.close(() => resolve());
        }),
    );
    if (!server.listening) await once(server, 'listening');
    const { port } = server.address() as AddressInfo;

    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    const arrived = once(server, 'request');
    socket.write(
      'POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Transfer-Encoding: chunked\r\n\r\n',
    );
    // A chunk announced as 64 bytes, cut off after 24.
    socket.write('40\r\n{"identifier":"robin@exa');
    await arrived;
    await sleep(20);
    socket.destroy();

    const settled = await until(() =>
      log.lines.some(
        (line) => line.msg === 'request aborted by the client' || line.msg === 'unhandled error',
      ),
    );
    expect(settled, JSON.stringify(log.lines)).toBe(true);
    // Anything that was going to be logged for it has been by now.
    await sleep(50);
    expect(log.lines.filter((line) => line.msg === 'unhandled error')).toEqual([]);
    const aborted = log.lines.filter((line) => line.msg === 'request aborted by the client');
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toMatchObject({ level: 30, method: 'POST', path: '/api/login' });
    expect(log.lines.filter((line) => line.level >= 50)).toEqual([]);
  });
});
