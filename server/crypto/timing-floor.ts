/**
 * Every password check takes at least as long as recent checks of hashes from another system
 * (bcrypt at cost 10 is ≈75 ms where our argon2id is ≈12 ms). Without it, a login for a member
 * whose imported hash is not yet re-hashed answers slower than one for an unknown identifier,
 * and the difference tells who is a member.
 *
 * The floor is the slowest of the last few such checks (a hash's cost is only known by running
 * it; a few, so one check slowed by a busy machine soon ages out), bounded so one absurd hash
 * cannot slow every login. It is kept in the store for 30 days after the last such check, so a
 * restarted server holds it from its first login, and is set before any member logs in by a
 * check made when the hashes are imported (`calibrate`). The wait happens after the hashing place
 * is given back: it costs no CPU.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** Checks the floor is the slowest of. */
const SAMPLES = 8;
/** No login is held longer than this for the sake of the floor. */
const CEILING_MS = 2000;
/** How long the floor holds after the last imported hash was checked (they are re-hashed at login). */
const KEEP_MS = 30 * 24 * 60 * 60 * 1000;

/** The floor as the store keeps it. */
export interface FloorRecord {
  samples: number[];
  /** Epoch ms after which it no longer applies. */
  until: number;
}

/** Where the floor outlives the process (a store setting); absent in tests of the hasher alone. */
export interface FloorMemory {
  load(): Promise<FloorRecord | null>;
  save(record: FloorRecord): Promise<void>;
}

export class TimingFloor {
  private samples: number[] = [];
  private until = 0;
  private loaded: Promise<void> | null = null;

  constructor(
    private readonly memory: FloorMemory | null = null,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** Records how long a check of a slower (imported or outdated) hash took. */
  observe(durationMs: number): void {
    this.samples = [...this.samples, Math.min(durationMs, CEILING_MS)].slice(-SAMPLES);
    this.until = this.wallClock() + KEEP_MS;
    // Best effort: a floor that was not saved is learned again after a restart.
    void this.memory?.save({ samples: this.samples, until: this.until }).catch(() => undefined);
  }

  /** The shortest time any password check should take now. */
  async floorMs(): Promise<number> {
    this.loaded ??= this.load();
    await this.loaded;
    return this.until > this.wallClock() ? Math.max(0, ...this.samples) : 0;
  }

  /** Waits out what is left of the floor for a check that started at `startedAt` (`performance.now()`). */
  async pad(startedAt: number): Promise<void> {
    const left = (await this.floorMs()) - (performance.now() - startedAt);
    if (left > 1) await sleep(left);
  }

  private async load(): Promise<void> {
    const kept = await this.memory?.load().catch(() => null);
    if (kept && this.samples.length === 0) {
      this.samples = kept.samples.slice(-SAMPLES);
      this.until = kept.until;
    }
  }
}
