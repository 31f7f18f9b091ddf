/**
 * Start-up and idle memory against the minimal Hono anchor (`bench/anchors/minimal-hono.ts`, run
 * compiled-free through the same Node): time from spawning the process to its first `/healthz`
 * 200, and its resident memory once idle (VmRSS after 2 s). The server runs as production starts
 * it, the built `client-reset serve` (`npm run build` first), with the filesystem store in a
 * fresh folder. Interleaved rounds; prints medians and ratios.
 *   tsx bench/startup.ts [--rounds 5]
 */
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'vite';
import { startServerProcess, type ProcessCommand } from '../test/helpers/server-process.js';
import { ROOT, servedArgs } from './built-server.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } });
const rounds = Number(values.rounds);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function residentMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

/** Spawn to first 200 of /healthz, and RSS after 2 s idle. */
async function measure(
  env: Record<string, string>,
  command: ProcessCommand,
): Promise<{ ms: number; rss: number }> {
  const started = performance.now();
  const server = await startServerProcess(env, undefined, command);
  const ms = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const rss = await residentMiB(server.pid);
  await server.stop();
  return { ms, rss };
}

async function main(): Promise<void> {
  // The anchor as plain JavaScript, so neither side pays for a TypeScript loader, bundled with
  // Hono as the server's command is bundled with its dependencies.
  await mkdir(path.join(ROOT, '.tmp'), { recursive: true });
  const scratch = await mkdtemp(path.join(ROOT, '.tmp', 'startup-'));
  await build({
    logLevel: 'silent',
    configFile: false,
    build: {
      ssr: path.join(ROOT, 'bench/anchors/minimal-hono.ts'),
      outDir: scratch,
      rollupOptions: { output: { entryFileNames: 'anchor.mjs' } },
    },
    ssr: { noExternal: true },
  });
  // Asked every 2 ms: at the helper's 100 ms both sides would read as whole tenths of a second.
  const anchor: ProcessCommand = { args: [path.join(scratch, 'anchor.mjs')], cwd: ROOT, pollMs: 2 };
  const server: ProcessCommand = { args: servedArgs(), cwd: ROOT, pollMs: 2 };
  const rows: Array<{ anchor: { ms: number; rss: number }; server: { ms: number; rss: number } }> = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const dataDir = await mkdtemp(path.join(tmpdir(), 'startup-data-'));
      const a = await measure({}, anchor);
      const s = await measure(
        { DEMO: '0', DATA_DIR: dataDir, MAIL: 'outbox', PUBLIC_URL: 'http://localhost', LOG_LEVEL: 'warn' },
        server,
      );
      await rm(dataDir, { recursive: true, force: true });
      rows.push({ anchor: a, server: s });
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
  const ms = (side: 'anchor' | 'server') => median(rows.map((row) => row[side].ms));
  const rss = (side: 'anchor' | 'server') => median(rows.map((row) => row[side].rss));
  console.log(`Start-up and idle memory, ${rounds} interleaved rounds`);
  console.log(
    `spawn to first /healthz   anchor ${ms('anchor').toFixed(0)} ms   server ${ms('server').toFixed(0)} ms   ratio ${(ms('server') / ms('anchor')).toFixed(2)}×`,
  );
  console.log(
    `idle RSS                  anchor ${rss('anchor').toFixed(0)} MiB   server ${rss('server').toFixed(0)} MiB   ratio ${(rss('server') / rss('anchor')).toFixed(2)}×`,
  );
  console.log(`load average (1 min): ${loadavg()[0].toFixed(2)}`);
}

await main();
