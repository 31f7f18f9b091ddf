/**
 * Login throttling (SECURITY.md "Abuse and enumeration"): which counters a password check
 * reserves, waiting while parallel checks hold every place, and settling them with the outcome.
 *
 * A trusted device (one that logged in to the account before) is throttled on its own counter
 * only; any other device is throttled per typed identifier and address, and by the account-wide
 * bound. Counter keys carry the account's session version, so a completed reset (or any other
 * new password) starts every counter of the account afresh, with no listing of keys.
 */
import type { Account } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError, tooManyAttempts } from '../errors.js';
import { normaliseIdentifier } from '../identifiers.js';
import type { AttemptOutcome, AttemptRules } from '../store/store.js';
import { counterKey } from './counter-key.js';

/** How long a check waits for a place held by parallel checks of the same counter. */
const MAX_WAIT_MS = 5_000;

export interface Counter {
  key: string;
  /** Consecutive failures before delays start. */
  free: number;
}

/** A reserved check: settle it once, with what the password check found. */
export interface PasswordCheck {
  settle(outcome: AttemptOutcome): Promise<void>;
}

/** Growing delays after the free failures (1 s, 2 s, 4 s … up to the maximum, 15 min by default). */
function rulesFor(deps: Deps, free: number): AttemptRules {
  const { loginMaxDelayMs, loginFailureMemoryMs, attemptLeaseMs } = deps.config.limits;
  return {
    free,
    delayAfter: (failures) =>
      failures < free ? 0 : Math.min(loginMaxDelayMs, 1000 * 2 ** (failures - free)),
    memoryMs: loginFailureMemoryMs,
    leaseMs: attemptLeaseMs,
  };
}

/**
 * The counters of one login attempt. Unknown identifiers get the same counters under their name,
 * so known and unknown names are throttled alike. The per-address counter is keyed by what was
 * typed: a username and an email of one account count apart there, so one address's throttle
 * does not tell that they belong together (the account-wide bound is the account's by nature).
 */
export function loginCounters(
  deps: Deps,
  input: { account: Account | null; identifier: string; ip: string; deviceId: string | null },
): Counter[] {
  const { loginFreeFailures, loginAccountFreeFailures } = deps.config.limits;
  const typed = normaliseIdentifier(input.identifier);
  if (input.account && input.deviceId) {
    return [
      {
        key: counterKey('login-device', input.deviceId, input.account.sessionVersion),
        free: loginFreeFailures,
      },
    ];
  }
  // With its creation time: a new client given an erased client's id starts with no failures.
  const subject = input.account
    ? ['account', input.account.id, input.account.createdAt, input.account.sessionVersion]
    : ['name', typed];
  return [
    { key: counterKey('login-address', ...subject, typed, input.ip), free: loginFreeFailures },
    { key: counterKey('login-account', ...subject), free: loginAccountFreeFailures },
  ];
}

/**
 * The counters that belong to the account itself, of every session version it has had (an
 * erasure removes them). The per-address ones also hold what was typed and from where: they are
 * left to expire within the failure memory (a day).
 */
export function countersOfAccount(account: Account): string[] {
  const versions = Array.from({ length: account.sessionVersion + 1 }, (_, version) => version);
  return [
    ...versions.map((version) =>
      counterKey('login-account', 'account', account.id, account.createdAt, version),
    ),
    throttleNoticeKey(account),
  ];
}

/** Where a `login.throttled` notice is remembered, so that one goes out per window. */
export function throttleNoticeKey(account: Pick<Account, 'id' | 'createdAt'>): string {
  return counterKey('throttle-announced', account.id, account.createdAt);
}

/** The current password checked through a session: its own counter (the session proves an earlier login). */
export function sessionCounters(deps: Deps, sessionId: string): Counter[] {
  return [{ key: counterKey('password-change', sessionId), free: deps.config.limits.loginFreeFailures }];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Reserves one check on every counter, or throws 429 `too_many_attempts` (with when to retry) when
 * one refuses. While parallel checks hold every place of a counter, it waits for them to settle:
 * concurrent logins with the right password are never refused for being concurrent.
 */
export async function reservePasswordCheck(deps: Deps, counters: Counter[]): Promise<PasswordCheck> {
  const deadline = Date.now() + MAX_WAIT_MS;
  for (let round = 0; ; round++) {
    const held: Array<{ counter: Counter; ticket: string }> = [];
    const release = () =>
      Promise.all(
        held.map(({ counter, ticket }) =>
          deps.store.settleAttempt(
            counter.key,
            ticket,
            'cancelled',
            deps.clock.now(),
            rulesFor(deps, counter.free),
          ),
        ),
      );
    let busy = false;
    try {
      for (const counter of counters) {
        const now = deps.clock.now();
        const reserved = await deps.store.reserveAttempt(counter.key, now, rulesFor(deps, counter.free));
        if (reserved.status === 'refused') throw tooManyAttempts(reserved.retryAt, now);
        if (reserved.status === 'busy') {
          busy = true;
          break;
        }
        held.push({ counter, ticket: reserved.ticket });
      }
    } catch (error) {
      await release();
      throw error;
    }
    if (!busy) {
      return {
        settle: async (outcome) => {
          const now = deps.clock.now();
          await Promise.all(
            held.map(({ counter, ticket }) =>
              deps.store.settleAttempt(counter.key, ticket, outcome, now, rulesFor(deps, counter.free)),
            ),
          );
        },
      };
    }
    await release();
    // Checks in flight finish within a hash or two; past that the server is overloaded.
    if (Date.now() > deadline) throw new AppError('server_busy', { details: { retryAfter: 1 } });
    // Backing off (5 ms, 10, 20 … up to 100, jittered) keeps waiting requests from hammering the store.
    await sleep(Math.min(100, 5 * 2 ** round) * (0.5 + Math.random()));
  }
}
