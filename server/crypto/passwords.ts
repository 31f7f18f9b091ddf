/** argon2id hashing through the async API only (the sync one blocks the event loop for the whole call). */
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';
import { HashingGate, type HashingAdmission } from './hashing-gate.js';
import { randomBytes } from 'node:crypto';
import { costOfImportedHash, verifyImportedHash } from './imported-hashes.js';
import { passwordHashing, type PasswordHashingParams } from './params.js';
import { TimingFloor, type FloorMemory } from './timing-floor.js';

export interface PasswordHasher {
  /** Throws `server_busy` when the hashing queue is full. */
  hash(password: string): Promise<string>;
  /**
   * False for a wrong password and for a malformed stored hash (never throws for either); throws
   * `server_busy` when the hashing queue is full.
   */
  verify(storedHash: string, password: string): Promise<boolean>;
  /** True when the stored hash was made with other parameters than the current ones. */
  needsRehash(storedHash: string): boolean;
  /** Hashes waiting for a hashing thread now (for the metrics). */
  queueDepth(): number;
  /**
   * Checks an imported hash once with a random password, the first time one of its cost is seen
   * here, so that the floor every check is held to (see `timing-floor.ts`) is known before the
   * first member with such a hash logs in.
   */
  calibrate(storedHash: string): Promise<void>;
  /**
   * Spends the time of one verify, for unknown identifiers (no timing oracle); admitted like one.
   * Every verify, this one included, lasts at least as long as recent checks of imported hashes.
   */
  verifyDummy(password: string): Promise<void>;
}

/** Passwords are compared after NFKC, so the same password typed on two keyboards matches. */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

/**
 * One hash per core at once, but always a thread of libuv's pool left for file I/O (argon2 runs
 * on that pool too), and a queue about a third of a second long at ≈12 ms a hash.
 */
export function defaultHashingAdmission(): HashingAdmission {
  const threads = Number(process.env.UV_THREADPOOL_SIZE) || 4;
  return { concurrency: Math.max(1, Math.min(availableParallelism(), threads - 1)), queueLimit: 64 };
}

export function createPasswordHasher(
  params: PasswordHashingParams = passwordHashing,
  admission: HashingAdmission = defaultHashingAdmission(),
  floorMemory: FloorMemory | null = null,
): PasswordHasher {
  const options = { ...params, algorithm: passwordHashing.algorithm };
  const expectedPrefix = `$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`;
  const gate = new HashingGate(admission);
  const floor = new TimingFloor(floorMemory);
  const calibrated = new Set<string>();
  let dummy: Promise<string> | null = null;

  const needsRehash = (storedHash: string) => !storedHash.startsWith(expectedPrefix);

  const checkArgon2 = async (storedHash: string, password: string) => {
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  };

  const check = async (storedHash: string, password: string): Promise<boolean> => {
    // Another system's hash (until the first login re-hashes it), verified as that system would.
    if (!storedHash.startsWith('$argon2')) return verifyImportedHash(storedHash, password);
    const normalised = normalisePassword(password);
    if (await checkArgon2(storedHash, normalised)) return true;
    // An argon2 hash imported from a system that hashed the password as typed, not after NFKC.
    return needsRehash(storedHash) && normalised !== password && checkArgon2(storedHash, password);
  };

  const verifyHash = async (storedHash: string, password: string): Promise<boolean> => {
    let startedAt = 0;
    const valid = await gate.run(async () => {
      startedAt = performance.now();
      const result = await check(storedHash, password);
      if (needsRehash(storedHash)) floor.observe(performance.now() - startedAt);
      return result;
    });
    await floor.pad(startedAt);
    return valid;
  };

  return {
    hash: (password) => gate.run(() => hash(normalisePassword(password), options)),
    verify: verifyHash,
    needsRehash,
    queueDepth: () => gate.queued,
    async calibrate(storedHash) {
      const cost = costOfImportedHash(storedHash);
      if (!needsRehash(storedHash) || cost === null || calibrated.has(cost)) return;
      calibrated.add(cost);
      await verifyHash(storedHash, randomBytes(16).toString('base64url'));
    },
    async verifyDummy(password) {
      dummy ??= hash('dummy password for timing', options);
      await verifyHash(await dummy, password);
    },
  };
}
