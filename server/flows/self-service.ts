/**
 * Workflow 6 (self-service) and the member side of workflow 3: forgot password, inspecting and
 * renewing links, confirming the email. Setting the password through a link is `link-reset.ts`.
 */
import { updateAccountAnnounced } from '../webhooks/emit.js';
import type { Account, LinkPurpose } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { TokenError, type TokenClaims } from '../crypto/tokens.js';
import { accountStatus, mailboxRefusal, requireLiveLink, withLinkUsed } from './account-state.js';
import { maskEmail } from '../mask-email.js';
import { audit, mailNewLink, retried, tenantForAccount } from './context.js';
import { claimedPurpose, LINK_PURPOSES, verifyLinkToken } from './link-tokens.js';
import { counterKey } from './counter-key.js';

/** The budget of self-service mails to one account (made again under its id, it starts afresh). */
export function selfServiceAccountKey(account: Pick<Account, 'id' | 'createdAt'>): string {
  return counterKey('self-service-account', account.id, account.createdAt);
}

/** Self-service mails share one silent budget per account and per IP; over it they are dropped, never refused. */
async function withinSelfServiceLimits(deps: Deps, account: Account | null, ip: string): Promise<boolean> {
  const now = deps.clock.now();
  const { forgotPerIp, forgotPerAccount } = deps.config.limits;
  const byIp = await deps.store.takeFromWindow(counterKey('self-service-ip', ip), { ...forgotPerIp, now });
  if (!byIp.allowed) return false;
  if (!account) return true;
  const byAccount = await deps.store.takeFromWindow(selfServiceAccountKey(account), {
    ...forgotPerAccount,
    now,
  });
  return byAccount.allowed;
}

/**
 * Why a member may not get a link of `purpose` by self-service now, or null. Checked before the
 * mail and again inside the write that records the link.
 */
function selfServiceRefusal(account: Account, purpose: LinkPurpose): string | null {
  if (!account.loginEnabled) return 'login_disabled';
  if (!account.email) return 'no_email';
  // Seed 003: while a temporary password is pending, only that password leads back in.
  if (purpose !== 'verify-email' && accountStatus(account) === 'force_reset') return 'force_reset';
  if (purpose !== 'verify-email' && mailboxRefusal(account)) return 'email_not_vouched';
  if (purpose === 'verify-email' && account.emailConfirmed) return 'already_confirmed';
  return null;
}

/**
 * Forgot password. Everything happens after the answer, so the answer (and its timing) is the
 * same for known, unknown, disabled, email-less and force-reset accounts. A step that fails in a
 * way that may pass (storage or mail briefly down) runs again later, on its own, instead of the
 * member's request being dropped (or mailed twice).
 */
export function requestPasswordReset(
  deps: Deps,
  input: { identifier: string; tenant?: string; ip: string },
): void {
  deps.background.run('forgot', () => mailRequestedLink(deps, input));
}

async function mailRequestedLink(deps: Deps, input: { identifier: string; tenant?: string; ip: string }) {
  const step = retried(deps);
  const account = await step(() => deps.store.findAccount(input.identifier));
  const allowed = await step(() => withinSelfServiceLimits(deps, account, input.ip));
  if (!account) return;
  if (!allowed) return refuseSelfService(deps, account, 'rate_limited');
  if (input.tenant && !account.tenants.includes(input.tenant))
    return refuseSelfService(deps, account, 'other_tenant');
  const reason = selfServiceRefusal(account, 'reset');
  if (reason) return refuseSelfService(deps, account, reason);
  const tenant = await step(() => tenantForAccount(deps, account, input.tenant));
  try {
    await mailNewLink(deps, account, 'reset', tenant, {
      stillAllowed: (current) => !selfServiceRefusal(current, 'reset'),
      step,
    });
  } catch (error) {
    await audit(deps, {
      clientId: account.id,
      actor: { kind: 'member' },
      action: 'reset_link.request',
      outcome: 'failed',
      detail: { error: error instanceof AppError ? error.code : 'internal_error' },
    });
    return;
  }
  await audit(deps, {
    clientId: account.id,
    actor: { kind: 'member' },
    action: 'reset_link.request',
    outcome: 'ok',
  });
}

/**
 * A self-service request that was dropped. Repeats within the limit's window are counted on one
 * record, so anyone sending requests cannot flood the client's activity.
 */
function refuseSelfService(deps: Deps, account: Account, reason: string): Promise<void> {
  return audit(
    deps,
    {
      clientId: account.id,
      actor: { kind: 'member' },
      action: 'reset_link.request',
      outcome: 'refused',
      detail: { reason },
    },
    { mergeWithinMs: deps.config.limits.forgotPerAccount.windowMs },
  );
}

export interface LinkInspection {
  purpose: LinkPurpose;
  email: string | null;
  name: string;
  expiresAt: string | null;
  /**
   * The username, for the password manager's hidden username field; for email logins the masked
   * email (inspection never reveals an address: links leak through screenshots and shared screens).
   */
  login: string | null;
  tenant: { id: string; name: string; locale: string } | null;
}

/** Tells the page what a link is for, without consuming it (mail scanners open links too). */
export async function inspectLink(deps: Deps, token: string): Promise<LinkInspection> {
  const { purpose, account, link, claims } = await verifyLinkToken(deps, token, LINK_PURPOSES);
  const tenant = await tenantForAccount(deps, account, claims.tid);
  const invitesForever = purpose === 'invite' && deps.config.inviteMaxAgeMs === null;
  return {
    purpose,
    email: account.email ? maskEmail(account.email) : null,
    name: account.name,
    expiresAt: invitesForever ? null : new Date(link.expiresAt).toISOString(),
    login: account.username ?? (account.email ? maskEmail(account.email) : null),
    tenant: tenant ? { id: tenant.id, name: tenant.name, locale: tenant.locale } : null,
  };
}

/** Confirms the address a verify-email link was sent to. */
export async function verifyEmail(deps: Deps, token: string): Promise<void> {
  const { account, link } = await verifyLinkToken(deps, token, ['verify-email']);
  const now = deps.clock.now();
  await updateAccountAnnounced(deps, account.id, (current) => {
    requireLiveLink(current, link.jti, ['verify-email'], now);
    return { ...withLinkUsed(current, link.jti, now), emailConfirmed: true };
  });
  await audit(deps, {
    clientId: account.id,
    actor: { kind: 'member' },
    action: 'email.verify',
    outcome: 'ok',
  });
}

/**
 * A fresh link for a dead one (expired or replaced), mailed to the account's current address. The
 * answer never says what happened; limits are the forgot ones. Only a bad signature is refused.
 */
export async function renewLink(deps: Deps, input: { token: string; ip: string }): Promise<void> {
  const purpose = claimedPurpose(input.token);
  let claims: TokenClaims;
  try {
    claims = await deps.tokens.verify(input.token, purpose);
  } catch (error) {
    if (!(error instanceof TokenError && error.failure === 'expired' && error.expiredClaims)) {
      throw new AppError('link_invalid');
    }
    claims = error.expiredClaims;
  }
  deps.background.run('renew', () => mailRenewedLink(deps, claims, purpose, input.ip));
}

async function mailRenewedLink(
  deps: Deps,
  claims: TokenClaims,
  purpose: LinkPurpose,
  ip: string,
): Promise<void> {
  const step = retried(deps);
  const account = await step(() => deps.store.getAccount(claims.sub));
  if (!account || !(await step(() => withinSelfServiceLimits(deps, account, ip)))) return;
  const old = account.links.find((link) => link.jti === claims.jti);
  if (old?.state === 'used') return;
  // A welcome link renewed after a password was set becomes a reset link.
  const next: LinkPurpose = purpose === 'invite' && account.credential ? 'reset' : purpose;
  if (selfServiceRefusal(account, next)) return;
  const tenant = await step(() => tenantForAccount(deps, account, claims.tid));
  await mailNewLink(deps, account, next, tenant, {
    stillAllowed: (current) => !selfServiceRefusal(current, next),
    step,
  });
  await audit(deps, {
    clientId: account.id,
    actor: { kind: 'member' },
    action: 'link.renew',
    outcome: 'ok',
    detail: { purpose: next },
  });
}
