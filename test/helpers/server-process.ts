/** Runs the real server entry point (`server/main.ts`) as a child process on a free port, as `npm start` does. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  url: string;
  port: number;
  output(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  pid: number;
  signal(name: NodeJS.Signals): void;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** How to start it: `server/main.ts` of this checkout unless said otherwise (an installed package's command). */
export interface ProcessCommand {
  args: string[];
  cwd: string;
  /** Where it answers once started (default /healthz). */
  healthPath?: string;
  /** The program that runs `args` (this Node by default). */
  executable?: string;
  /** How often to ask whether it answers yet (100 ms by default; a start-up bench asks more often). */
  pollMs?: number;
}

export async function startServerProcess(
  env: Record<string, string>,
  port?: number,
  command: ProcessCommand = { args: ['--import', 'tsx', 'server/main.ts'], cwd: root },
): Promise<ServerProcess> {
  const chosen = port ?? (await freePort());
  let output = '';
  const child: ChildProcess = spawn(command.executable ?? process.execPath, command.args, {
    cwd: command.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(chosen), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}${command.healthPath ?? '/healthz'}`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, command.pollMs ?? 100));
  }
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  return {
    url,
    port: chosen,
    output: () => output,
    exited,
    pid: child.pid ?? 0,
    signal: (name) => child.kill(name),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
