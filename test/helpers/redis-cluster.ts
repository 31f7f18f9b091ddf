/** Starts a throw-away three-master Redis Cluster on loopback ports for tests, and stops it for sure. */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { createConnection, createServer, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisClusterNode {
  host: '127.0.0.1';
  port: number;
}

export interface RedisClusterHandle {
  /** Seed nodes, the shape `new Redis.Cluster(nodes)` takes. */
  nodes: RedisClusterNode[];
  /** `redis+cluster://127.0.0.1:A,127.0.0.1:B,127.0.0.1:C` */
  url: string;
  stop(): Promise<void>;
}

/** A cluster node also listens on its port + 10000 for the cluster bus. */
const BUS_OFFSET = 10_000;

const running = new Set<ChildProcess>();
// A test run that dies without its afterAll must not leave servers behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** True when nothing listens on 127.0.0.1:port right now. */
function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Three ports whose bus ports (+10000) are free too; 20000–50000 keeps every bus port below 65536. */
async function pickPorts(): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < 3) {
    const port = 20_000 + Math.floor(Math.random() * 30_000);
    const taken = ports.flatMap((p) => [p, p + BUS_OFFSET]);
    if (taken.includes(port) || taken.includes(port + BUS_OFFSET)) continue;
    if ((await isPortFree(port)) && (await isPortFree(port + BUS_OFFSET))) ports.push(port);
  }
  return ports;
}

/** One PING over a plain socket: true when the server answers PONG. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** Runs redis-cli to its end; never rejects on exit codes. */
function redisCli(args: string[], timeoutMs: number): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      'redis-cli',
      args,
      { timeout: timeoutMs, killSignal: 'SIGKILL', encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, output: `${stdout}${stderr}${error && code === -1 ? error.message : ''}`.trim() });
      },
    );
  });
}

interface Watchdog {
  watch(pid: number): void;
  release(): Promise<void>;
}

/**
 * A detached shell that waits on a pipe from this process, collecting server PIDs. If this process
 * dies in any way (even SIGKILL, when no exit handler runs and the servers would be orphaned), the
 * pipe closes and the shell kills the servers and removes the folder. `release()` tells it the
 * cluster was stopped normally.
 */
function startWatchdog(dir: string): Watchdog {
  const script = `
    pids=
    while read -r line; do
      [ "$line" = stopped ] && exit 0
      pids="$pids $line"
    done
    [ -n "$pids" ] && kill -KILL $pids 2>/dev/null
    rm -rf "$1"`;
  const child = spawn('sh', ['-c', script, 'redis-cluster-watchdog', dir], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  // Neither the watchdog nor its pipe may keep the test process alive.
  child.unref();
  if (child.stdin instanceof Socket) child.stdin.unref();
  child.stdin?.on('error', () => {});
  return {
    watch: (pid) => void child.stdin?.write(`${pid}\n`),
    release: () =>
      new Promise((resolve) => {
        if (!child.stdin || child.stdin.destroyed) return resolve();
        child.stdin.end('stopped\n', () => resolve());
      }),
  };
}

interface Node {
  port: number;
  child: ChildProcess;
  exited: Promise<void>;
  spawnError: () => Error | null;
  stderr: () => string;
}

function startNode(port: number, dir: string): Node {
  // One flag and its value per line.
  // prettier-ignore
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--cluster-enabled', 'yes',
    '--cluster-config-file', join(dir, `nodes-${port}.conf`),
    '--cluster-node-timeout', '2000',
    '--save', '',
    '--appendonly', 'no',
    '--dir', dir,
    '--daemonize', 'no',
    '--logfile', join(dir, `redis-${port}.log`),
  ];
  const child = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  let spawnError: Error | null = null;
  child.once('error', (error) => (spawnError = error));
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  void exited.then(() => running.delete(child));
  return { port, child, exited, spawnError: () => spawnError, stderr: () => stderr };
}

async function stopNode(node: Node): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null || node.spawnError()) return;
  node.child.kill('SIGTERM');
  const timer = setTimeout(() => node.child.kill('SIGKILL'), 3000);
  await node.exited;
  clearTimeout(timer);
}

async function nodeLog(dir: string, node: Node): Promise<string> {
  const log = await readFile(join(dir, `redis-${node.port}.log`), 'utf8').catch(() => '');
  return `${node.stderr()}${log.split('\n').slice(-15).join('\n')}`.trim();
}

/** Waits until every node answers PING; false when one exited first (e.g. lost its port to a race). */
async function waitForPings(nodes: Node[], deadline: number): Promise<boolean> {
  for (const node of nodes) {
    while (!(await ping(node.port))) {
      if (node.spawnError() || node.child.exitCode !== null || Date.now() > deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return true;
}

/**
 * Starts three masters (no replicas) with `redis-cli --cluster create` and waits until every node
 * reports `cluster_state:ok`; about 2.3 s, most of it redis-cli's own one-second join polls.
 */
export async function startRedisCluster(): Promise<RedisClusterHandle> {
  // Synchronous, so no exit can fall between creating the folder and watching it.
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  // Watched from the start: a run killed while the cluster forms must not leave servers behind.
  const watchdog = startWatchdog(dir);
  let nodes: Node[] = [];
  const stopAll = async () => {
    await Promise.all(nodes.map(stopNode));
    await rm(dir, { recursive: true, force: true });
    await watchdog.release();
  };
  try {
    // Another process can take a checked port before redis-server binds it; then try new ports.
    for (let attempt = 1; ; attempt++) {
      nodes = (await pickPorts()).map((port) => startNode(port, dir));
      for (const node of nodes) if (node.child.pid !== undefined) watchdog.watch(node.child.pid);
      if (await waitForPings(nodes, Date.now() + 10_000)) break;
      const failed = nodes.find((node) => node.child.exitCode !== null || node.spawnError()) ?? nodes[0];
      const reason = `${failed.spawnError() ?? `exit ${failed.child.exitCode}`} ${await nodeLog(dir, failed)}`;
      await Promise.all(nodes.map(stopNode));
      if (attempt < 3 && /address already in use/i.test(reason)) continue;
      if (/ENOENT/.test(String(failed.spawnError()))) {
        throw new Error('redis-server is not installed: run `apt-get install redis-server`.');
      }
      throw new Error(`redis-server did not start on port ${failed.port}: ${reason}`.trim());
    }

    const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
    const create = await redisCli(
      ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'],
      30_000,
    );
    if (create.code !== 0) {
      throw new Error(`redis-cli --cluster create failed (exit ${create.code}): ${create.output}`);
    }

    // Each node learns the others over the bus on its own; a client may talk to any of them.
    const deadline = Date.now() + 15_000;
    for (const node of nodes) {
      for (;;) {
        const info = await redisCli(['-p', String(node.port), 'cluster', 'info'], 5_000);
        if (info.output.includes('cluster_state:ok')) break;
        if (Date.now() > deadline) {
          throw new Error(`Redis Cluster node ${node.port} never reached cluster_state:ok: ${info.output}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= stopAll());
  const seeds = nodes.map((node): RedisClusterNode => ({ host: '127.0.0.1', port: node.port }));
  return {
    nodes: seeds,
    url: `redis+cluster://${seeds.map((seed) => `${seed.host}:${seed.port}`).join(',')}`,
    stop,
  };
}
