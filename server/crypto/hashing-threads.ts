/**
 * argon2id on worker threads of the server's own, each at a lower scheduling priority than the
 * thread that answers requests. On libuv's shared pool (what `@node-rs/argon2`'s async calls use)
 * the hashes compete with the event loop for the cores as equals, so every answer waits behind
 * them (an event-loop delay p99 of 20 ms on two cores under a login flood) and the pool's file
 * I/O queues behind them too. Here the event loop always runs first and the hashes take every
 * cycle it leaves.
 *
 * Threads start on first use and stop after a while idle, so a server that nobody logs in to
 * keeps none of their memory.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Options } from '@node-rs/argon2';
import { AppError } from '../errors.js';

export type HashingJob =
  { op: 'hash'; password: string; options: Options } | { op: 'verify'; hash: string; password: string };

/**
 * Plain CommonJS evaluated in the thread, so it runs the same from sources, from `dist` and under
 * a test runner. The argon2 module is found from here and its path handed over.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
try { require('node:os').setPriority(workerData.priority); } catch {}
const argon2 = require(workerData.argon2);
parentPort.on('message', (job) => {
  if (job.op === 'verify') {
    // A malformed stored hash matches no password.
    let value = false;
    try { value = argon2.verifySync(job.hash, job.password); } catch {}
    return parentPort.postMessage({ value });
  }
  try {
    parentPort.postMessage({ value: argon2.hashSync(job.password, job.options) });
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.message || error) });
  }
});`;

const argon2Path = createRequire(import.meta.url).resolve('@node-rs/argon2');

interface Running {
  resolve(value: string | boolean): void;
  reject(error: Error): void;
}

export interface HashingThreadsOptions {
  /** Threads at most (a job beyond them waits for one). */
  size: number;
  /** Nice value of the threads (Linux: per thread; 0 where the system refuses). */
  priority: number;
  /** A thread idle this long stops. */
  idleMs?: number;
}

export class HashingThreads {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, Running>();
  private readonly waiting: Array<{ job: HashingJob; running: Running }> = [];
  private readonly timers = new Map<Worker, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: HashingThreadsOptions) {}

  /** Threads alive now, busy or idle. */
  get started(): number {
    return this.idle.length + this.busy.size;
  }

  run(job: HashingJob): Promise<string | boolean> {
    return new Promise((resolve, reject) => {
      if (this.closed) return reject(new Error('hashing threads closed'));
      const running = { resolve, reject };
      const thread = this.idle.pop() ?? (this.busy.size < this.options.size ? this.start() : null);
      if (thread) this.give(thread, job, running);
      else this.waiting.push({ job, running });
    });
  }

  /** Stops every thread; jobs still running fail. */
  async close(): Promise<void> {
    this.closed = true;
    for (const queued of this.waiting.splice(0)) queued.running.reject(new Error('hashing threads closed'));
    await Promise.all([...this.idle, ...this.busy.keys()].map((thread) => thread.terminate()));
  }

  private start(): Worker {
    const thread = new Worker(THREAD_SOURCE, {
      eval: true,
      // Plain CommonJS: the parent's loaders (tsx in development) have nothing to do here.
      execArgv: [],
      // Only Linux lowers one thread's priority; elsewhere it would lower the whole server's.
      workerData: { argon2: argon2Path, priority: process.platform === 'linux' ? this.options.priority : 0 },
    });
    thread.on('message', (answer: { value?: string | boolean; error?: string }) => {
      const running = this.busy.get(thread);
      this.busy.delete(thread);
      if (answer.error !== undefined) running?.reject(new Error(answer.error));
      else running?.resolve(answer.value!);
      this.next(thread);
    });
    // A thread that died (out of memory, argon2 failing to load) fails its job; the next job, or
    // the first one waiting, starts another.
    let gone = false;
    const lost = (cause: unknown) => {
      // An 'error' is followed by an 'exit': the thread is replaced once.
      if (gone) return;
      gone = true;
      const running = this.busy.get(thread);
      this.forget(thread);
      if (!running) return; // stopped while idle (or closed): nothing to answer, nothing to replace
      // Not a wrong password: the check did not happen, and the member may try again at once.
      running.reject(new AppError('server_busy', { details: { retryAfter: 1 }, cause }));
      const queued = this.closed ? undefined : this.waiting.shift();
      if (!queued) return;
      try {
        this.give(this.start(), queued.job, queued.running);
      } catch (error) {
        queued.running.reject(error as Error);
      }
    };
    thread.on('error', (error) => {
      // Where an operator looks first (stderr), since every check now answers 503 until fixed.
      process.emitWarning(`a password hashing thread stopped: ${error.message}`, 'HashingThreadWarning');
      lost(error);
    });
    thread.on('exit', (code) => lost(new Error(`hashing thread exited with code ${code}`)));
    return thread;
  }

  private give(thread: Worker, job: HashingJob, running: Running): void {
    clearTimeout(this.timers.get(thread));
    this.timers.delete(thread);
    this.busy.set(thread, running);
    // Keeps the process alive while a job runs (a command-line import awaiting a hash), not after.
    thread.ref();
    thread.postMessage(job);
  }

  private next(thread: Worker): void {
    const queued = this.waiting.shift();
    if (queued) return this.give(thread, queued.job, queued.running);
    thread.unref();
    this.idle.push(thread);
    const timer = setTimeout(() => {
      this.forget(thread);
      void thread.terminate();
    }, this.options.idleMs ?? 30_000);
    timer.unref();
    this.timers.set(thread, timer);
  }

  private forget(thread: Worker): void {
    clearTimeout(this.timers.get(thread));
    this.timers.delete(thread);
    this.busy.delete(thread);
    const at = this.idle.indexOf(thread);
    if (at >= 0) this.idle.splice(at, 1);
  }
}

const shared = new Map<string, HashingThreads>();

/**
 * The threads of this process for `size` and `priority`: every hasher in one process (several
 * apps in one server, a test suite's many) shares them, as they share the machine's cores.
 */
export function sharedHashingThreads(size: number, priority: number): HashingThreads {
  const key = `${size}:${priority}`;
  let threads = shared.get(key);
  if (!threads) shared.set(key, (threads = new HashingThreads({ size, priority })));
  return threads;
}
