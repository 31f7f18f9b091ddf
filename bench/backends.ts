/** What the benchmarks share: the backends, the database servers they need, a fresh app on one, a table. */
import { execFileSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { Config } from '../server/config.js';
import type { DepsOverrides } from '../server/create-deps.js';
import { createTestApp } from '../test/helpers/app.js';
import { createDatabase, startPostgres, type PostgresHandle } from '../test/helpers/postgres-server.js';
import { startRedis, type RedisHandle } from '../test/helpers/redis-server.js';

export type Backend = 'memory' | 'fs' | 'redis' | 'postgres';

export interface BenchServices {
  redis?: RedisHandle;
  postgres?: PostgresHandle;
  stop(): Promise<void>;
}

/** A Redis and a PostgreSQL server of the benchmark's own, for the backends that need them. */
export async function startServices(backends: Backend[]): Promise<BenchServices> {
  const services: BenchServices = {
    stop: async () => {
      await services.redis?.stop();
      await services.postgres?.stop();
    },
  };
  if (backends.includes('redis')) services.redis = await startRedis();
  if (backends.includes('postgres')) services.postgres = await startPostgres();
  return services;
}

let databases = 0;

/** A whole app in process on an empty store of `backend`: a new folder, database, or an emptied Redis. */
export async function openApp(
  backend: Backend,
  services: BenchServices,
  env: Record<string, string> = {},
  /** Changes to the configuration (limits raised for a bench that hammers one name). */
  configure?: (config: Config) => Config,
  /** Parts of the app of the bench's own (lighter password hashing). */
  overrides?: DepsOverrides,
) {
  const dataDir = backend === 'fs' ? await mkdtemp(path.join(tmpdir(), 'bench-')) : null;
  const databaseUrl =
    backend === 'postgres' ? await createDatabase(services.postgres!, `bench_${++databases}`) : null;
  if (backend === 'redis') execFileSync('redis-cli', ['-p', String(services.redis!.port), 'flushall']);
  const t = await createTestApp({
    env: {
      STORAGE: backend,
      ...(dataDir ? { DATA_DIR: dataDir } : {}),
      ...(backend === 'redis' ? { REDIS_URL: services.redis!.url } : {}),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
      ...env,
    },
    configure,
    overrides,
  });
  return { t, dataDir, databaseUrl };
}

/** A plain-text table, columns padded to their widest cell. */
export function printTable(header: string[], lines: string[][], out: NodeJS.WritableStream): void {
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const format = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  out.write(`${format(header)}\n${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  for (const line of lines) out.write(`${format(line)}\n`);
}

/** The value below which a share `p` of the sorted values fall. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

export interface BenchRun<Case, Row> {
  backends: Backend[];
  /** What is measured one after the other: one per backend, or per backend and size. */
  cases: Case[];
  label(c: Case): string;
  measure(c: Case, services: BenchServices): Promise<Row>;
  print(rows: Row[], out: NodeJS.WritableStream): void;
  /** What was measured and how, printed above the table. */
  title: string;
}

/**
 * Runs each case with the database servers it needs, printing each row as soon as it is measured
 * (a long run that is stopped still reports), then the table under its title with the machine's
 * load before and after.
 */
export async function runBench<Case, Row>(run: BenchRun<Case, Row>): Promise<void> {
  const services = await startServices(run.backends);
  const load = loadavg();
  const rows: Row[] = [];
  try {
    for (const c of run.cases) {
      process.stderr.write(`${run.label(c)}…\n`);
      rows.push(await run.measure(c, services));
      run.print(rows.slice(-1), process.stderr);
    }
  } finally {
    await services.stop();
  }
  console.log(`${run.title}\n`);
  run.print(rows, process.stdout);
  const averages = (values: number[]) => values.map((n) => n.toFixed(2)).join(' ');
  console.log(`\nLoad average (1, 5, 15 min): ${averages(load)} before, ${averages(loadavg())} after`);
}
