/**
 * The export file: NDJSON, one JSON value per line. A header names the format, the records follow
 * (accounts first), and a trailer counts them, so an import can tell a whole file from one cut
 * short. Lines are checked here; a line that fails names its number and what is wrong, never
 * what it holds (an export carries password hashes and signing keys).
 */
import { z } from 'zod';
import type { Account } from '../domain.js';
import { AppError } from '../errors.js';
import type { Backend } from '../store/atomic-kv.js';
import type { StoreRecord } from '../store/store.js';

export const FORMAT = 'client-reset-store';
export const FORMAT_VERSION = 1;

export interface Header {
  kind: 'header';
  format: typeof FORMAT;
  version: typeof FORMAT_VERSION;
  exportedAt: string;
  from: Backend;
}

export interface Trailer {
  kind: 'end';
  accounts: number;
  records: number;
}

const headerSchema = z.object({
  kind: z.literal('header'),
  format: z.literal(FORMAT),
  version: z.literal(FORMAT_VERSION),
  exportedAt: z.string(),
  from: z.string(),
});

// Accounts are checked for the fields the store indexes and the flows rely on; the rest of an
// account (credential, links) is the store's own format, written by the same code that reads it.
const accountSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  email: z.string().nullable(),
  username: z.string().nullable(),
  tenants: z.array(z.string()),
  loginEnabled: z.boolean(),
  emailConfirmed: z.boolean(),
  credential: z.looseObject({}).nullable(),
  passwordHistory: z.array(z.string()),
  sessionVersion: z.number().int(),
  links: z.array(z.looseObject({})),
  createdAt: z.number(),
  updatedAt: z.number(),
  revision: z.number().int(),
});

const bodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('account'), account: accountSchema }),
  z.object({
    kind: z.literal('record'),
    key: z.string().min(1),
    value: z.json(),
    expiresAt: z.number().nullable(),
  }),
  z.object({ kind: z.literal('end'), accounts: z.number().int(), records: z.number().int() }),
]);

export function headerLine(from: Backend, now: number): string {
  const header: Header = {
    kind: 'header',
    format: FORMAT,
    version: FORMAT_VERSION,
    exportedAt: new Date(now).toISOString(),
    from,
  };
  return JSON.stringify(header);
}

export function recordLine(record: StoreRecord): string {
  return JSON.stringify(record);
}

export function trailerLine(accounts: number, records: number): string {
  const trailer: Trailer = { kind: 'end', accounts, records };
  return JSON.stringify(trailer);
}

/** A line of the file that cannot be imported: the import stops there. */
export function fileError(line: number, problem: string): AppError {
  return new AppError('invalid_request', { message: `Line ${line}: ${problem}`, details: { line } });
}

function parseJson(text: string, line: number): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw fileError(line, 'not JSON.');
  }
}

/** Where a line failed, as field paths and rules (zod's messages name types, not values). */
function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'the line'}: ${issue.message}`)
    .join('; ');
}

export function parseHeader(text: string, line: number): Header {
  const parsed = headerSchema.safeParse(parseJson(text, line));
  if (!parsed.success) {
    throw fileError(
      line,
      `not the header of a ${FORMAT} export (version ${FORMAT_VERSION}): ${describe(parsed.error)}.`,
    );
  }
  return parsed.data as Header;
}

export function parseBody(text: string, line: number): StoreRecord | Trailer {
  const parsed = bodySchema.safeParse(parseJson(text, line));
  if (!parsed.success) throw fileError(line, `not a record of an export: ${describe(parsed.error)}.`);
  const body = parsed.data;
  if (body.kind === 'account') return { kind: 'account', account: body.account as unknown as Account };
  return body;
}
