/** argon2id hashing through the async API only (the sync one blocks the event loop for the whole call). */
import { hash, verify } from '@node-rs/argon2';
import { passwordHashing, type PasswordHashingParams } from './params.js';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a malformed stored hash (never throws for either). */
  verify(storedHash: string, password: string): Promise<boolean>;
  /** True when the stored hash was made with other parameters than the current ones. */
  needsRehash(storedHash: string): boolean;
  /** Spends the time of one verify, for unknown identifiers (no timing oracle). */
  verifyDummy(password: string): Promise<void>;
}

/** Passwords are compared after NFKC, so the same password typed on two keyboards matches. */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

export function createPasswordHasher(params: PasswordHashingParams = passwordHashing): PasswordHasher {
  const options = { ...params, algorithm: passwordHashing.algorithm };
  const expectedPrefix = `$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`;
  let dummy: Promise<string> | null = null;

  const verifyHash = async (storedHash: string, password: string): Promise<boolean> => {
    try {
      return await verify(storedHash, normalisePassword(password));
    } catch {
      return false;
    }
  };

  return {
    hash: (password) => hash(normalisePassword(password), options),
    verify: verifyHash,
    needsRehash: (storedHash) => !storedHash.startsWith(expectedPrefix),
    async verifyDummy(password) {
      dummy ??= hash('dummy password for timing', options);
      await verifyHash(await dummy, password);
    },
  };
}
