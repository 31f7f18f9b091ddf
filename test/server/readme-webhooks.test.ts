/**
 * The README's webhook receiver, run as written against the real server process: it verifies
 * each event with the Standard Webhooks library, handles each once, and refuses a forged one.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionEnv, PROVISION_KEY, TENANT } from '../helpers/app.js';
import { readmeSnippet } from '../helpers/readme.js';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const provision = { Authorization: `Bearer ${PROVISION_KEY}`, 'Content-Type': 'application/json' };

interface Snippet {
  receiver: Server;
  sessionsEnded: string[];
}

describe('README: webhooks', () => {
  let server: ServerProcess;
  let snippet: Snippet;
  let receiverUrl: string;

  beforeAll(async () => {
    server = await startServerProcess(
      productionEnv({
        WEBHOOKS_ALLOW_PRIVATE: '1',
      }),
    );
    const port = await freePort();
    receiverUrl = `http://127.0.0.1:${port}/hooks/reset`;
    const created = await fetch(`${server.url}/api/provision/webhooks`, {
      method: 'POST',
      headers: provision,
      body: JSON.stringify({ url: receiverUrl, tenants: [TENANT] }),
    });
    expect(created.status).toBe(201);
    process.env.RESET_WEBHOOK_SECRET = ((await created.json()) as { secret: string }).secret;
    // Inside the project, so `standardwebhooks` resolves as in the integrator's app.
    const folder = join(root, '.tmp');
    await mkdir(folder, { recursive: true });
    const file = join(folder, `webhooks-snippet-${port}.ts`);
    await writeFile(file, await readmeSnippet('webhooks-snippet', 'ts'));
    snippet = (await import(pathToFileURL(file).href)) as Snippet;
    await rm(file);
    await new Promise<void>((resolve) => snippet.receiver.listen(port, '127.0.0.1', resolve));
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => snippet?.receiver.close(resolve));
    await server?.stop();
  });

  it('the receiver ends the sessions of a member whose login was disabled, once', async () => {
    const put = (body: object) =>
      fetch(`${server.url}/api/provision/clients/m-7`, {
        method: 'PUT',
        headers: provision,
        body: JSON.stringify(body),
      });
    const member = { name: 'Ida Lind', email: 'ida@example.com', tenants: [TENANT] };
    expect((await put(member)).status).toBe(201);
    expect((await put({ ...member, loginEnabled: false })).status).toBe(200);
    const deadline = Date.now() + 10_000;
    while (snippet.sessionsEnded.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(snippet.sessionsEnded).toEqual(['m-7']);
  });

  it('refuses a request not signed with the secret', async () => {
    const forged = await fetch(receiverUrl, {
      method: 'POST',
      headers: {
        'webhook-id': 'msg_forged',
        'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
        'webhook-signature': 'v1,bm90IGEgcmVhbCBzaWduYXR1cmU=',
      },
      body: JSON.stringify({
        type: 'client.deleted',
        timestamp: new Date().toISOString(),
        data: { clientId: 'm-8' },
      }),
    });
    expect(forged.status).toBe(400);
    expect(snippet.sessionsEnded).not.toContain('m-8');
  });
});
