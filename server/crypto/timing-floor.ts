/**
 * Every password check takes at least as long as the slowest recent check of a hash from another
 * system (bcrypt at cost 10 is ≈75 ms where our argon2id is ≈12 ms). Without it, a login for a
 * member whose imported hash is not yet re-hashed answers slower than one for an unknown
 * identifier, and the difference tells who is a member.
 *
 * The floor is learned from the checks themselves (a hash's cost is only known by running it),
 * kept for two windows so it outlives a quiet spell, and bounded so one absurd hash cannot slow
 * every login. The wait happens after the hashing place is given back: it costs no CPU.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How long an observed check keeps the floor up: the current window and the one before. */
const WINDOW_MS = 10 * 60 * 1000;
/** No login is held longer than this for the sake of the floor. */
const CEILING_MS = 2000;

export class TimingFloor {
  private windowStart = 0;
  private current = 0;
  private previous = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /** Records how long a check of a slower (imported or outdated) hash took. */
  observe(durationMs: number): void {
    this.roll();
    this.current = Math.max(this.current, Math.min(durationMs, CEILING_MS));
  }

  /** The shortest time any password check should take now. */
  floorMs(): number {
    this.roll();
    return Math.max(this.current, this.previous);
  }

  /** Waits out what is left of the floor for a check that started at `startedAt` (by `now`). */
  async pad(startedAt: number): Promise<void> {
    const left = this.floorMs() - (this.now() - startedAt);
    if (left > 1) await sleep(left);
  }

  private roll(): void {
    const now = this.now();
    if (now - this.windowStart < WINDOW_MS) return;
    const skipped = now - this.windowStart >= 2 * WINDOW_MS;
    this.previous = skipped ? 0 : this.current;
    this.current = 0;
    this.windowStart = now;
  }
}
