/**
 * The directory at scale (`npm run bench:directory`): provisions clients into one tenant over the
 * provisioning API (`PUT /api/provision/clients/:id`, in process, 8 at a time) on each backend,
 * and prints the insert rate of the first and last 10 %, staff search p50/p99 for 3-letter queries
 * (`GET /api/admin/clients?q=`, a page of 50 summaries), get-by-id p99, the cost of one outbox
 * mail, and the data size.
 *
 *   tsx bench/directory.ts                          1k, 10k and 100k on memory, fs, redis, postgres
 *   tsx bench/directory.ts --sizes 1000,10000       other sizes
 *   tsx bench/directory.ts --backend redis          one backend (repeatable)
 */
import { execFileSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PROVISION_KEY, TENANT, type TestApp } from '../test/helpers/app.js';
import { queryPostgres } from '../test/helpers/postgres-server.js';
import { FIRST_NAMES as FIRST, LAST_NAMES as LAST } from '../test/helpers/people.js';
import { openApp, percentile, printTable, runBench, type Backend, type BenchServices } from './backends.js';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000,10000,100000' },
    backend: { type: 'string', multiple: true },
  },
});
const SIZES = values.sizes.split(',').map(Number);
const BACKENDS = (values.backend ?? ['memory', 'fs', 'redis', 'postgres']) as Backend[];
const CONCURRENCY = 8;
const SEARCHES = 200;
const GETS = 200;
const WARM_UP = 10;

function person(i: number) {
  const first = FIRST[i % FIRST.length];
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
  const name = `${first} ${last} ${i.toString(36)}`;
  const email = `${first}.${last}.${i}@example.com`.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return { id: `m-${i}`, name, email };
}

interface Row {
  backend: Backend;
  size: number;
  firstRate: number;
  lastRate: number;
  searchP50: number;
  searchP99: number;
  getP99: number;
  mailMs: number;
  dataSize: string;
}

/** Puts clients `from`..`to` (exclusive) through provisioning, 8 at a time; returns inserts per second. */
async function provision(t: TestApp, from: number, to: number): Promise<number> {
  let next = from;
  const started = performance.now();
  const worker = async () => {
    while (next < to) {
      const { id, name, email } = person(next++);
      const res = await t.put(
        `/api/provision/clients/${id}`,
        { name, email, tenants: [TENANT] },
        { Authorization: `Bearer ${PROVISION_KEY}` },
      );
      if (res.status !== 201) throw new Error(`provisioning answered ${res.status}: ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return ((to - from) * 1000) / (performance.now() - started);
}

async function timed(work: () => Response | Promise<Response>): Promise<number> {
  const started = performance.now();
  const res = await work();
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`answered ${res.status}`);
  return performance.now() - started;
}

async function dataSize(
  backend: Backend,
  where: { dataDir: string | null; databaseUrl: string | null },
  services: BenchServices,
): Promise<string> {
  const { dataDir, databaseUrl } = where;
  if (backend === 'fs' && dataDir) return execFileSync('du', ['-sh', dataDir]).toString().split('\t')[0];
  if (backend === 'redis') {
    const info = execFileSync('redis-cli', ['-p', String(services.redis!.port), 'info', 'memory']).toString();
    return /used_memory_human:(\S+)/.exec(info)?.[1] ?? '?';
  }
  if (backend === 'postgres' && databaseUrl) {
    return queryPostgres(databaseUrl, 'SELECT pg_size_pretty(pg_database_size(current_database()))');
  }
  return '—';
}

async function measure(backend: Backend, size: number, services: BenchServices): Promise<Row> {
  const { t, dataDir, databaseUrl } = await openApp(backend, services);
  try {
    const tenth = Math.max(1, Math.floor(size / 10));
    const firstRate = await provision(t, 0, tenth);
    await provision(t, tenth, size - tenth);
    const lastRate = await provision(t, size - tenth, size);
    // What autovacuum does within a minute of a bulk load; measured in the minute itself, searches
    // would also pay for its work on the tables they read.
    if (databaseUrl) await queryPostgres(databaseUrl, 'VACUUM ANALYZE');

    const staff = await t.asStaff({ tid: TENANT });
    // Connections, caches and compiled code warmed by a few searches that are not counted.
    for (let i = 0; i < WARM_UP; i++) {
      await timed(() => t.get(`/api/admin/clients?q=${encodeURIComponent(FIRST[i % FIRST.length])}`, staff));
    }
    const searches: number[] = [];
    const slowest: Array<[number, string]> = [];
    for (let i = 0; i < SEARCHES; i++) {
      const { name } = person((i * 7919) % size);
      const q = name.slice(i % 3, (i % 3) + 3);
      const ms = await timed(() => t.get(`/api/admin/clients?q=${encodeURIComponent(q)}&limit=50`, staff));
      searches.push(ms);
      slowest.push([ms, q]);
    }
    slowest.sort(([a], [b]) => b - a);
    process.stderr.write(
      `  slowest searches: ${slowest
        .slice(0, 5)
        .map(([ms, q]) => `${JSON.stringify(q)} ${ms.toFixed(1)} ms`)
        .join(', ')}\n`,
    );
    const gets: number[] = [];
    for (let i = 0; i < GETS; i++) {
      gets.push(await timed(() => t.get(`/api/admin/clients/${person((i * 104729) % size).id}`, staff)));
    }
    const mails: number[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      await t.deps.mailer.send({
        to: 'bench@example.com',
        tenant: { id: TENANT, name: 'Bench', locale: 'en' },
        clientId: null,
        content: { kind: 'password-changed', name: 'Bench', at: Date.now(), byStaff: false },
      });
      mails.push(performance.now() - started);
    }
    searches.sort((a, b) => a - b);
    gets.sort((a, b) => a - b);
    mails.sort((a, b) => a - b);
    return {
      backend,
      size,
      firstRate,
      lastRate,
      searchP50: percentile(searches, 0.5),
      searchP99: percentile(searches, 0.99),
      getP99: percentile(gets, 0.99),
      mailMs: percentile(mails, 0.5),
      dataSize: await dataSize(backend, { dataDir, databaseUrl }, services),
    };
  } finally {
    await t.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

function print(rows: Row[], out: NodeJS.WritableStream = process.stdout): void {
  const header = [
    'backend',
    'clients',
    'inserts/s first 10 %',
    'last 10 %',
    'last/first',
    'search p50',
    'search p99',
    'get p99',
    'one mail',
    'data',
  ];
  const lines = rows.map((row) => [
    row.backend,
    String(row.size),
    row.firstRate.toFixed(0),
    row.lastRate.toFixed(0),
    `${(row.lastRate / row.firstRate).toFixed(2)}×`,
    `${row.searchP50.toFixed(1)} ms`,
    `${row.searchP99.toFixed(1)} ms`,
    `${row.getP99.toFixed(1)} ms`,
    `${row.mailMs.toFixed(2)} ms`,
    row.dataSize,
  ]);
  printTable(header, lines, out);
}

await runBench({
  backends: BACKENDS,
  cases: BACKENDS.flatMap((backend) => SIZES.map((size) => ({ backend, size }))),
  label: ({ backend, size }) => `${backend} ${size}`,
  measure: ({ backend, size }, services) => measure(backend, size, services),
  print,
  title:
    `Directory at scale: clients provisioned over the provisioning API in process, ${CONCURRENCY} at a time, into one tenant; ` +
    `search = ${SEARCHES} staff searches for 3 letters of a name (a page of 50) after ${WARM_UP} not counted, get = ${GETS} reads of one client; ` +
    'PostgreSQL is given VACUUM ANALYZE after provisioning, as autovacuum does within a minute.',
});
