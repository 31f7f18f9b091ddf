/** `client-reset webhooks replay`: after an outage on the receiver's side, what failed is sent again. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { productionEnv, PROVISION_KEY, TENANT } from '../helpers/app.js';
import { clientReset } from '../helpers/client-reset-command.js';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.js';
import { startWebhookReceiver, verified, type WebhookReceiver } from '../helpers/webhook-receiver.js';

const provision = { Authorization: `Bearer ${PROVISION_KEY}`, 'Content-Type': 'application/json' };

describe('client-reset webhooks replay', () => {
  let server: ServerProcess;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    server = await startServerProcess(
      productionEnv({
        WEBHOOKS_ALLOW_PRIVATE: '1',
        WEBHOOKS_POLL_MS: '50',
        WEBHOOKS_FIRST_RETRY_MS: '100',
        // Tried for about a second, so the test sees a delivery given up.
        WEBHOOKS_RETRY_HOURS: '0.0003',
      }),
    );
  }, 30_000);

  afterAll(async () => {
    await server?.stop();
    await receiver?.close();
  });

  it('sends the failed deliveries again, each with its event id', async () => {
    const created = await fetch(`${server.url}/api/provision/webhooks`, {
      method: 'POST',
      headers: provision,
      body: JSON.stringify({ url: receiver.url }),
    });
    const { id, secret } = (await created.json()) as { id: string; secret: string };
    receiver.answer(500);
    const member = { name: 'Ida Lind', email: 'ida@example.com', tenants: [TENANT] };
    for (const loginEnabled of [true, false, true]) {
      await fetch(`${server.url}/api/provision/clients/m-1`, {
        method: 'PUT',
        headers: provision,
        body: JSON.stringify({ ...member, loginEnabled }),
      });
    }
    const states = async () => {
      const log = await fetch(`${server.url}/api/provision/webhooks/${id}/deliveries`, {
        headers: provision,
      });
      return ((await log.json()) as { items: Array<{ state: string }> }).items.map((item) => item.state);
    };
    const deadline = Date.now() + 15_000;
    while ((await states()).join() !== 'failed,failed' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await states()).toEqual(['failed', 'failed']);
    const failedIds = new Set(receiver.received.map((message) => message.headers['webhook-id']));
    expect(failedIds.size).toBe(2);

    receiver.answer(200);
    receiver.received.length = 0;
    const env = { CLIENT_RESET_URL: server.url, PROVISION_API_KEY: PROVISION_KEY };
    const replay = await clientReset(['webhooks', 'replay', id, '--since', '1h'], env);
    expect([replay.code, replay.stderr]).toEqual([0, expect.stringContaining(`2 failed deliveries since`)]);
    const received = await receiver.waitFor(2);
    expect(received.map((message) => verified(secret, message).type)).toEqual([
      'login.disabled',
      'login.enabled',
    ]);
    expect(new Set(received.map((message) => message.headers['webhook-id']))).toEqual(failedIds);

    const unknown = await clientReset(['webhooks', 'replay', 'ep_nope'], env);
    expect([unknown.code, unknown.stderr]).toEqual([1, expect.stringContaining('the server answered 404')]);
  }, 60_000);
});
