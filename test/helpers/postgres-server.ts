/** Starts a throw-away PostgreSQL server on a free loopback port for tests, and stops it for sure. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresHandle {
  /** `postgres://postgres@127.0.0.1:PORT/postgres`; trust auth, so no password. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const POSTGRES_ROOT = '/usr/lib/postgresql';

/** Postmaster PIDs of servers not yet stopped, for the exit safety net. */
const running = new Set<number>();
// A test run that dies without its afterAll must not leave servers behind. Only synchronous work is
// possible here, so this asks for an immediate shutdown; the watchdog removes the folder afterwards.
process.once('exit', () => {
  for (const pid of running) {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      // Already gone.
    }
  }
});

/** Newest `/usr/lib/postgresql/<version>/bin` holding `initdb` (Debian keeps it off PATH). */
function findBinDir(): string {
  const versions = existsSync(POSTGRES_ROOT)
    ? readdirSync(POSTGRES_ROOT)
        .filter((name) => existsSync(join(POSTGRES_ROOT, name, 'bin', 'initdb')))
        .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `PostgreSQL is not installed (no ${POSTGRES_ROOT}/*/bin/initdb): run \`apt-get install postgresql\`.`,
    );
  }
  return join(POSTGRES_ROOT, versions[0], 'bin');
}

interface RunResult {
  code: number;
  stdout: string;
  /** stdout and stderr together, for error messages. */
  output: string;
}

/** Runs a program to its end and returns its exit code and output; never rejects on exit codes. */
function run(
  file: string,
  args: string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, timeout: options.timeoutMs ?? 60_000, killSignal: 'SIGKILL', encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        const output = `${stdout}${stderr}${error && code === -1 ? error.message : ''}`.trim();
        resolve({ code, stdout: stdout.trim(), output });
      },
    );
  });
}

/** initdb and pg_ctl refuse to run as root, so root runs them as the `postgres` user. */
function runAsPostgres(file: string, args: string[], options: { cwd?: string; timeoutMs?: number } = {}) {
  return process.getuid?.() === 0
    ? run('runuser', ['-u', 'postgres', '--', file, ...args], options)
    : run(file, args, options);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * A detached shell that waits on a pipe from this process. If this process dies in any way (even
 * SIGKILL, when no exit handler runs), the pipe closes and the shell stops the postmaster named in
 * `postmaster.pid` and removes the folder. `release()` tells it the server was stopped normally.
 */
function startWatchdog(dir: string): { release(): Promise<void> } {
  const script = `
    read -r line && [ "$line" = stopped ] && exit 0
    pid=$(head -n 1 "$1/data/postmaster.pid" 2>/dev/null)
    if [ -n "$pid" ]; then
      kill -QUIT "$pid" 2>/dev/null
      i=0
      while kill -0 "$pid" 2>/dev/null && [ "$i" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
      kill -KILL "$pid" 2>/dev/null
    fi
    rm -rf "$1"`;
  const child: ChildProcess = spawn('sh', ['-c', script, 'postgres-watchdog', dir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the watchdog nor its pipe may keep the test process alive.
  child.unref();
  if (child.stdin instanceof Socket) child.stdin.unref();
  child.stdin?.on('error', () => {});
  return {
    release: () =>
      new Promise((resolve) => {
        if (!child.stdin || child.stdin.destroyed) return resolve();
        child.stdin.end('stopped\n', () => resolve());
      }),
  };
}

/** Starts a fresh cluster (initdb + pg_ctl) tuned for speed, not durability; ~1.3 s on a warm machine. */
export async function startPostgres(): Promise<PostgresHandle> {
  const bin = findBinDir();
  // Synchronous, so no exit can fall between creating the folder and watching it.
  const dir = mkdtempSync(join(tmpdir(), 'pg-test-'));
  const data = join(dir, 'data');
  const log = join(dir, 'log');
  // Watched from the start: a run killed during the ~1 s initdb must not leave the folder either.
  const watchdog = startWatchdog(dir);
  const pgCtl = (...args: string[]) =>
    runAsPostgres(join(bin, 'pg_ctl'), ['-D', data, ...args], { cwd: dir });
  try {
    if (process.getuid?.() === 0) {
      const chown = await run('chown', ['postgres', dir]);
      if (chown.code !== 0) throw new Error(`chown postgres ${dir} failed: ${chown.output}`);
    }
    // C.UTF-8 keeps sorting identical on every machine while letting pg_trgm see non-ASCII letters;
    // --no-sync because a test cluster never needs to survive a power cut.
    // prettier-ignore
    const init = await runAsPostgres(join(bin, 'initdb'), [
      '-D', data,
      '-A', 'trust',
      '-U', 'postgres',
      '-E', 'UTF8',
      '--locale=C.UTF-8',
      '--no-sync',
      '--no-instructions',
    ], { cwd: dir });
    if (init.code !== 0) throw new Error(`initdb failed (exit ${init.code}): ${init.output}`);

    // Another process can take the free port between the check and the bind; then try a new one.
    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const options = [
        `-p ${port}`,
        `-k '${dir}'`,
        '-c listen_addresses=127.0.0.1',
        '-c max_connections=200',
        // Durability off: tests throw the cluster away.
        '-c fsync=off',
        '-c full_page_writes=off',
        '-c synchronous_commit=off',
      ].join(' ');
      const start = await pgCtl('-l', log, '-w', '-t', '30', '-o', options, 'start');
      if (start.code === 0) return await handleFor({ dir, data, log, options, port, pgCtl, watchdog });
      const serverLog = await readFile(log, 'utf8').catch(() => '');
      if (attempt < 3 && /address already in use/i.test(serverLog)) continue;
      throw new Error(`pg_ctl start failed (exit ${start.code}): ${start.output}\n${serverLog}`.trim());
    }
  } catch (error) {
    // pg_ctl -w stops waiting after its timeout but leaves a slow postmaster running: stop it too.
    await pgCtl('-m', 'immediate', '-w', 'stop');
    await rm(dir, { recursive: true, force: true });
    await watchdog.release();
    throw error;
  }
}

interface Started {
  dir: string;
  data: string;
  log: string;
  /** The server options `pg_ctl start -o` was given, to start it again the same way. */
  options: string;
  port: number;
  pgCtl: (...args: string[]) => Promise<RunResult>;
  watchdog: { release(): Promise<void> };
}

/** The first line of postmaster.pid is the postmaster's PID: what the safety nets signal. */
async function postmasterPid(data: string): Promise<number> {
  return Number.parseInt((await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0], 10);
}

/** How `interruptPostgres` stops and starts a server again, kept out of the handle's own API. */
const outages = new WeakMap<PostgresHandle, { stop(): Promise<void>; start(): Promise<void> }>();

async function handleFor(started: Started): Promise<PostgresHandle> {
  const { dir, data, log, options, port, pgCtl, watchdog } = started;
  // A server stopped and started again (`interruptPostgres`) has a new postmaster.
  let pid = await postmasterPid(data);
  running.add(pid);
  let stopping: Promise<void> | null = null;
  const stop = () =>
    (stopping ??= (async () => {
      // Fast shutdown ends open sessions (a leaked pool must not block it); escalate if it hangs.
      const fast = await pgCtl('-m', 'fast', '-w', '-t', '10', 'stop');
      if (fast.code !== 0 && isAlive(pid)) {
        const immediate = await pgCtl('-m', 'immediate', '-w', '-t', '5', 'stop');
        if (immediate.code !== 0 && isAlive(pid)) process.kill(pid, 'SIGKILL');
      }
      running.delete(pid);
      await rm(dir, { recursive: true, force: true });
      await watchdog.release();
    })());
  const handle: PostgresHandle = { url: `postgres://postgres@127.0.0.1:${port}/postgres`, port, stop };
  outages.set(handle, {
    stop: async () => {
      const fast = await pgCtl('-m', 'fast', '-w', '-t', '10', 'stop');
      if (fast.code !== 0) throw new Error(`pg_ctl stop failed (exit ${fast.code}): ${fast.output}`);
      running.delete(pid);
    },
    start: async () => {
      const start = await pgCtl('-l', log, '-w', '-t', '30', '-o', options, 'start');
      if (start.code !== 0) throw new Error(`pg_ctl start failed (exit ${start.code}): ${start.output}`);
      pid = await postmasterPid(data);
      running.add(pid);
    },
  });
  return handle;
}

/**
 * Stops the server as an outage would (fast shutdown: open sessions are ended) but keeps its data
 * and port; `start()` brings it back on the same port. For tests of a client that must fail fast
 * while the database is away and recover on its own once it is back.
 */
export async function interruptPostgres(handle: PostgresHandle): Promise<{ start(): Promise<void> }> {
  const outage = outages.get(handle);
  if (!outage) throw new Error('Not a server started by startPostgres()');
  await outage.stop();
  return { start: () => outage.start() };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs SQL through `psql` (from the server's own bin folder, so no npm dependency) and returns its
 * unaligned, tuples-only output, e.g. `'1'` for `SELECT 1`. Rejects on the first SQL error.
 */
export async function queryPostgres(url: string, sql: string): Promise<string> {
  // psql may run as root: only initdb, pg_ctl and postgres refuse to.
  const result = await run(
    join(findBinDir(), 'psql'),
    ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
    { timeoutMs: 30_000 },
  );
  if (result.code !== 0) throw new Error(`psql failed (exit ${result.code}): ${result.output}`);
  // stdout only: NOTICEs (e.g. "extension already exists") go to stderr.
  return result.stdout;
}

/** Creates an empty database on the server, so a test can isolate its data, and returns its URL. */
export async function createDatabase(handle: PostgresHandle, name: string): Promise<string> {
  // A plain identifier needs no quoting rules in SQL or in the URL.
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`Database name must match /^[a-z_][a-z0-9_]{0,62}$/: ${JSON.stringify(name)}`);
  }
  await queryPostgres(handle.url, `CREATE DATABASE ${name}`);
  return `postgres://postgres@127.0.0.1:${handle.port}/${name}`;
}
