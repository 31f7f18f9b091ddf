/**
 * The one password policy (NIST SP 800-63B rev 4, OWASP ASVS 5): length in code points after
 * NFKC, no composition rules, not a common password, not containing the member's name, email,
 * username or the tenant's name, and not one of the recent passwords. Every endpoint that sets a
 * password calls `evaluatePassword`; `/api/policy` serves `describePolicy` so the elements show
 * the same rules.
 */
import { createRequire } from 'node:module';
import { normalisePassword, type PasswordHasher } from '../crypto/passwords.js';
import { contextWords, holdsContextWord, type PersonalDetails } from './context-words.js';

export { contextWords } from './context-words.js';

export type PasswordRule = 'min_length' | 'max_length' | 'not_common' | 'no_personal_info' | 'not_recent';

export interface PolicySettings {
  minLength: number;
  maxLength: number;
  /** How many recent passwords (including temporary ones) may not be reused. */
  historySize: number;
}

/** What the policy knows of the member (their words may not be in the password). */
export type PasswordContext = PersonalDetails;

export interface PolicyDescription extends PolicySettings {
  rules: Array<{ id: PasswordRule; value?: number }>;
}

let commonPasswords: ReadonlySet<string> | null = null;

/**
 * ~49,000 leaked passwords, maintained by the zxcvbn-ts project. Unpacked at the first password
 * checked, not at start: it costs a fifth of the server's start-up and memory that a server
 * nobody sets a password on never needs.
 */
function leakedPasswords(): ReadonlySet<string> {
  if (!commonPasswords) {
    const { dictionary } = createRequire(import.meta.url)('@zxcvbn-ts/language-common') as {
      dictionary: Record<string, string[]>;
    };
    commonPasswords = new Set(dictionary['passwords-common'].map((word) => word.toLowerCase()));
  }
  return commonPasswords;
}

export function codePointLength(value: string): number {
  return [...value].length;
}

export function isCommonPassword(password: string): boolean {
  return leakedPasswords().has(normalisePassword(password).toLowerCase());
}

export function describePolicy(settings: PolicySettings): PolicyDescription {
  return {
    ...settings,
    rules: [
      { id: 'min_length', value: settings.minLength },
      { id: 'max_length', value: settings.maxLength },
      { id: 'not_common' },
      { id: 'no_personal_info' },
      { id: 'not_recent', value: settings.historySize },
    ],
  };
}

/** The rules that need no stored data, in the order the UI lists them. */
export function checkPasswordRules(
  password: string,
  settings: PolicySettings,
  context: PasswordContext,
): PasswordRule[] {
  const normalised = normalisePassword(password);
  const length = codePointLength(normalised);
  const failed: PasswordRule[] = [];
  if (length < settings.minLength) failed.push('min_length');
  if (length > settings.maxLength) failed.push('max_length');
  if (isCommonPassword(normalised)) failed.push('not_common');
  if (holdsContextWord(normalised, contextWords(context))) failed.push('no_personal_info');
  return failed;
}

/**
 * Every rule, including history: the password may not match any of `history` (argon2 hashes of
 * the recent passwords, newest first). Returns the failed rules; empty means accepted.
 */
export async function evaluatePassword(
  password: string,
  settings: PolicySettings,
  context: PasswordContext,
  history: string[],
  hasher: PasswordHasher,
): Promise<PasswordRule[]> {
  const failed = checkPasswordRules(password, settings, context);
  // Over-long input is refused before hashing it against the history (no free CPU burn).
  if (failed.includes('max_length')) return failed;
  const recent = history.slice(0, settings.historySize);
  const reused = await Promise.all(recent.map((hash) => hasher.verify(hash, password)));
  if (reused.some(Boolean)) failed.push('not_recent');
  return failed;
}
