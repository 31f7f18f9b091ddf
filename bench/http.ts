/**
 * HTTP throughput of the server against its anchor, a minimal Hono app on the same Node
 * (`bench/anchors/minimal-hono.ts`): `GET /api/policy` and `POST /api/forgot` (answered), each
 * server a process of its own running what production runs (the built `client-reset serve`; run
 * `npm run build` first), loaded in turn by autocannon with 16 connections, in interleaved rounds
 * so that the machine's state weighs on both alike. Prints requests per second of each, the
 * ratio per round, its median and spread, and the machine's load. No assertion: a bench prints.
 *   tsx bench/http.ts [policy|forgot ...] [--rounds 5] [--seconds 3]
 */
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { onServerCores, pinLoadGenerator, pinningNote } from './pinning.js';
import { ROOT, servedArgs } from './built-server.js';

const CONNECTIONS = 16;

interface Scenario {
  name: string;
  path: string;
  method: 'GET' | 'POST';
  body?: string;
}

const SCENARIOS: Scenario[] = [
  { name: 'policy', path: '/api/policy', method: 'GET' },
  {
    name: 'forgot',
    path: '/api/forgot',
    method: 'POST',
    body: JSON.stringify({ identifier: 'nobody@example.com' }),
  },
];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '5' }, seconds: { type: 'string', default: '3' } },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const chosen = positionals.length ? SCENARIOS.filter((s) => positionals.includes(s.name)) : SCENARIOS;

async function load(server: ServerProcess, scenario: Scenario): Promise<{ rps: number; p99: number }> {
  const result = await autocannon({
    url: `${server.url}${scenario.path}`,
    method: scenario.method,
    connections: CONNECTIONS,
    duration: seconds,
    ...(scenario.body ? { body: scenario.body, headers: { 'content-type': 'application/json' } } : {}),
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${scenario.name}: ${result.non2xx} answers not 2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p99: result.latency.p99 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const served = servedArgs();
  const env = {
    DEMO: '0',
    STORAGE: 'memory',
    MAIL: 'outbox',
    PUBLIC_URL: 'http://localhost',
    ADMIN_JWT_SECRET: 'bench-staff-secret-that-is-long-enough-for-hs256',
  };
  pinLoadGenerator();
  const server = await startServerProcess(env, undefined, { ...onServerCores(served), cwd: ROOT });
  const anchor = await startServerProcess({}, undefined, {
    ...onServerCores(['--import', 'tsx', path.join(ROOT, 'bench/anchors/minimal-hono.ts')]),
    cwd: ROOT,
  });
  try {
    const loadBefore = loadavg()[0];
    console.log(`HTTP throughput, ${CONNECTIONS} connections, ${rounds} interleaved rounds of ${seconds} s`);
    console.log(pinningNote());
    console.log('scenario  anchor req/s  server req/s  ratio (median)  ratio spread  server p99 ms');
    for (const scenario of chosen) {
      // One warm-up pass each, not counted.
      await load(anchor, scenario);
      await load(server, scenario);
      const ratios: number[] = [];
      const anchorRps: number[] = [];
      const serverRps: number[] = [];
      const p99s: number[] = [];
      for (let round = 0; round < rounds; round++) {
        const a = await load(anchor, scenario);
        const s = await load(server, scenario);
        anchorRps.push(a.rps);
        serverRps.push(s.rps);
        p99s.push(s.p99);
        ratios.push(s.rps / a.rps);
      }
      console.log(
        [
          scenario.name.padEnd(8),
          String(Math.round(median(anchorRps))).padStart(12),
          String(Math.round(median(serverRps))).padStart(13),
          `${median(ratios).toFixed(2)}×`.padStart(15),
          `${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)}`.padStart(13),
          String(median(p99s)).padStart(14),
        ].join('  '),
      );
    }
    console.log(`load average (1 min): ${loadBefore.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`);
  } finally {
    await server.stop();
    await anchor.stop();
  }
}

await main();
