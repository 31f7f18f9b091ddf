/**
 * SIGTERM (a deploy, a scale-down) as members and staff live it: a request in flight is answered,
 * mail the server accepted to send after answering still leaves, and the process then exits 0.
 * The SMTP relay here takes 1.5 s to accept each mail, so the work is still under way when the
 * signal comes.
 */
import { SignJWT } from 'jose';
import { afterEach, describe, expect, it } from 'vitest';
import { PROVISION_KEY, STAFF_SECRET, productionEnv } from '../helpers/app.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { TENANT } from '../helpers/shared.js';

let server: ServerProcess | undefined;
let sink: SmtpSink | undefined;
afterEach(async () => {
  await server?.stop();
  await sink?.stop();
});

async function startWithSlowMail(): Promise<ServerProcess> {
  sink = await startSmtpSink({ acceptDelayMs: 1500 });
  const started = await startServerProcess(
    productionEnv({ MAIL: 'smtp', SMTP_URL: sink.url, LOG_LEVEL: 'warn' }),
  );
  const put = await fetch(`${started.url}/api/provision/clients/c-kim`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${PROVISION_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      name: 'Kim Berg',
      email: 'kim@example.com',
      emailConfirmed: true,
      tenants: [TENANT],
    }),
  });
  expect(put.status).toBe(201);
  return started;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('graceful shutdown', () => {
  it('answers the request in flight when SIGTERM comes, then exits 0', async () => {
    server = await startWithSlowMail();
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ tid: TENANT, role: 'staff' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('desk-1')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(new TextEncoder().encode(STAFF_SECRET));
    // Staff sending a reset link wait for the relay to accept the mail.
    const answer = fetch(`${server.url}/api/admin/clients/c-kim/reset-link`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}` },
    });
    await sleep(400);
    server.signal('SIGTERM');
    expect((await answer).status).toBe(202);
    expect(await server.exited).toBe(0);
    expect(sink!.messages.map((mail) => mail.subject)).toHaveLength(1);
  }, 30_000);

  it('sends the mail of an answered request before it exits', async () => {
    server = await startWithSlowMail();
    const answer = await fetch(`${server.url}/api/forgot`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifier: 'kim@example.com', tenant: TENANT }),
    });
    expect(answer.status).toBe(202);
    server.signal('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(sink!.messages.map((mail) => JSON.stringify(mail.to))).toEqual([
      expect.stringContaining('kim@example.com'),
    ]);
  }, 30_000);
});
