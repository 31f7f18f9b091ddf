import { it, expect } from 'vitest';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { serve } from '@hono/node-server';
import { pino } from 'pino';
import { createTestApp, GOOD_PASSWORD } from '../helpers/app.js';

it('abort', async () => {
  const lines: string[] = [];
  const stream = new Writable({ write(chunk, _e, cb) { lines.push(String(chunk)); cb(); } });
  const t = await createTestApp({ overrides: { logger: pino({ level: 'info' }, stream) } });
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as AddressInfo).port;
  const socket = connect(port, '127.0.0.1');
  await new Promise((r) => socket.once('connect', r));
  socket.write('POST /api/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
  socket.write('20\r\n{"identifier":"a@example.');
  await new Promise((r) => setTimeout(r, 50));
  socket.destroy();
  await new Promise((r) => setTimeout(r, 500));
  console.log(lines.join(''));
  await new Promise((r) => server.close(r));
  await t.close();
});

it('burst', async () => {
  const t = await createTestApp({ configure: (c) => ({ ...c, hashing: { concurrency: 1, queueLimit: 2 } }) });
  await t.seedClient({ email: 'm@example.com', password: GOOD_PASSWORD });
  const res = await Promise.all(Array.from({ length: 12 }, async (_, i) => {
    const s = performance.now();
    const r = await t.request('POST', '/api/login', { body: { identifier: i % 2 ? 'm@example.com' : `u${i}@example.com`, password: i % 4 === 1 ? GOOD_PASSWORD : 'wrong-wrong-wrong-1' }, ip: `192.0.2.${100 + i}` });
    return [r.status, Math.round(performance.now() - s), r.headers.get('Retry-After')];
  }));
  console.log(JSON.stringify(res));
  await t.close();
});
