/**
 * Bulk provisioning: many clients in one pass, each on its own. A line that fails is reported
 * and the others go on; running the same file again changes nothing (clients are keyed by id).
 */
import type { Deps } from '../deps.js';
import { AppError, isAppError } from '../errors.js';
import { describeError } from '../background.js';
import { provisionClient, type ClientInput, type ImportedPasswordOutcome } from './provisioning.js';

/** One line of the input, parsed and validated by the caller, or what was wrong with it. */
export type ImportEntry =
  { line: number; id: string; input: ClientInput } | { line: number; id: string | null; error: AppError };

export type ImportResult =
  | { line: number; id: string; status: 'created' | 'updated'; passwordHash?: ImportedPasswordOutcome }
  | { line: number; id: string | null; status: 'failed'; error: AppError };

/**
 * Clients written at once: enough to overlap storage round trips, few enough to leave the server
 * to its members while an import runs.
 */
const CONCURRENCY = 8;

/**
 * Provisions each entry, `CONCURRENCY` at a time, and yields the results in input order. Two
 * lines for one client run one after the other, the later one last, as if sent one by one.
 */
export async function* provisionEach(
  deps: Deps,
  entries: AsyncIterable<ImportEntry>,
): AsyncGenerator<ImportResult> {
  const inOrder: Array<Promise<ImportResult>> = [];
  const lastForClient = new Map<string, Promise<unknown>>();

  for await (const entry of entries) {
    if ('error' in entry) {
      inOrder.push(Promise.resolve({ ...entry, status: 'failed' }));
    } else {
      const before = lastForClient.get(entry.id);
      const result = (before ?? Promise.resolve()).then(() => provisionOne(deps, entry));
      lastForClient.set(entry.id, result);
      void result.then(() => {
        if (lastForClient.get(entry.id) === result) lastForClient.delete(entry.id);
      });
      inOrder.push(result);
    }
    while (inOrder.length >= CONCURRENCY) yield await inOrder.shift()!;
  }
  while (inOrder.length > 0) yield await inOrder.shift()!;
}

async function provisionOne(
  deps: Deps,
  entry: { line: number; id: string; input: ClientInput },
): Promise<ImportResult> {
  const { line, id } = entry;
  try {
    const { created, passwordHash } = await provisionClient(deps, id, entry.input);
    return { line, id, status: created ? 'created' : 'updated', ...(passwordHash ? { passwordHash } : {}) };
  } catch (error) {
    if (isAppError(error)) return { line, id, status: 'failed', error };
    deps.logger.error({ err: describeError(error), line }, 'bulk provisioning: a line failed unexpectedly');
    return { line, id, status: 'failed', error: new AppError('internal_error') };
  }
}
