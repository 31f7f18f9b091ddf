/** Member sessions: issued after a login or a password change, checked on every request that carries one. */
import type { Account } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { lifetimes } from '../crypto/params.js';
import { TokenError, type TokenClaims } from '../crypto/tokens.js';

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
  const account = await deps.store.getAccount(claims.sub);
  if (!account || !stillValidFor(account, claims)) throw new AppError('session_invalid');
  return { claims, account };
}
