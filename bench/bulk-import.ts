/**
 * Bulk provisioning (`npm run bench:import`): members with bcrypt hashes from an old system into
 * one tenant with `client-reset provision` over real HTTP, on each backend; printed with the anchor
 * run beside it, the same members sent one `PUT /api/provision/clients/:id` each, 8 at a time.
 * At the end a member logs in with the old password, so the hashes went in whole.
 *
 *   tsx bench/bulk-import.ts                           100k members on memory, fs, redis, postgres
 *   tsx bench/bulk-import.ts --members 20000 --backend fs
 */
import { serve } from '@hono/node-server';
import bcryptjs from 'bcryptjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { importMembers } from '../server/cli/import-members.js';
import { createApp } from '../server/index.js';
import { PROVISION_KEY, TENANT, type TestApp } from '../test/helpers/app.js';
import { FIRST_NAMES as FIRST, LAST_NAMES as LAST } from '../test/helpers/people.js';
import { openApp, printTable, runBench, type Backend, type BenchServices } from './backends.js';

const { values } = parseArgs({
  options: {
    members: { type: 'string', default: '100000' },
    anchor: { type: 'string', default: '10000' },
    backend: { type: 'string', multiple: true },
  },
});
const MEMBERS = Number(values.members);
const ANCHOR = Math.min(Number(values.anchor), MEMBERS);
const BACKENDS = (values.backend ?? ['memory', 'fs', 'redis', 'postgres']) as Backend[];
/** Distinct real hashes (cost 10, as most PHP and Node apps made them), shared out among the members. */
const HASHES = 40;
const CONCURRENCY = 8;

const passwordOf = (i: number) => `old-gym-password-${i % HASHES}`;

function member(i: number, hashes: string[]) {
  const first = FIRST[i % FIRST.length];
  const last = LAST[Math.floor(i / FIRST.length) % LAST.length];
  return {
    id: `m-${i}`,
    name: `${first} ${last} ${i.toString(36)}`,
    email: `member.${i}@example.com`,
    tenants: [TENANT],
    passwordHash: hashes[i % HASHES],
  };
}

async function listen(t: TestApp): Promise<{ apiUrl: string; close(): void }> {
  return new Promise((resolve) => {
    const server = serve({ fetch: createApp(t.deps).fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ apiUrl: `http://127.0.0.1:${info.port}/api`, close: () => server.close() }),
    );
  });
}

/** The anchor: each member its own request, 8 in flight, as an integrator without the bulk path does it. */
async function putOneByOne(apiUrl: string, count: number, hashes: string[]): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const { id, ...body } = member(next++, hashes);
      const res = await fetch(`${apiUrl}/provision/clients/${id}`, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${PROVISION_KEY}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`provisioning answered ${res.status}: ${await res.text()}`);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return (count * 1000) / (performance.now() - started);
}

interface Row {
  backend: Backend;
  importRate: number;
  seconds: number;
  failed: number;
  putRate: number;
  login: string;
}

const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });

async function measure(
  backend: Backend,
  file: string,
  hashes: string[],
  services: BenchServices,
): Promise<Row> {
  const anchor = await openApp(backend, services);
  const anchorServer = await listen(anchor.t);
  let putRate: number;
  try {
    putRate = await putOneByOne(anchorServer.apiUrl, ANCHOR, hashes);
  } finally {
    anchorServer.close();
    await anchor.t.close();
    if (anchor.dataDir) await rm(anchor.dataDir, { recursive: true, force: true });
  }

  const { t, dataDir } = await openApp(backend, services);
  const server = await listen(t);
  try {
    const totals = await importMembers(
      file,
      { apiUrl: server.apiUrl, provisionKey: PROVISION_KEY },
      { progress: process.stderr, failures: quiet },
    );
    const last = MEMBERS - 1;
    const res = await t.post('/api/login', {
      identifier: `member.${last}@example.com`,
      password: passwordOf(last),
    });
    return {
      backend,
      importRate: totals.lines / totals.seconds,
      seconds: totals.seconds,
      failed: totals.failed,
      putRate,
      login: res.status === 200 ? 'ok' : `failed (${res.status})`,
    };
  } finally {
    server.close();
    await t.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

function print(rows: Row[], out: NodeJS.WritableStream = process.stdout): void {
  printTable(
    [
      'backend',
      'members',
      'import lines/s',
      'time',
      `PUT each (${ANCHOR}) /s`,
      'import / PUT',
      'failed',
      'old password',
    ],
    rows.map((row) => [
      row.backend,
      String(MEMBERS),
      row.importRate.toFixed(0),
      `${row.seconds.toFixed(1)} s`,
      row.putRate.toFixed(0),
      `${(row.importRate / row.putRate).toFixed(2)}×`,
      String(row.failed),
      row.login,
    ]),
    out,
  );
}

async function main(): Promise<void> {
  const folder = await mkdtemp(path.join(tmpdir(), 'bench-import-'));
  const hashes = await Promise.all(
    Array.from({ length: HASHES }, (_, i) => bcryptjs.hash(passwordOf(i), 10)),
  );
  const file = path.join(folder, 'members.ndjson');
  await writeFile(
    file,
    Array.from({ length: MEMBERS }, (_, i) => `${JSON.stringify(member(i, hashes))}\n`).join(''),
  );
  try {
    await runBench({
      backends: BACKENDS,
      cases: BACKENDS,
      label: (backend) => backend,
      measure: (backend, services) => measure(backend, file, hashes, services),
      print,
      title:
        `Bulk import: ${MEMBERS} members with bcrypt hashes (cost 10) into one tenant with client-reset provision ` +
        `(batches of 5000 lines, one POST /api/provision/import each) to a server in process over HTTP; ` +
        `anchor: the first ${ANCHOR} sent as one PUT each, ${CONCURRENCY} at a time, on a fresh store of the same backend.`,
    });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

await main();
