/** Member sessions: issued after a login or a password change, checked on every request that carries one. */
import type { Account } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { lifetimes } from '../crypto/params.js';
import { TokenError, type TokenClaims } from '../crypto/tokens.js';
import { counterKey } from './counter-key.js';

export interface IssuedSession {
  session: string;
  expiresAt: string;
}

export async function issueSession(
  deps: Deps,
  account: Account,
  tenantId: string | undefined,
): Promise<IssuedSession> {
  const signed = await deps.tokens.sign(
    'session',
    { sub: account.id, ver: account.sessionVersion, ...(tenantId ? { tid: tenantId } : {}) },
    lifetimes.session,
  );
  return { session: signed.token, expiresAt: new Date(signed.expiresAt).toISOString() };
}

/**
 * Whether a session or challenge still speaks for the account: not revoked by a later password
 * change or a disabled login, and still a member of the tenant it was issued for.
 */
export function stillValidFor(account: Account, claims: TokenClaims): boolean {
  return (
    account.sessionVersion === claims.ver &&
    // Issued to an account of this id that was deleted before this one was made (`iat` is in
    // whole seconds, so a token of the account's first second still counts).
    claims.iat * 1000 >= account.createdAt - 1000 &&
    account.loginEnabled &&
    (claims.tid === undefined || account.tenants.includes(claims.tid))
  );
}

/** The account behind a live session, or `session_invalid` (expired, revoked, disabled, removed from its tenant). */
export async function requireSession(
  deps: Deps,
  token: string,
): Promise<{ claims: TokenClaims; account: Account }> {
  let claims: TokenClaims;
  try {
    claims = await deps.tokens.verify(token, 'session');
  } catch (error) {
    if (error instanceof TokenError) throw new AppError('session_invalid');
    throw error;
  }
  const [account, ended] = await Promise.all([deps.store.getAccount(claims.sub), hasEnded(deps, claims)]);
  if (!account || ended || !stillValidFor(account, claims)) throw new AppError('session_invalid');
  return { claims, account };
}

/**
 * An ended session (logout) is remembered until it would have expired, as a rate window of one
 * that is used up: the store's expiring record, so nothing is left once the token is dead anyway.
 */
const endedKey = (claims: TokenClaims) => counterKey('session-ended', claims.jti);
// One length for taking and reading: no session outlives it after its logout.
const endedWindow = (now: number) => ({ limit: 1, windowMs: lifetimes.session + 60_000, now });

async function hasEnded(deps: Deps, claims: TokenClaims): Promise<boolean> {
  const state = await deps.store.peekWindow(endedKey(claims), endedWindow(deps.clock.now()));
  return state.remaining === 0;
}

/** Logout: this session stops verifying at once (the member's other sessions go on). */
export async function endSession(deps: Deps, token: string): Promise<void> {
  const { claims } = await requireSession(deps, token);
  await deps.store.takeFromWindow(endedKey(claims), endedWindow(deps.clock.now()));
}
