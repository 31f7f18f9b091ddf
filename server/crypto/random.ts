/** Secrets from the CSPRNG: random passwords, short codes, ids. */
import { createHash, randomInt, randomUUID } from 'node:crypto';
import {
  RANDOM_PASSWORD_ALPHABET,
  RANDOM_PASSWORD_LENGTH,
  SHORT_CODE_ALPHABET,
  SHORT_CODE_LENGTH,
} from './params.js';

function randomString(alphabet: string, length: number): string {
  // randomInt draws without modulo bias.
  return Array.from({ length }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** A password staff can hand over: letters and digits without look-alikes, at least one of each kind. */
export function randomPassword(length = RANDOM_PASSWORD_LENGTH): string {
  for (;;) {
    const candidate = randomString(RANDOM_PASSWORD_ALPHABET, length);
    if (/[a-z]/.test(candidate) && /[A-Z]/.test(candidate) && /[0-9]/.test(candidate)) return candidate;
  }
}

export function shortCode(): string {
  return randomString(SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH);
}

/** Normalises what a member typed (case, spaces, dashes) before comparing. */
export function normaliseShortCode(typed: string): string {
  return typed.toUpperCase().replace(/[\s-]/g, '');
}

/** Codes are short, so the hash only keeps them out of storage dumps; the 5-try limit is the real guard. */
export function hashShortCode(code: string, jti: string): string {
  return createHash('sha256')
    .update(`${jti}:${normaliseShortCode(code)}`)
    .digest('base64url');
}

export function newId(): string {
  return randomUUID();
}
