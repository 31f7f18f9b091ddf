/**
 * The body limit over real HTTP, as clients send bodies: with a Content-Length (checked from the
 * header, the body never read) and chunked (counted as it streams). Both are refused past 16 KiB
 * with 413; a GET, which has no body, passes without the limit reading anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionEnv } from '../helpers/app.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
beforeAll(async () => {
  server = await startServerProcess(productionEnv({ LOG_LEVEL: 'warn' }));
}, 30_000);
afterAll(() => server?.stop());

const big = JSON.stringify({ identifier: 'x'.repeat(17 * 1024) });

describe('the body limit over HTTP', () => {
  it('refuses a body over 16 KiB by its Content-Length', async () => {
    const answer = await fetch(`${server.url}/api/forgot`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: big,
    });
    expect(answer.status).toBe(413);
    expect(((await answer.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('refuses a chunked body once it passes 16 KiB', async () => {
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 4096) controller.enqueue(bytes.slice(at, at + 4096));
        controller.close();
      },
    });
    const answer = await fetch(`${server.url}/api/forgot`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect(answer.status).toBe(413);
  });

  it('takes a small body and a GET', async () => {
    const asked = await fetch(`${server.url}/api/forgot`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ identifier: 'someone@example.com' }),
    });
    expect(asked.status).toBe(202);
    expect((await fetch(`${server.url}/api/policy`)).status).toBe(200);
  });
});
