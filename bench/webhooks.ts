/**
 * Webhook delivery (`npm run bench:webhooks`): staff-side changes through the provisioning API
 * (a login disabled, then enabled: two events a client, 8 requests at a time) on each backend,
 * delivered by the server's dispatcher to a real HTTP receiver on this machine. Prints events
 * delivered per second and the delay from the API's answer to the receiver having the event,
 * beside the anchor: the same number of signed POSTs sent straight to the receiver, one after
 * the other, as a server with no queue would send them.
 *
 *   tsx bench/webhooks.ts                    2,000 events on memory, fs, redis, postgres
 *   tsx bench/webhooks.ts --events 500 --backend redis
 */

import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PROVISION_KEY, TENANT, type TestApp } from '../test/helpers/app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../test/helpers/webhook-receiver.js';
import { createWebhookSender } from '../server/webhooks/sender.js';
import { newWebhookSecret, signedHeaders } from '../server/webhooks/signing.js';
import { openApp, percentile, printTable, runBench, type Backend, type BenchServices } from './backends.js';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '2000' },
    backend: { type: 'string', multiple: true },
  },
});
const EVENTS = Number(values.events);
const CLIENTS = Math.ceil(EVENTS / 2);
const BACKENDS = (values.backend ?? ['memory', 'fs', 'redis', 'postgres']) as Backend[];
const CONCURRENCY = 8;
const provision = { Authorization: `Bearer ${PROVISION_KEY}` };

interface Row {
  backend: Backend;
  perSecond: number;
  p50: number;
  p99: number;
  /** One event at a time, the queue idle: the delay an integrator sees day to day. */
  idleP50: number;
  idleP99: number;
  anchorPerSecond: number;
}

const IDLE_SAMPLES = 50;

/** One change at a time, each waited for at the receiver: the delay from the answer to the event. */
async function idleDelays(t: TestApp, receiver: WebhookReceiver): Promise<number[]> {
  const delays: number[] = [];
  for (let i = 0; i < IDLE_SAMPLES; i++) {
    const body = { name: 'Member 0', email: 'w0@example.com', tenants: [TENANT], loginEnabled: i % 2 === 1 };
    const res = await t.put('/api/provision/clients/w-0', body, provision);
    if (res.status !== 200) throw new Error(`provisioning answered ${res.status}`);
    const answered = performance.now();
    const [message] = await receiver.waitFor(i + 1).then((all) => all.slice(-1));
    delays.push(message.at - answered);
  }
  return delays.sort((a, b) => a - b);
}

/** The anchor: signed POSTs straight to the receiver, one at a time. */
async function sendDirectly(receiver: WebhookReceiver, count: number): Promise<number> {
  const send = createWebhookSender({ allowPrivate: true, timeoutMs: 10_000 });
  const secrets = [{ secret: newWebhookSecret() }];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify({
      type: 'login.disabled',
      timestamp: new Date().toISOString(),
      data: { clientId: `d-${i}` },
    });
    const result = await send(
      receiver.url,
      signedHeaders(secrets, `msg_direct_${i}`, new Date(), body),
      body,
    );
    if (!result.ok) throw new Error(`the receiver answered ${result.status ?? result.error}`);
  }
  return (count * 1000) / (performance.now() - started);
}

async function provisionClients(t: TestApp): Promise<void> {
  for (let i = 0; i < CLIENTS; i++) {
    const res = await t.put(
      `/api/provision/clients/w-${i}`,
      { name: `Member ${i}`, email: `w${i}@example.com`, tenants: [TENANT] },
      provision,
    );
    if (res.status !== 201) throw new Error(`provisioning answered ${res.status}`);
  }
}

/** Two changes a client, 8 clients at a time; returns when each event's change was answered. */
async function makeEvents(t: TestApp): Promise<Map<string, number>> {
  const answeredAt = new Map<string, number>();
  let next = 0;
  const worker = async () => {
    while (next < CLIENTS) {
      const i = next++;
      for (const loginEnabled of [false, true]) {
        const body = { name: `Member ${i}`, email: `w${i}@example.com`, tenants: [TENANT], loginEnabled };
        const res = await t.put(`/api/provision/clients/w-${i}`, body, provision);
        if (res.status !== 200) throw new Error(`provisioning answered ${res.status}`);
        answeredAt.set(`w-${i}:${loginEnabled ? 'login.enabled' : 'login.disabled'}`, performance.now());
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return answeredAt;
}

async function measure(backend: Backend, services: BenchServices): Promise<Row> {
  const receiver = await startWebhookReceiver();
  const { t, dataDir } = await openApp(backend, services, { WEBHOOKS_ALLOW_PRIVATE: '1' });
  try {
    t.clock.set(Date.now());
    await provisionClients(t);
    const created = await t.post('/api/provision/webhooks', { url: receiver.url }, provision);
    if (created.status !== 201) throw new Error(`registering answered ${created.status}`);
    t.deps.webhooks.start();
    const started = performance.now();
    const answeredAt = await makeEvents(t);
    await receiver.waitFor(CLIENTS * 2, 600_000);
    const last = Math.max(...receiver.received.map((message) => message.at));
    const delays = receiver.received
      .map((message) => {
        const event = JSON.parse(message.body) as { type: string; data: { clientId: string } };
        return message.at - answeredAt.get(`${event.data.clientId}:${event.type}`)!;
      })
      .sort((a, b) => a - b);
    const perSecond = (CLIENTS * 2 * 1000) / (last - started);
    receiver.received.length = 0;
    const idle = await idleDelays(t, receiver);
    receiver.received.length = 0;
    return {
      backend,
      perSecond,
      p50: percentile(delays, 0.5),
      p99: percentile(delays, 0.99),
      idleP50: percentile(idle, 0.5),
      idleP99: percentile(idle, 0.99),
      anchorPerSecond: await sendDirectly(receiver, CLIENTS * 2),
    };
  } finally {
    await t.close();
    await receiver.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

function print(rows: Row[], out: NodeJS.WritableStream = process.stdout): void {
  printTable(
    [
      'backend',
      'events',
      'burst: delivered/s',
      'answer → received p50',
      'p99',
      'one at a time: p50',
      'p99',
      'direct POSTs/s',
      'delivered / direct',
    ],
    rows.map((row) => [
      row.backend,
      String(CLIENTS * 2),
      row.perSecond.toFixed(0),
      `${row.p50.toFixed(1)} ms`,
      `${row.p99.toFixed(1)} ms`,
      `${row.idleP50.toFixed(1)} ms`,
      `${row.idleP99.toFixed(1)} ms`,
      row.anchorPerSecond.toFixed(0),
      `${(row.perSecond / row.anchorPerSecond).toFixed(2)}×`,
    ]),
    out,
  );
}

await runBench({
  backends: BACKENDS,
  cases: BACKENDS,
  label: (backend) => backend,
  measure,
  print,
  title:
    `Webhook delivery: ${CLIENTS * 2} events (a login disabled then enabled, ${CONCURRENCY} provisioning requests at a time) ` +
    `delivered by one server in process to an HTTP receiver on this machine; then ${IDLE_SAMPLES} changes one at a time, each waited for; ` +
    'anchor: as many signed POSTs sent straight to the receiver, one at a time.',
});
