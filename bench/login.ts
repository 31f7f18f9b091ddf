/**
 * Logins against their anchor, raw `@node-rs/argon2` `verify` of the same hash: what a login can
 * cost at least, since it must check the password. Three figures, each in interleaved rounds:
 *   - throughput: logins per second of the compiled server (16 connections, one member whose
 *     password hash has the server's parameters) against verifies per second with 16 in flight;
 *   - event-loop delay p99 while logins saturate (the server's own, from its metrics) against the
 *     same figure in a process doing only the raw verifies, both sampled every 10 ms as the
 *     server's metric is, and printed as how late that timer ran (the 10 ms themselves taken off);
 *   - `GET /api/policy` p99 while logins saturate, against the same request when the server idles;
 *   - admission under a flood: 200 logins in flight at once (200 members, each from an address of
 *     its own), how many are admitted and answered per second, how many are refused at once with
 *     `503 server_busy` and `Retry-After`, and the p99 time of the admitted ones (target ≤ 2 s).
 *   tsx bench/login.ts [--rounds 3] [--seconds 4]
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { hash, verify } from '@node-rs/argon2';
import autocannon from 'autocannon';
import { passwordHashing } from '../server/crypto/params.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { ROOT, servedArgs } from './built-server.js';

const CONCURRENCY = 16;
const PASSWORD = 'velvet-harbor-quartz-91';
const PROVISION_KEY = 'bench-provision-key-0123456789abcdef';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '4' } },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * The server's event-loop metric (prom-client's) samples every 10 ms and counts the whole
 * interval: an idle loop reads 10 ms. The anchor is sampled the same way, and both are printed
 * as the lateness beyond the interval.
 */
const LOOP_SAMPLING_MS = 10;

/** Raw verifies with 16 in flight for `seconds`: verifies per second and this process's event-loop delay p99. */
async function rawVerifies(stored: string): Promise<{ perSecond: number; loopP99: number }> {
  const delay = monitorEventLoopDelay({ resolution: LOOP_SAMPLING_MS });
  delay.enable();
  const until = performance.now() + seconds * 1000;
  let done = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        if (!(await verify(stored, PASSWORD))) throw new Error('the anchor hash does not verify');
        done++;
      }
    }),
  );
  delay.disable();
  return { perSecond: done / seconds, loopP99: delay.percentile(99) / 1e6 - LOOP_SAMPLING_MS };
}

async function metric(server: ServerProcess, name: string): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

/**
 * A page's worth of policy reads (50 a second), not a flood: a flood would be a second workload
 * taking the cores from the logins being measured, not a probe of how fast answers stay.
 */
const POLICY_RATE = 50;

async function policyP99(server: ServerProcess): Promise<number> {
  const result = await autocannon({
    url: `${server.url}/api/policy`,
    connections: 1,
    overallRate: POLICY_RATE,
    duration: seconds,
  });
  return result.latency.p99;
}

const FLOOD = 200;

/** Provisions members m-1 … m-`count` with the one precomputed hash. */
async function provisionMembers(server: ServerProcess, stored: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    const put = await fetch(`${server.url}/api/provision/clients/m-${i}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${PROVISION_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: `Member ${i}`,
        email: i === 1 ? 'member@example.com' : `member-${i}@example.com`,
        emailConfirmed: true,
        tenants: ['bench'],
        passwordHash: stored,
      }),
    });
    if (!put.ok) throw new Error(`provisioning a member failed: ${put.status} ${await put.text()}`);
  }
}

/** 200 logins in flight for `seconds`, each of its own member and address: admitted and refused. */
async function flood(server: ServerProcess) {
  const admitted: number[] = [];
  let refused = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: FLOOD }, async (_, i) => {
      const identifier = i === 0 ? 'member@example.com' : `member-${i + 1}@example.com`;
      while (performance.now() < until) {
        const started = performance.now();
        const answer = await fetch(`${server.url}/api/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `10.1.${i >> 8}.${i & 255}` },
          body: JSON.stringify({ identifier, password: PASSWORD, tenant: 'bench' }),
        });
        await answer.arrayBuffer();
        if (answer.status === 200) admitted.push(performance.now() - started);
        else if (answer.status === 503 && answer.headers.get('Retry-After')) {
          refused++;
          // As a client told to retry later does: not at once.
          await new Promise((resolve) => setTimeout(resolve, 1000));
        } else throw new Error(`a login in the flood was answered ${answer.status}`);
      }
    }),
  );
  const sorted = admitted.sort((a, b) => a - b);
  return {
    admittedPerSecond: admitted.length / seconds,
    refused,
    p99: sorted[Math.floor(sorted.length * 0.99)] ?? NaN,
  };
}

/** Logins for `seconds` with 16 connections, and the policy p99 measured alongside. */
async function serverLogins(
  server: ServerProcess,
): Promise<{ perSecond: number; loopP99: number; policyP99: number }> {
  const logins = autocannon({
    url: `${server.url}/api/login`,
    method: 'POST',
    connections: CONCURRENCY,
    duration: seconds,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ identifier: 'member@example.com', password: PASSWORD, tenant: 'bench' }),
  });
  await metric(server, 'client_reset_nodejs_eventloop_lag_p99_seconds'); // starts its window afresh
  const policy = policyP99(server);
  const [result, p99] = await Promise.all([logins, policy]);
  if (result.non2xx > 0) throw new Error(`${result.non2xx} logins were not answered 200`);
  // prom-client's default metrics: the event-loop delay since the last reset, in seconds.
  const loopP99 =
    (await metric(server, 'client_reset_nodejs_eventloop_lag_p99_seconds')) * 1000 - LOOP_SAMPLING_MS;
  return { perSecond: result.requests.average, loopP99, policyP99: p99 };
}

async function main(): Promise<void> {
  const stored = await hash(PASSWORD, passwordHashing);
  const server = await startServerProcess(
    {
      DEMO: '0',
      STORAGE: 'memory',
      MAIL: 'outbox',
      PUBLIC_URL: 'http://localhost',
      PROVISION_API_KEY: PROVISION_KEY,
      // The flood's members each come from an address of their own, as behind a proxy.
      TRUST_PROXY: '1',
      METRICS: 'on',
      LOG_LEVEL: 'warn',
    },
    undefined,
    { args: servedArgs(), cwd: ROOT },
  );
  try {
    await provisionMembers(server, stored, FLOOD);
    const idleP99 = await policyP99(server);
    await rawVerifies(stored); // warm-up, not counted
    await serverLogins(server);
    const rows: Array<{ raw: number; rawLoop: number; logins: number; loop: number; policy: number }> = [];
    for (let round = 0; round < rounds; round++) {
      const raw = await rawVerifies(stored);
      const served = await serverLogins(server);
      rows.push({
        raw: raw.perSecond,
        rawLoop: raw.loopP99,
        logins: served.perSecond,
        loop: served.loopP99,
        policy: served.policyP99,
      });
    }
    const ratios = rows.map((row) => row.logins / row.raw);
    console.log(
      `Logins, argon2id (m=${passwordHashing.memoryCost} KiB, t=${passwordHashing.timeCost}), ${CONCURRENCY} in flight, ${rounds} interleaved rounds of ${seconds} s`,
    );
    console.log(
      `login throughput        raw verify ${median(rows.map((r) => r.raw)).toFixed(0)}/s   server ${median(rows.map((r) => r.logins)).toFixed(0)}/s   ratio ${median(ratios).toFixed(2)}× (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`,
    );
    console.log(
      `event-loop lateness p99 raw verify ${median(rows.map((r) => r.rawLoop)).toFixed(1)} ms   server ${median(rows.map((r) => r.loop)).toFixed(1)} ms`,
    );
    console.log(
      `GET /api/policy p99     idle ${idleP99} ms   while logins saturate ${median(rows.map((r) => r.policy))} ms   (${POLICY_RATE} a second)`,
    );
    const flooded = await flood(server);
    console.log(
      `${FLOOD} logins in flight     admitted ${flooded.admittedPerSecond.toFixed(0)}/s, p99 ${(flooded.p99 / 1000).toFixed(2)} s   refused at once (503, Retry-After) ${flooded.refused}`,
    );
    console.log(`load average (1 min): ${loadavg()[0].toFixed(2)}`);
  } finally {
    await server.stop();
  }
}

await main();
