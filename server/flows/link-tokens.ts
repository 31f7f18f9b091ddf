/** Link tokens as the member pages present them: which purpose they claim, and whether their record is still live. */
import { decodeJwt } from 'jose';
import type { Account, LinkPurpose, LinkRecord } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { TokenError, type TokenClaims } from '../crypto/tokens.js';
import { expiredLinkError, requireLiveLink } from './account-state.js';

export const LINK_PURPOSES: LinkPurpose[] = ['reset', 'invite', 'verify-email'];
/** The purposes whose link sets a password. */
export const SETTING_PURPOSES: LinkPurpose[] = ['reset', 'invite'];

/** The purpose a token claims to have; only a hint to choose which verification to run. */
export function claimedPurpose(token: string): LinkPurpose {
  try {
    const purpose = decodeJwt(token).pur;
    if (typeof purpose === 'string' && (LINK_PURPOSES as string[]).includes(purpose))
      return purpose as LinkPurpose;
  } catch {
    // fall through
  }
  throw new AppError('link_invalid');
}

export interface VerifiedLink {
  claims: TokenClaims;
  purpose: LinkPurpose;
  account: Account;
  link: LinkRecord;
}

/** Verifies a link token and finds its live record, or throws the error that says why it is dead. */
export async function verifyLinkToken(
  deps: Deps,
  token: string,
  purposes: LinkPurpose[],
): Promise<VerifiedLink> {
  const purpose = claimedPurpose(token);
  if (!purposes.includes(purpose)) throw new AppError('link_invalid');
  let claims: TokenClaims;
  try {
    claims = await deps.tokens.verify(token, purpose);
  } catch (error) {
    if (error instanceof TokenError && error.failure === 'expired' && error.expiredClaims) {
      const account = await deps.store.getAccount(error.expiredClaims.sub);
      throw new AppError(expiredLinkError(account, error.expiredClaims.jti));
    }
    throw new AppError('link_invalid');
  }
  const account = await deps.store.getAccount(claims.sub);
  if (!account) throw new AppError('link_invalid');
  const link = requireLiveLink(account, claims.jti, [purpose], deps.clock.now());
  return { claims, purpose, account, link };
}
