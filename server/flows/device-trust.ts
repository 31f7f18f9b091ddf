/**
 * Device tokens (OWASP "device cookies"): a browser that gave an account's right password gets a
 * signed token naming that account; showing it at a later login marks the device as trusted, so
 * its checks are counted on their own and an attacker's failures elsewhere never lock it out.
 */
import { decodeJwt } from 'jose';
import type { Account } from '../domain.js';
import type { Deps } from '../deps.js';
import { lifetimes } from '../crypto/params.js';

export async function issueDeviceToken(deps: Deps, account: Account): Promise<string> {
  const signed = await deps.tokens.sign('device', { sub: account.id }, lifetimes.deviceToken);
  return signed.token;
}

/**
 * The id of the device token among `tokens` that this account issued and that still verifies, or
 * null. A browser may keep tokens of several accounts; only the one naming this account is verified.
 */
export async function trustedDeviceId(
  deps: Deps,
  account: Account,
  tokens: readonly string[] | undefined,
): Promise<string | null> {
  const mine = (tokens ?? []).find((token) => {
    try {
      const claims = decodeJwt(token);
      return claims.sub === account.id && claims.pur === 'device';
    } catch {
      return false;
    }
  });
  if (!mine) return null;
  try {
    const claims = await deps.tokens.verify(mine, 'device');
    return claims.sub === account.id ? claims.jti : null;
  } catch {
    return null;
  }
}
