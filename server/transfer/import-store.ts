/**
 * Reads an export file into a store. Records are written as they come, a few at a time; what the
 * file holds replaces what the store holds, so an import stopped half way (or run twice) is
 * finished by running it again. An account whose email or username another account holds is
 * refused and listed; every other record still goes in.
 */
import { AppError, isAppError } from '../errors.js';
import type { ImportOutcome, Store, StoreRecord } from '../store/store.js';
import { fileError, parseBody, parseHeader, type Header } from './format.js';
import { PROGRESS_EVERY } from './export-store.js';

/** Writes in flight at once: enough to hide a network store's round trips. */
const CONCURRENCY = 8;

export interface ImportSummary {
  header: Header;
  added: number;
  replaced: number;
  /** Counters whose window had closed by the time they arrived: nothing to keep. */
  expired: number;
  /** Accounts refused because another account holds their email or username. */
  conflicts: { id: string; code: 'email_in_use' | 'username_in_use' }[];
}

export async function importStore(
  store: Store,
  lines: AsyncIterable<string> | Iterable<string>,
  options: { onProgress?: (done: number) => void } = {},
): Promise<ImportSummary> {
  const outcomes: Record<ImportOutcome, number> = { added: 0, replaced: 0, expired: 0 };
  const conflicts: ImportSummary['conflicts'] = [];
  const inFlight = new Set<Promise<void>>();
  let failure: unknown = null;
  let header: Header | null = null;
  let trailer: { accounts: number; records: number; line: number } | null = null;
  const seen = { accounts: 0, records: 0 };
  let lineNumber = 0;

  const write = async (record: StoreRecord, line: number) => {
    try {
      outcomes[await store.importRecord(record)]++;
    } catch (error) {
      if (
        record.kind === 'account' &&
        isAppError(error) &&
        (error.code === 'email_in_use' || error.code === 'username_in_use')
      ) {
        conflicts.push({ id: record.account.id, code: error.code });
      } else if (isAppError(error) && error.code === 'invalid_request') {
        failure ??= fileError(line, error.message);
      } else {
        failure ??= error;
      }
    }
    const done = outcomes.added + outcomes.replaced + outcomes.expired + conflicts.length;
    if (done > 0 && done % PROGRESS_EVERY === 0 && !failure) options.onProgress?.(done);
  };

  try {
    for await (const raw of lines) {
      lineNumber++;
      if (failure) break;
      const text = raw.trim();
      if (text === '') continue;
      if (!header) {
        header = parseHeader(text, lineNumber);
        continue;
      }
      if (trailer) throw fileError(lineNumber, `comes after the last line (line ${trailer.line}).`);
      const body = parseBody(text, lineNumber);
      if (body.kind === 'end') {
        trailer = { ...body, line: lineNumber };
        continue;
      }
      seen[body.kind === 'account' ? 'accounts' : 'records']++;
      const task = write(body, lineNumber).finally(() => inFlight.delete(task));
      inFlight.add(task);
      if (inFlight.size >= CONCURRENCY) await Promise.race(inFlight);
    }
  } finally {
    // A line that stops the import must not leave writes running under a store about to close.
    await Promise.allSettled(inFlight);
  }
  if (failure) throw failure;
  if (!header) throw new AppError('invalid_request', { message: 'The file is empty: it holds no export.' });
  if (!trailer) {
    throw new AppError('invalid_request', {
      message:
        `The file ends at line ${lineNumber} without the line that closes an export: it was cut short. ` +
        'The records it held are imported; import a complete export to bring the rest.',
    });
  }
  if (trailer.accounts !== seen.accounts || trailer.records !== seen.records) {
    throw fileError(
      trailer.line,
      `the export counted ${trailer.accounts} accounts and ${trailer.records} records; ` +
        `the file holds ${seen.accounts} and ${seen.records}.`,
    );
  }
  return { header, ...outcomes, conflicts };
}
