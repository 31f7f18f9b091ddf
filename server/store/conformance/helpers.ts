/** Small tools the conformance suites share. */
import type { Account } from '../../domain.js';
import { AppError, type ErrorCode } from '../../errors.js';
import type { Store } from '../store.js';
import { makeAccount, makeLink, T0 } from './records.js';

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

/**
 * What two handles on one shared store (two server processes) must keep between them: one of 50
 * parallel uses of a link wins, a window lets exactly its limit through, no update is lost.
 * Resolves with what each part saw, for the caller to assert.
 */
export async function raceTwoHandles(one: Store, two: Store) {
  const account = await one.createAccount(makeAccount({ links: [makeLink()] }));
  const seenByTwo = await two.getAccount(account.id);
  const consumes = await Promise.allSettled(
    Array.from({ length: 50 }, (_, i) => (i % 2 ? one : two).updateAccount(account.id, consumeFirstLink)),
  );
  const takes = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      (i % 2 ? one : two).takeFromWindow('resend:x', { limit: 5, windowMs: 60_000, now: T0 }),
    ),
  );
  const increments = await Promise.allSettled(
    Array.from({ length: 40 }, (_, i) =>
      (i % 2 ? one : two).updateAccount(account.id, (current) => ({
        ...current,
        passwordHistory: [...current.passwordHistory, String(i)],
      })),
    ),
  );
  return {
    account,
    seenByTwo,
    consumes: codes(consumes),
    allowed: takes.filter((take) => take.allowed).length,
    increments: codes(increments),
    history: (await one.getAccount(account.id))?.passwordHistory.length,
  };
}

/**
 * Waits until a store whose backend came back answers again (a write, tried every 100 ms for up
 * to 10 s); meanwhile every failure must be `storage_unavailable`.
 */
export async function untilStoreAnswers(write: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await write();
      return;
    } catch (error) {
      if (!(error instanceof AppError) || error.code !== 'storage_unavailable') throw error;
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
