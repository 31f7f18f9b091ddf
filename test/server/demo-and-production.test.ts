/** The real entry point: the demo stays on this machine and refuses production settings; production says when mail is lost. */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { freePort, startServerProcess, type ServerProcess } from '../helpers/server-process.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'demo-and-production-'));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

const running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()?.stop();
});

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await startServerProcess({ DATA_DIR: dataDir, ...env });
  running.push(server);
  return server;
}

interface LogLine {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** The pino lines a server printed, parsed; other output is left out. */
function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** The first log line matching `wanted`, waiting up to 5 s for it (output arrives on its own pipe). */
async function lineOf(
  output: () => string,
  wanted: (line: LogLine) => boolean,
): Promise<LogLine | undefined> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = logLines(output()).find(wanted);
    if (found || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Connects once: 'connected', or the error code (ECONNREFUSED when nothing listens there). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (outcome: string) => {
      socket.destroy();
      resolve(outcome);
    };
    socket.setTimeout(3_000, () => done('timeout'));
    socket.once('connect', () => done('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code ?? error.message));
  });
}

/** This machine's first IPv4 address that is not loopback, if it has one. */
function externalIPv4(): string | undefined {
  return Object.values(networkInterfaces())
    .flat()
    .find((address) => address && !address.internal && String(address.family).replace('IPv', '') === '4')
    ?.address;
}

/**
 * Nothing answers on `port` at this machine's other address. Not checked (with a note) on a
 * machine without one.
 */
async function expectRefusedFromOutside(port: number): Promise<void> {
  const external = externalIPv4();
  if (!external) {
    console.warn(
      'demo-and-production: no non-loopback IPv4 address here; the refusal from outside is not checked',
    );
    return;
  }
  expect(await tryConnect(external, port), `${external}:${port}`).toBe('ECONNREFUSED');
}

/** Runs `server/main.ts` until it exits (or kills it after `timeoutMs`); the exit code is null if it had to be killed. */
function runToExit(
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * `npm <args>` as a user types it, in its own process group (npm, the shell and tsx under it), up
 * once `/healthz` answers on 127.0.0.1.
 */
async function startScript(args: string[], env: Record<string, string>) {
  const port = await freePort();
  let output = '';
  const child = spawn('npm', args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const handle = {
    port,
    url: `http://127.0.0.1:${port}`,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
  running.push(handle);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`npm ${args.join(' ')} exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${handle.url}/healthz`)).ok) return handle;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`npm ${args.join(' ')} did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the demo (DEMO=1)', () => {
  /** @see issue 9, item 6 */
  it('listens on loopback only: another address of this machine refuses the connection', async () => {
    const server = await start({ DEMO: '1' });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await expectRefusedFromOutside(server.port);
    const listening = await lineOf(server.output, (line) => line.msg.startsWith('listening on'));
    expect(listening).toMatchObject({ address: '127.0.0.1', demo: true });
  });

  /** @see issue 9, item 6 */
  it('refuses to start with a staff secret, exiting 1 and naming the setting and `npm run serve`', async () => {
    const secret = 'a-production-staff-secret-that-is-long-enough';
    const port = await freePort();
    const { code, output } = await runToExit({
      DEMO: '1',
      ADMIN_JWT_SECRET: secret,
      DATA_DIR: dataDir,
      PORT: String(port),
    });
    expect({ code, output }).toMatchObject({ code: 1 });
    expect(output).toContain('refuses production settings: ADMIN_JWT_SECRET');
    expect(output).toContain('npm run serve');
    // The refusal names the setting, never its value.
    expect(output).not.toContain(secret);
    expect(await tryConnect('127.0.0.1', port)).toBe('ECONNREFUSED');
  });
});

describe('the demo and a production store', () => {
  /** @see issue 9, item 6: the demo must never sign with, seed into or publish a production server's store. */
  it('the demo refuses a data folder a production server has used, and writes nothing to it', async () => {
    const production = await start({ DEMO: '0', MAIL: 'outbox' });
    await production.stop();
    const before = await readdir(dataDir, { recursive: true });
    const port = await freePort();
    const { code, output } = await runToExit({ DEMO: '1', DATA_DIR: dataDir, PORT: String(port) });
    expect({ code, output }).toMatchObject({ code: 1 });
    expect(output).toContain('Demo mode refuses this store: a production server');
    expect(await readdir(dataDir, { recursive: true })).toEqual(before);
  });
});

describe('production (DEMO=0)', () => {
  /** @see issue 9, item 6 */
  it('without MAIL it starts, logs an error that MAIL is not set, and /readyz is 503 while /healthz is 200', async () => {
    const server = await start({ DEMO: '0' });
    await lineOf(server.output, (line) => line.msg.startsWith('listening on'));
    const mailUnset = logLines(server.output()).filter((line) => line.msg.startsWith('MAIL is not set'));
    expect(mailUnset).toHaveLength(1);
    expect(mailUnset[0].level).toBe(50);

    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({
      ok: false,
      store: { ok: true, backend: 'fs' },
      mail: { ok: false, transport: 'outbox', problem: expect.stringMatching(/^MAIL is not set/) },
    });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  /** @see issue 9, item 6 */
  it('with MAIL=outbox chosen on purpose /readyz is 200 and nothing is logged about MAIL', async () => {
    const server = await start({ DEMO: '0', MAIL: 'outbox' });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      ok: true,
      store: { ok: true, backend: 'fs' },
      mail: { ok: true, transport: 'outbox' },
    });
    expect(await lineOf(server.output, (line) => line.msg.startsWith('listening on'))).toBeDefined();
    expect(server.output()).not.toContain('MAIL is not set');
  });
});

describe('npm scripts', () => {
  /** @see issue 9, item 6 */
  it('`npm start` runs the demo on loopback unless told otherwise; `npm run serve` runs production', async () => {
    // A folder of its own: production servers started above have claimed the shared one.
    const demoDir = await mkdtemp(join(tmpdir(), 'npm-start-demo-'));
    onTestFinished(() => rm(demoDir, { recursive: true, force: true }));
    const demo = await startScript(['start', '--silent'], { DATA_DIR: demoDir });
    await expectRefusedFromOutside(demo.port);
    expect(await lineOf(demo.output, (line) => line.msg.startsWith('listening on'))).toMatchObject({
      address: '127.0.0.1',
      demo: true,
    });
    await demo.stop();

    const production = await startScript(['run', 'serve', '--silent'], { DATA_DIR: dataDir });
    expect(await lineOf(production.output, (line) => line.msg.startsWith('listening on'))).toMatchObject({
      demo: false,
    });
    expect((await fetch(`${production.url}/readyz`)).status).toBe(503);
  }, 60_000);
});
