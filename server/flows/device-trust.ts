/**
 * Device tokens (OWASP "device cookies"): a browser that gave an account's right password gets a
 * signed token naming that account; showing it at a later login marks the device as trusted, so
 * its checks are counted on their own and an attacker's failures elsewhere never lock it out.
 */
import { decodeJwt } from 'jose';
import type { Account } from '../domain.js';
import type { Deps } from '../deps.js';
import { lifetimes } from '../crypto/params.js';

/** How many accounts' tokens one browser keeps (a family sharing a tablet, say). */
export const DEVICE_TOKENS_KEPT = 5;

/** The account a token names, read without verifying: only to keep one token per account. */
function subjectOf(token: string): string | undefined {
  try {
    return decodeJwt(token).sub;
  } catch {
    return undefined;
  }
}

/** A browser's kept tokens after a login: the fresh one first, in place of an older one for its account. */
export function keptDeviceTokens(kept: readonly string[], fresh: string): string[] {
  const subject = subjectOf(fresh);
  return [fresh, ...kept.filter((token) => subjectOf(token) !== subject)].slice(0, DEVICE_TOKENS_KEPT);
}

export async function issueDeviceToken(deps: Deps, account: Account): Promise<string> {
  const signed = await deps.tokens.sign('device', { sub: account.id }, lifetimes.deviceToken);
  return signed.token;
}

/**
 * The id of a device token among `tokens` that names this account and still verifies, or null. A
 * browser may keep tokens of several accounts (and a stale or tampered one must not hide a good
 * one): only those naming this account are verified, each until one holds.
 */
export async function trustedDeviceId(
  deps: Deps,
  account: Account,
  tokens: readonly string[] | undefined,
): Promise<string | null> {
  for (const token of tokens ?? []) {
    if (subjectOf(token) !== account.id) continue;
    try {
      const claims = await deps.tokens.verify(token, 'device');
      // Not a token of an erased client whose id this account was given since.
      if (claims.sub === account.id && claims.iat * 1000 >= account.createdAt - 1000) return claims.jti;
    } catch {
      // Expired, tampered or not a device token: try the next one.
    }
  }
  return null;
}
