/**
 * Work that runs after the response (the forgot flow's mail, notices, audit of refusals), tracked
 * so tests and shutdown can wait for it, and retried while a failure may pass (storage or mail
 * briefly down) instead of being dropped.
 */
import type { Logger } from './logger.js';

export interface BackgroundOptions {
  /** Whether a failure may pass, so the whole task is worth running again. */
  retryIf?: (error: unknown) => boolean;
}

export class BackgroundTasks {
  private readonly pending = new Set<Promise<void>>();

  /** @param retryDelaysMs the waits before each new try of a retried task (e.g. 1 s, 2 s, 4 s …). */
  constructor(
    private readonly logger: Logger,
    private readonly retryDelaysMs: readonly number[] = [],
  ) {}

  run(name: string, work: () => Promise<void>, options: BackgroundOptions = {}): void {
    const task = (async () => {
      // Not even the first step before the caller has answered: what a request leaves for later
      // must not slow its answer (known and unknown identifiers answer alike).
      await new Promise((resolve) => setImmediate(resolve));
      for (let attempt = 0; ; attempt++) {
        try {
          await work();
          return;
        } catch (error) {
          const delay = this.retryDelaysMs[attempt];
          if (delay === undefined || !options.retryIf?.(error)) {
            this.logger.error(
              { task: name, err: describeError(error), attempts: attempt + 1 },
              'background task failed',
            );
            return;
          }
          this.logger.warn(
            { task: name, err: describeError(error), retryInMs: delay },
            'background task will retry',
          );
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    })();
    this.pending.add(task);
    void task.finally(() => this.pending.delete(task));
  }

  /** Resolves when every task started so far (and any they started) has finished, retries included. */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
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
