/** Small tools the conformance suites share. */
import type { Account } from '../../domain.js';
import { AppError, type ErrorCode } from '../../errors.js';
import type { Store } from '../store.js';
import { T0 } from './records.js';

/** The error code a rejected promise carries (fails the test if it resolves). */
export async function codeOf(promise: Promise<unknown>): Promise<ErrorCode> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected a rejection');
}

export function codes(results: PromiseSettledResult<unknown>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const result of results) {
    const key =
      result.status === 'fulfilled'
        ? 'ok'
        : result.reason instanceof AppError
          ? result.reason.code
          : String(result.reason);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** The change a link consumption makes: exactly-once is what a reset link promises. */
export function consumeFirstLink(current: Account): Account {
  const [link, ...rest] = current.links;
  if (!link || link.state !== 'active') throw new AppError('link_used');
  return {
    ...current,
    links: [{ ...link, state: 'used', endedAt: T0 }, ...rest],
    sessionVersion: current.sessionVersion + 1,
  };
}

/** The ids of every client of a tenant, paging through the directory. */
export async function idsIn(store: Store, tenantId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page = await store.searchClients(tenantId, { limit: 100, cursor });
    ids.push(...page.items.map((account) => account.id));
    cursor = page.next;
  } while (cursor);
  return ids;
}
