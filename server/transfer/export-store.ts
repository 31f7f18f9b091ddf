/** Writes every record of a store as an export file, line by line, as the store reads them. */
import type { Store } from '../store/store.js';
import { headerLine, recordLine, trailerLine } from './format.js';

export interface ExportCounts {
  accounts: number;
  records: number;
}

/**
 * `write` takes one line (with its newline) and resolves when it may take the next, so a slow
 * disk slows the reading instead of piling records up in memory.
 */
export async function exportStore(
  store: Store,
  write: (line: string) => Promise<void>,
  options: { now?: number; onProgress?: (counts: ExportCounts) => void } = {},
): Promise<ExportCounts> {
  const counts: ExportCounts = { accounts: 0, records: 0 };
  await write(`${headerLine(store.backend, options.now ?? Date.now())}\n`);
  for await (const record of store.exportRecords()) {
    await write(`${recordLine(record)}\n`);
    if (record.kind === 'account') counts.accounts++;
    else counts.records++;
    if ((counts.accounts + counts.records) % PROGRESS_EVERY === 0) options.onProgress?.(counts);
  }
  await write(`${trailerLine(counts.accounts, counts.records)}\n`);
  return counts;
}

export const PROGRESS_EVERY = 5000;
