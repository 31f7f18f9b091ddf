/**
 * Admission control for password hashing: at most `concurrency` hashes run at once (the machine's
 * cores), at most `queueLimit` wait, and anything beyond is refused at once with `server_busy`
 * (503, Retry-After) instead of queueing without bound while every answer gets slower.
 */
import { AppError } from '../errors.js';

export interface HashingAdmission {
  /** Hashes running at once. */
  concurrency: number;
  /** Hashes waiting for a place; beyond it, refused. */
  queueLimit: number;
}

export class HashingGate {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly admission: HashingAdmission) {}

  /** Hashes waiting for a place now. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running < this.admission.concurrency) {
      this.running++;
    } else {
      if (this.waiting.length >= this.admission.queueLimit) {
        throw new AppError('server_busy', { details: { retryAfter: 1 } });
      }
      // The place is handed over by a finishing hash (`running` stays as it is).
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }
}
