/**
 * Where members outgrow one machine: logins/s of 1, 2 and 4 processes of the compiled server
 * (`npm run build` first) sharing ONE throw-away Redis and, separately, ONE throw-away PostgreSQL.
 * A login with the right password (an argon2id verify, ≈12 ms of a core) is the expensive request.
 * 200 members are provisioned beforehand (PROVISION_API_KEY) and taken in turn, so no throttle
 * refuses; every answer must be 200. Four processes start once per store; configuration N loads
 * the first N, one autocannon each, 16 connections in all, in interleaved rounds.
 *
 * Pinning: with taskset and two cores or more, process i runs on core i mod cores with
 * UV_THREADPOOL_SIZE=2: Node sees one core (availableParallelism honours the affinity), so the
 * server admits one hash at a time, and libuv's pool is sized for that core, not the default 4.
 * Without pinning each gets UV_THREADPOOL_SIZE=cores+1. The load generator and the stores are not
 * pinned: on a small machine they share the servers' cores.
 *
 * Prints per configuration logins/s in all and a process, the scaling efficiency
 * (total_N / total_1) / N (target ≥ 0.8 up to the cores available; more processes than cores are
 * "beyond cores"), the CPU the servers got (in cores, from /proc) and their CPU ms a login — which
 * tell servers starved of their cores from a store holding them back — and "logins per second per
 * core" (the best configuration's total / the cores it used), the capacity planning figure.
 *   tsx bench/scaling.ts [--backend redis|postgres ...] [--rounds 3] [--seconds 4]
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { hash } from '@node-rs/argon2';
import autocannon from 'autocannon';
import { passwordHashing } from '../server/crypto/params.js';
import { createDatabase } from '../test/helpers/postgres-server.js';
import { startServerProcess, type ServerProcess } from '../test/helpers/server-process.js';
import { printTable, startServices, type Backend } from './backends.js';
import { pinning } from './pinning.js';
import { ROOT, servedArgs } from './built-server.js';

const CONNECTIONS = 16;
const PROCESSES = [1, 2, 4];
const MEMBERS = 200;
const PASSWORD = 'velvet-harbor-quartz-91';
const PROVISION_KEY = 'bench-provision-key-0123456789abcdef';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '4' },
    backend: { type: 'string', multiple: true },
  },
});
const rounds = Number(values.rounds);
const seconds = Number(values.seconds);
const backends = (values.backend ?? ['redis', 'postgres']) as Backend[];
for (const backend of backends) {
  if (backend !== 'redis' && backend !== 'postgres') {
    console.error(`--backend must be redis or postgres, not ${backend}`);
    process.exit(1);
  }
}
const SERVED = servedArgs();
const cores = availableParallelism();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Process i: pinned to core i mod cores when possible, with a thread pool to match. */
function command(i: number): { executable: string; args: string[]; env: Record<string, string> } {
  return pinning
    ? {
        executable: 'taskset',
        args: ['-c', String(i % cores), process.execPath, ...SERVED],
        env: { UV_THREADPOOL_SIZE: '2' },
      }
    : { executable: process.execPath, args: SERVED, env: { UV_THREADPOOL_SIZE: String(cores + 1) } };
}

async function provisionMembers(server: ServerProcess): Promise<void> {
  const passwordHash = await hash(PASSWORD, passwordHashing);
  for (let i = 0; i < MEMBERS; i++) {
    const put = await fetch(`${server.url}/api/provision/clients/m-${i}`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${PROVISION_KEY}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        name: `Member ${i}`,
        email: `member-${i}@example.com`,
        emailConfirmed: true,
        tenants: ['bench'],
        passwordHash,
      }),
    });
    if (!put.ok) throw new Error(`provisioning member ${i} failed: ${put.status} ${await put.text()}`);
  }
}

/** CPU time a process has used, in seconds (Linux /proc; NaN elsewhere). */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in 100 Hz ticks
  } catch {
    return NaN;
  }
}

let nextMember = 0;

interface Sample {
  /** Logins per second, all processes together. */
  total: number;
  /** CPU the servers used, in cores (1 = one core busy throughout). */
  cores: number;
  /** Server CPU time a login, in ms. */
  cpuMs: number;
}

/** Logins for `seconds` over the given processes, 16 connections in all. */
async function logins(servers: ServerProcess[]): Promise<Sample> {
  const cpu = () => servers.reduce((sum, server) => sum + cpuSeconds(server.pid), 0);
  const cpuBefore = cpu();
  const started = performance.now();
  const results = await Promise.all(
    servers.map((server) =>
      autocannon({
        url: server.url,
        connections: CONNECTIONS / servers.length,
        duration: seconds,
        headers: { 'content-type': 'application/json' },
        requests: [
          {
            method: 'POST',
            path: '/api/login',
            setupRequest: (request) => ({
              ...request,
              body: JSON.stringify({
                identifier: `member-${nextMember++ % MEMBERS}@example.com`,
                password: PASSWORD,
                tenant: 'bench',
              }),
            }),
          },
        ],
      }),
    ),
  );
  for (const result of results) {
    const refused = Object.entries(result.statusCodeStats ?? {}).filter(([code]) => code !== '200');
    if (refused.length > 0 || result.errors > 0 || result.timeouts > 0)
      throw new Error(
        `logins not answered 200: ${refused.map(([code, s]) => `${s.count} × ${code}`).join(', ') || 'none'}; ${result.errors} errors, ${result.timeouts} timeouts`,
      );
  }
  const used = cpu() - cpuBefore;
  const count = results.reduce((sum, result) => sum + result.requests.total, 0);
  return {
    total: count / seconds,
    cores: used / ((performance.now() - started) / 1000),
    cpuMs: (used * 1000) / count,
  };
}

async function measure(backend: Backend): Promise<void> {
  const services = await startServices([backend]);
  const servers: ServerProcess[] = [];
  try {
    const storeEnv: Record<string, string> =
      backend === 'redis'
        ? { REDIS_URL: services.redis!.url }
        : { DATABASE_URL: await createDatabase(services.postgres!, 'bench_scaling') };
    // One after the other: the first creates the schema and the signing key the others read.
    for (let i = 0; i < Math.max(...PROCESSES); i++) {
      const { env, ...how } = command(i);
      const base = { DEMO: '0', STORAGE: backend, MAIL: 'outbox', PUBLIC_URL: 'http://localhost' };
      const settings = { PROVISION_API_KEY: PROVISION_KEY, LOG_LEVEL: 'warn', ...storeEnv, ...env };
      servers.push(await startServerProcess({ ...base, ...settings }, undefined, { ...how, cwd: ROOT }));
    }
    await provisionMembers(servers[0]);
    await logins(servers); // warm-up of every process, not counted
    const samples = new Map<number, Sample[]>(PROCESSES.map((n) => [n, []]));
    for (let round = 0; round < rounds; round++) {
      for (const n of PROCESSES) samples.get(n)!.push(await logins(servers.slice(0, n)));
    }
    const one = median(samples.get(1)!.map((sample) => sample.total));
    let best = { n: 1, total: one };
    const lines = PROCESSES.map((n) => {
      const runs = samples.get(n)!.map((sample) => sample.total);
      const total = median(runs);
      // Truncated, not rounded, so that a printed 0.80 has met the target.
      const efficiency = Math.floor((total / one / n) * 100) / 100;
      if (n <= cores && total > best.total) best = { n, total };
      const verdict = n > cores ? 'beyond cores' : efficiency >= 0.8 ? 'meets ≥ 0.8' : 'below 0.8';
      return [
        String(n),
        total.toFixed(0),
        `${Math.min(...runs).toFixed(0)}–${Math.max(...runs).toFixed(0)}`,
        (total / n).toFixed(0),
        efficiency.toFixed(2),
        median(samples.get(n)!.map((sample) => sample.cores)).toFixed(2),
        median(samples.get(n)!.map((sample) => sample.cpuMs)).toFixed(1),
        verdict,
      ];
    });
    console.log(`\n${backend}: one ${backend} shared by every process`);
    printTable(
      ['processes', 'logins/s', 'spread', 'a process', 'efficiency', 'server cores', 'CPU ms a login', ''],
      lines,
      process.stdout,
    );
    const used = Math.min(best.n, cores);
    console.log(
      `logins per second per core (${backend}): ${(best.total / used).toFixed(0)} (${best.n} processes on ${used} cores)`,
    );
  } finally {
    await Promise.all(servers.map((server) => server.stop()));
    await services.stop();
  }
}

const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
const loadBefore = load();
console.log(
  `Login scaling, argon2id (m=${passwordHashing.memoryCost} KiB, t=${passwordHashing.timeCost}), ` +
    `${CONNECTIONS} connections in all, ${MEMBERS} members, ${rounds} interleaved rounds of ${seconds} s`,
);
const pinned = pinning
  ? 'process i pinned to core i mod cores, UV_THREADPOOL_SIZE=2'
  : `no pinning (needs taskset and two cores), UV_THREADPOOL_SIZE=${cores + 1}`;
console.log(`${cores} cores available; ${pinned}; load generator and stores unpinned`);
for (const backend of backends) await measure(backend);
console.log(`\nLoad average (1, 5, 15 min): ${loadBefore} before, ${load()} after`);
