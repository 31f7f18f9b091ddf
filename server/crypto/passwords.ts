/** argon2id hashing and checking, never on the event loop (on threads of their own: `hashing-threads.ts`), behind admission control. */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { HashingGate, type HashingAdmission } from './hashing-gate.js';
import { sharedHashingThreads } from './hashing-threads.js';
import { randomBytes } from 'node:crypto';
import { costOfImportedHash, loadImportedHashLibraries, verifyImportedHash } from './imported-hashes.js';
import { HASHING_THREAD_PRIORITY, passwordHashing, type PasswordHashingParams } from './params.js';
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
 * One hash per core at once unless told otherwise (on threads of their own, see
 * `hashing-threads.ts`), and a queue of 32 for each hash at once: about half a second of waiting at ≈15 ms a hash, so an admitted login is answered
 * well within 2 s however many arrive; beyond it, `server_busy`.
 */
export function defaultHashingAdmission(concurrency = usableCores()): HashingAdmission {
  return { concurrency, queueLimit: 32 * concurrency };
}

/**
 * The cores this process may use: a container's CPU quota (cgroup v2 `cpu.max`) as well as the
 * cores it may run on. Node 20 counts the host's cores in a container, and a thread per host
 * core, each with its hash's 19 MiB, would overrun a small pod's memory.
 */
export function usableCores(): number {
  const cores = availableParallelism();
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/);
    if (quota === 'max') return cores;
    return Math.max(1, Math.min(cores, Math.ceil(Number(quota) / Number(period))));
  } catch {
    return cores;
  }
}

export function createPasswordHasher(
  params: PasswordHashingParams = passwordHashing,
  admission: HashingAdmission = defaultHashingAdmission(),
  floorMemory: FloorMemory | null = null,
): PasswordHasher {
  const options = { ...params, algorithm: passwordHashing.algorithm };
  const expectedPrefix = `$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`;
  const gate = new HashingGate(admission);
  const threads = sharedHashingThreads(admission.concurrency, HASHING_THREAD_PRIORITY);
  const hash = async (password: string) => (await threads.run({ op: 'hash', password, options })) as string;
  const floor = new TimingFloor(floorMemory);
  const calibrated = new Set<string>();
  let dummy: Promise<string> | null = null;

  const needsRehash = (storedHash: string) => !storedHash.startsWith(expectedPrefix);

  // False for a malformed stored hash too; a hashing thread lost mid-check throws `server_busy`.
  const checkArgon2 = async (storedHash: string, password: string) =>
    (await threads.run({ op: 'verify', hash: storedHash, password })) === true;

  const check = async (storedHash: string, password: string): Promise<boolean> => {
    // Another system's hash (until the first login re-hashes it), verified as that system would.
    if (!storedHash.startsWith('$argon2')) return verifyImportedHash(storedHash, password);
    const normalised = normalisePassword(password);
    if (await checkArgon2(storedHash, normalised)) return true;
    // An argon2 hash imported from a system that hashed the password as typed, not after NFKC.
    return needsRehash(storedHash) && normalised !== password && checkArgon2(storedHash, password);
  };

  const verifyHash = async (storedHash: string, password: string): Promise<boolean> => {
    // Outside the clock: the first imported hash would otherwise raise the floor by the load.
    if (!storedHash.startsWith('$argon2')) await loadImportedHashLibraries();
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
    hash: (password) => gate.run(() => hash(normalisePassword(password))),
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
      // A failed first hash (a hashing thread lost) is tried again next time, not kept.
      dummy ??= hash('dummy password for timing').catch((error: unknown) => {
        dummy = null;
        throw error;
      });
      await verifyHash(await dummy, password);
    },
  };
}
