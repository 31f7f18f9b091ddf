/**
 * Work that runs after the response (the forgot flow's mail, notices, audit of refusals), tracked
 * so tests and shutdown can wait for it. A step that fails in a way that may pass (storage or mail
 * briefly down) is tried again on its own, so nothing done before it is done twice.
 */
import type { Logger } from './logger.js';

export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  /** @param retryDelaysMs the waits before each new try of a retried step (e.g. 1 s, 2 s, 4 s …). */
  constructor(
    private readonly logger: Logger,
    private readonly retryDelaysMs: readonly number[] = [],
  ) {}

  run(name: string, work: () => Promise<void>): void {
    const task = (async () => {
      // Not even the first step before the caller has answered: what a request leaves for later
      // must not slow its answer (known and unknown identifiers answer alike).
      await new Promise((resolve) => setImmediate(resolve));
      try {
        await work();
      } catch (error) {
        this.logger.error({ task: name, err: describeError(error) }, 'background task failed');
      }
    })();
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /** Runs one step of background work, again after each delay while it fails in a way `retryIf` says may pass. */
  async retrying<T>(step: () => Promise<T>, retryIf: (error: unknown) => boolean): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await step();
      } catch (error) {
        const delay = this.retryDelaysMs[attempt];
        if (delay === undefined || !retryIf(error)) throw error;
        this.logger.warn({ err: describeError(error), retryInMs: delay }, 'background step will retry');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * Resolves when every task started so far (and any they started) has finished, or after
   * `timeoutMs` (shutdown must not wait out a minute of retries); true when none is left.
   */
  async drain(timeoutMs = Infinity): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending.size > 0) {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = Number.isFinite(left)
        ? new Promise((resolve) => (timer = setTimeout(resolve, left)))
        : null;
      await Promise.race([Promise.all([...this.pending]), ...(timeout ? [timeout] : [])]);
      clearTimeout(timer);
    }
    return true;
  }

  /** Tasks still running. */
  get size(): number {
    return this.pending.size;
  }
}

/**
 * An error as a log field: its name, code and message only (messages never carry secrets here).
 * The code goes under `errorCode`: the logger redacts every field named `code` (short codes).
 */
export function describeError(error: unknown): { name: string; errorCode?: string; message: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return {
      name: error.name,
      message: error.message,
      ...(typeof code === 'string' ? { errorCode: code } : {}),
    };
  }
  return { name: 'unknown', message: String(error) };
}
