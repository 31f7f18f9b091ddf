/** Every cryptographic parameter of the server, in one place. Changing the hashing parameters re-hashes on next login. */
import type { Algorithm } from '@node-rs/argon2';
import { DAY, HOUR, MINUTE } from '../clock.js';

/** argon2id at the OWASP minimum (m=19 MiB, t=2, p=1): ≈12 ms a hash on one core here. */
export const passwordHashing = {
  // `Algorithm` is a const enum, which isolated modules cannot read: 2 is its Argon2id.
  algorithm: 2 as Algorithm,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/**
 * Nice value of the hashing threads: above the event loop's 0, so that answers never wait for a
 * hash to yield the core, low enough that hashes still get every cycle the answers leave.
 */
export const HASHING_THREAD_PRIORITY = 10;

export interface PasswordHashingParams {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** Links, sessions and challenges are signed with one asymmetric algorithm, pinned at verification. */
export const SIGNING_ALGORITHM = 'EdDSA';

export const lifetimes = {
  resetLink: 24 * HOUR,
  verifyEmailLink: 7 * DAY,
  /** Invite links live until used or replaced; a JWT still needs an `exp`, so this is the technical ceiling. */
  inviteLinkCeiling: 3650 * DAY,
  session: 1 * HOUR,
  challenge: 10 * MINUTE,
  /** Staff-set one-time and temporary passwords. */
  staffPassword: 7 * DAY,
  /** A device token: each login renews it, so a device in use stays known. */
  deviceToken: 180 * DAY,
  /** A retired signing key keeps verifying for the longest lifetime of what it signed. */
  retiredKeyGrace: 3650 * DAY,
};

/** Random passwords: no look-alike characters (0/O, 1/l/I), so they can be read out over the phone. */
export const RANDOM_PASSWORD_ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const RANDOM_PASSWORD_LENGTH = 16;

/** The short code printed in link mails for finishing on another device; typed case-insensitively. */
export const SHORT_CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const SHORT_CODE_LENGTH = 8;
