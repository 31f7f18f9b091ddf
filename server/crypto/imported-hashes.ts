/**
 * Password hashes brought from an integrator's old system, verified as that system would, so its
 * members log in with their old password on day one (and are re-hashed to argon2id then, see
 * `rehashIfNeeded`). Formats: argon2 (any variant and parameters), bcrypt (`$2a$`, `$2b$`,
 * `$2y$`), scrypt in PHC form, PBKDF2-SHA256/512 in PHC form (`i=` parameters, or passlib's
 * rounds and adapted base64), Django's `pbkdf2_sha256$` and Firebase's modified scrypt.
 * Verification uses maintained code
 * only: `@node-rs/argon2`, `bcryptjs`, `node:crypto`'s scrypt and pbkdf2.
 */
import { createCipheriv, pbkdf2, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type * as Argon2 from '@node-rs/argon2';
import type Bcrypt from 'bcryptjs';

/**
 * The libraries some formats are checked with, loaded at the first imported hash checked rather
 * than at start: most servers never see one, and the native argon2 module alone costs start-up
 * some 15 ms (the server's own hashing loads it on its threads). The password check loads them
 * before its clock starts, so the load never counts as checking time.
 */
let libraries: Promise<{ argon2: typeof Argon2; bcrypt: typeof Bcrypt }> | null = null;
export function loadImportedHashLibraries(): Promise<{ argon2: typeof Argon2; bcrypt: typeof Bcrypt }> {
  return (libraries ??= Promise.all([import('@node-rs/argon2'), import('bcryptjs')]).then(
    ([argon2, bcrypt]) => ({ argon2, bcrypt: bcrypt.default }),
  ));
}

const pbkdf2Async = promisify(pbkdf2);
const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: { N: number; r: number; p: number; maxmem: number },
) => Promise<Buffer>;

export type ImportedHashFormat =
  'argon2' | 'bcrypt' | 'scrypt' | 'pbkdf2' | 'django-pbkdf2' | 'firebase-scrypt';

/** The formats as integrators write them, for error messages. */
export const IMPORTED_HASH_FORMATS =
  '$argon2id$/$argon2i$ (PHC), $2a$/$2b$/$2y$ (bcrypt), $scrypt$ln=…,r=…,p=…$ (PHC), ' +
  '$pbkdf2-sha256$ or $pbkdf2-sha512$ (PHC or passlib), pbkdf2_sha256$ (Django), ' +
  'or {algorithm: "firebase-scrypt", hash, salt} with the tenant\'s firebaseScrypt parameters';

/** A Firebase project's password hash parameters (Authentication › Users › Password hash parameters). */
export interface FirebaseScryptParams {
  /** base64 */
  signerKey: string;
  /** base64 */
  saltSeparator: string;
  rounds: number;
  memCost: number;
}

/**
 * One Firebase user's hash as one self-contained string, so it verifies without its tenant:
 * `$firebase-scrypt$ln=<memCost>,r=<rounds>$<separator>$<signer key>$<salt>$<hash>` (base64).
 */
export function firebaseScryptHash(params: FirebaseScryptParams, hash: string, salt: string): string {
  return `$firebase-scrypt$ln=${params.memCost},r=${params.rounds}$${params.saltSeparator}$${params.signerKey}$${salt}$${hash}`;
}

/** Bounds on work an imported hash may ask for: a hash is data from outside. */
const LIMITS = {
  pbkdf2Iterations: 10_000_000,
  scryptLogN: 20,
  scryptR: 32,
  scryptP: 16,
  /** Memory scrypt may use: 128 · N · r · p bytes, with room. */
  scryptMaxmem: 1100 * 1024 * 1024,
};

interface Parsed {
  format: ImportedHashFormat;
  /** The format and work factors without salt or digest: hashes of one cost take as long to check. */
  cost: string;
  check(password: string): Promise<boolean>;
}

/** Standard or URL-safe base64, with or without padding, and passlib's "." for "+". */
function decodeBase64(text: string): Buffer | null {
  if (!/^[A-Za-z0-9+/.\-_]+=*$/.test(text)) return null;
  const standard = text.replace(/\./g, '+').replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  const bytes = Buffer.from(standard, 'base64');
  return bytes.length > 0 ? bytes : null;
}

function equal(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

function parseArgon2(hash: string): Parsed | null {
  if (!/^\$argon2(id|i|d)\$(v=\d+\$)?m=\d+,t=\d+,p=\d+\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/.test(hash))
    return null;
  const cost = /^\$argon2\w+\$(v=\d+\$)?m=\d+,t=\d+,p=\d+/.exec(hash)![0];
  return {
    format: 'argon2',
    cost,
    check: async (password) => (await loadImportedHashLibraries()).argon2.verify(hash, password),
  };
}

function parseBcrypt(hash: string): Parsed | null {
  const match = /^\$2[aby]\$(\d\d)\$[./A-Za-z0-9]{53}$/.exec(hash);
  if (!match || Number(match[1]) < 4 || Number(match[1]) > 20) return null;
  // bcryptjs reads `$2y$` (PHP) as the `$2b$` it is.
  const normalised = hash.replace(/^\$2y\$/, '$2b$');
  return {
    format: 'bcrypt',
    cost: `bcrypt-${match[1]}`,
    check: async (password) => (await loadImportedHashLibraries()).bcrypt.compare(password, normalised),
  };
}

function parseScrypt(hash: string): Parsed | null {
  const match = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([^$]+)\$([^$]+)$/.exec(hash);
  if (!match) return null;
  const [logN, r, p] = [match[1], match[2], match[3]].map(Number);
  const salt = decodeBase64(match[4]);
  const expected = decodeBase64(match[5]);
  if (!salt || !expected || logN < 1 || logN > LIMITS.scryptLogN || r < 1 || r > LIMITS.scryptR) return null;
  if (p < 1 || p > LIMITS.scryptP) return null;
  return {
    format: 'scrypt',
    cost: `scrypt-${logN}-${r}-${p}`,
    check: async (password) =>
      equal(
        await scryptAsync(password, salt, expected.length, {
          N: 2 ** logN,
          r,
          p,
          maxmem: LIMITS.scryptMaxmem,
        }),
        expected,
      ),
  };
}

function pbkdf2Check(digest: 'sha256' | 'sha512', iterations: number, salt: Buffer, expected: Buffer) {
  return async (password: string) =>
    equal(await pbkdf2Async(password, salt, iterations, expected.length, digest), expected);
}

/** `$pbkdf2-sha256$i=29000,l=32$salt$hash` (PHC) or `$pbkdf2-sha256$29000$salt$hash` (passlib). */
function parsePbkdf2(hash: string): Parsed | null {
  const match = /^\$pbkdf2-(sha256|sha512)\$(?:i=(\d+)(?:,l=\d+)?|(\d+))\$([^$]+)\$([^$]+)$/.exec(hash);
  if (!match) return null;
  const iterations = Number(match[2] ?? match[3]);
  const salt = decodeBase64(match[4]);
  const expected = decodeBase64(match[5]);
  if (!salt || !expected || iterations < 1 || iterations > LIMITS.pbkdf2Iterations) return null;
  return {
    format: 'pbkdf2',
    cost: `pbkdf2-${match[1]}-${iterations}`,
    check: pbkdf2Check(match[1] as 'sha256' | 'sha512', iterations, salt, expected),
  };
}

/** Django: `pbkdf2_sha256$iterations$salt$base64(hash)`, the salt used as it is written. */
function parseDjango(hash: string): Parsed | null {
  const match = /^pbkdf2_sha256\$(\d+)\$([^$]+)\$([A-Za-z0-9+/]+=*)$/.exec(hash);
  if (!match) return null;
  const iterations = Number(match[1]);
  const expected = decodeBase64(match[3]);
  if (!expected || iterations < 1 || iterations > LIMITS.pbkdf2Iterations) return null;
  return {
    format: 'django-pbkdf2',
    cost: `django-${iterations}`,
    check: pbkdf2Check('sha256', iterations, Buffer.from(match[2], 'utf8'), expected),
  };
}

/**
 * Firebase's modified scrypt: the signer key encrypted with AES-256-CTR (zero IV) under the
 * scrypt of the password with the user's salt and the project's separator.
 */
function parseFirebase(hash: string): Parsed | null {
  const match = /^\$firebase-scrypt\$ln=(\d+),r=(\d+)\$([^$]*)\$([^$]+)\$([^$]+)\$([^$]+)$/.exec(hash);
  if (!match) return null;
  const [logN, r] = [Number(match[1]), Number(match[2])];
  const separator = match[3] === '' ? Buffer.alloc(0) : decodeBase64(match[3]);
  const [signerKey, salt, expected] = [match[4], match[5], match[6]].map(decodeBase64);
  if (!separator || !signerKey || !salt || !expected) return null;
  if (logN < 1 || logN > LIMITS.scryptLogN || r < 1 || r > LIMITS.scryptR) return null;
  return {
    format: 'firebase-scrypt',
    cost: `firebase-${logN}-${r}`,
    check: async (password) => {
      const key = await scryptAsync(password, Buffer.concat([salt, separator]), 32, {
        N: 2 ** logN,
        r,
        p: 1,
        maxmem: LIMITS.scryptMaxmem,
      });
      const cipher = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
      return equal(Buffer.concat([cipher.update(signerKey), cipher.final()]), expected);
    },
  };
}

const PARSERS = [parseArgon2, parseBcrypt, parseScrypt, parsePbkdf2, parseDjango, parseFirebase];

function parse(hash: string): Parsed | null {
  if (hash.length > 1000) return null;
  for (const parser of PARSERS) {
    const parsed = parser(hash);
    if (parsed) return parsed;
  }
  return null;
}

/** The format of a hash this server can verify, or null (unknown or malformed). */
export function importedHashFormat(hash: string): ImportedHashFormat | null {
  return parse(hash)?.format ?? null;
}

/** What checking the hash costs, as a key (format and work factors), or null for a hash it cannot read. */
export function costOfImportedHash(hash: string): string | null {
  return parse(hash)?.cost ?? null;
}

/** Whether `password` is the one `hash` was made from; false for a wrong password or a hash it cannot read. */
export async function verifyImportedHash(hash: string, password: string): Promise<boolean> {
  const parsed = parse(hash);
  if (!parsed) return false;
  try {
    return await parsed.check(password);
  } catch {
    return false;
  }
}
