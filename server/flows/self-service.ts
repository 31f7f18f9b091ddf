/**
 * Workflow 6 (self-service) and the member side of workflow 3: forgot password, inspecting,
 * renewing and using links (or the short code from the same mail), confirming the email.
 */
import { timingSafeEqual } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { Account, LinkPurpose, LinkRecord } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { hashShortCode } from '../crypto/random.js';
import { TokenError, type TokenClaims } from '../crypto/tokens.js';
import {
  accountStatus,
  expiredLinkError,
  requireLiveLink,
  withCredential,
  withLinkUsed,
} from './account-state.js';
import { maskEmail } from '../mask-email.js';
import { normaliseIdentifier } from '../identifiers.js';
import type { WindowLimit } from '../config.js';
import {
  audit,
  mailNewLink,
  mayPass,
  requireAcceptablePassword,
  sendNoticeLater,
  tenantForAccount,
} from './context.js';
import { tooManyAttempts } from './login-throttle.js';

const LINK_PURPOSES: LinkPurpose[] = ['reset', 'invite', 'verify-email'];
const SETTING_PURPOSES: LinkPurpose[] = ['reset', 'invite'];

/** Self-service mails share one silent budget per account and per IP; over it they are dropped, never refused. */
async function withinSelfServiceLimits(deps: Deps, accountId: string | null, ip: string): Promise<boolean> {
  const now = deps.clock.now();
  const { forgotPerIp, forgotPerAccount } = deps.config.limits;
  const byIp = await deps.store.takeFromWindow(`self-service-ip:${ip}`, { ...forgotPerIp, now });
  if (!byIp.allowed) return false;
  if (!accountId) return true;
  const byAccount = await deps.store.takeFromWindow(`self-service-account:${accountId}`, {
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
  if (purpose === 'verify-email' && account.emailConfirmed) return 'already_confirmed';
  return null;
}

/**
 * Forgot password. Everything happens after the answer, so the answer (and its timing) is the
 * same for known, unknown, disabled, email-less and force-reset accounts. A failure that may pass
 * (storage or mail briefly down) runs it again later instead of dropping the member's request.
 */
export function requestPasswordReset(
  deps: Deps,
  input: { identifier: string; tenant?: string; ip: string },
): void {
  deps.background.run('forgot', () => mailRequestedLink(deps, input), { retryIf: mayPass });
}

async function mailRequestedLink(deps: Deps, input: { identifier: string; tenant?: string; ip: string }) {
  const account = await deps.store.findAccount(input.identifier);
  const allowed = await withinSelfServiceLimits(deps, account?.id ?? null, input.ip);
  if (!account) return;
  if (!allowed) return refuseSelfService(deps, account, 'rate_limited');
  if (input.tenant && !account.tenants.includes(input.tenant))
    return refuseSelfService(deps, account, 'other_tenant');
  const reason = selfServiceRefusal(account, 'reset');
  if (reason) return refuseSelfService(deps, account, reason);
  const tenant = await tenantForAccount(deps, account, input.tenant);
  try {
    await mailNewLink(deps, account, 'reset', tenant, {
      stillAllowed: (current) => !selfServiceRefusal(current, 'reset'),
    });
  } catch (error) {
    if (mayPass(error)) throw error;
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

/** The purpose a token claims to have; only a hint to choose which verification to run. */
function claimedPurpose(token: string): LinkPurpose {
  try {
    const purpose = decodeJwt(token).pur;
    if (typeof purpose === 'string' && (LINK_PURPOSES as string[]).includes(purpose))
      return purpose as LinkPurpose;
  } catch {
    // fall through
  }
  throw new AppError('link_invalid');
}

interface VerifiedLink {
  claims: TokenClaims;
  purpose: LinkPurpose;
  account: Account;
  link: LinkRecord;
}

/** Verifies a link token and finds its live record, or throws the error that says why it is dead. */
async function verifyLinkToken(deps: Deps, token: string, purposes: LinkPurpose[]): Promise<VerifiedLink> {
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

/**
 * Sets the member's own password through a live link: consumes it, confirms the email (the link
 * reached the mailbox), ends the force-reset state and revokes sessions — in one write.
 */
async function setPasswordThroughLink(
  deps: Deps,
  account: Account,
  jti: string,
  password: string,
  via: 'link' | 'code',
): Promise<void> {
  await requireAcceptablePassword(deps, account, password);
  const hash = await deps.hasher.hash(password);
  const now = deps.clock.now();
  const updated = await deps.store.updateAccount(account.id, (current) => {
    const link = requireLiveLink(current, jti, SETTING_PURPOSES, now);
    const used = withLinkUsed(current, link.jti, now);
    // Whoever could read the mailbox the link went to could have chosen this password.
    const lineage = link.staffTenants ?? [];
    return {
      ...withCredential(
        used,
        { hash, kind: 'member', setAt: now, ...(lineage.length > 0 ? { staffTenants: lineage } : {}) },
        now,
        deps.config.passwordPolicy.historySize,
      ),
      emailConfirmed: true,
    };
  });
  await audit(deps, {
    clientId: account.id,
    actor: { kind: 'member' },
    action: 'password.reset',
    outcome: 'ok',
    detail: { via },
  });
  const tenant = await tenantForAccount(deps, updated);
  sendNoticeLater(deps, updated, tenant, {
    kind: 'password-changed',
    name: updated.name,
    at: now,
    byStaff: false,
  });
}

export async function resetWithToken(deps: Deps, input: { token: string; password: string }): Promise<void> {
  const { account, link } = await verifyLinkToken(deps, input.token, SETTING_PURPOSES);
  await setPasswordThroughLink(deps, account, link.jti, input.password, 'link');
}

function codeMatches(link: LinkRecord, code: string): boolean {
  if (!link.codeHash) return false;
  const expected = Buffer.from(link.codeHash);
  const given = Buffer.from(hashShortCode(code, link.jti));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Live reset or invite links that printed a code. */
function codeCandidates(account: Account, now: number): LinkRecord[] {
  return account.links.filter(
    (link) =>
      SETTING_PURPOSES.includes(link.purpose) &&
      link.state === 'active' &&
      link.expiresAt > now &&
      link.codeHash !== undefined,
  );
}

/**
 * The budgets a code try spends: per typed identifier and address (the member's own tries, which
 * a probe from another address cannot use up), per identifier from anywhere, and per address
 * across identifiers. Keyed by what was typed, so known and unknown identifiers spend alike.
 */
function codeBudgets(deps: Deps, identifier: string, ip: string): Array<[string, WindowLimit]> {
  const { codePerAddress, codePerIdentifier, codePerIp } = deps.config.limits;
  const typed = normaliseIdentifier(identifier);
  return [
    [`code:${typed}:${ip}`, codePerAddress],
    [`code:${typed}`, codePerIdentifier],
    [`code-ip:${ip}`, codePerIp],
  ];
}

/**
 * The same as a link, from another device: the identifier plus the short code printed in the mail
 * (a reset or a welcome mail, whichever is live). Known and unknown identifiers do the same work
 * before the answer (the lookup and the three budget takes, side by side); only a wrong code keeps
 * its place in the budgets. The link in the mail works whatever the budgets say.
 */
export async function resetWithCode(
  deps: Deps,
  input: { identifier: string; code: string; password: string; ip: string },
): Promise<void> {
  const now = deps.clock.now();
  const budgets = codeBudgets(deps, input.identifier, input.ip);
  const [account, takes] = await Promise.all([
    deps.store.findAccount(input.identifier),
    Promise.all(budgets.map(([key, limit]) => deps.store.takeFromWindow(key, { ...limit, now }))),
  ]);
  const giveBack = () =>
    Promise.all(
      takes.map((take, index) =>
        take.ticket ? deps.store.giveBackToWindow(budgets[index][0], take.ticket) : undefined,
      ),
    );
  if (takes.some((take) => !take.allowed)) {
    await giveBack();
    throw tooManyAttempts(Math.max(...takes.map((take) => take.retryAt ?? now)), now);
  }
  const link =
    account && codeCandidates(account, now).find((candidate) => codeMatches(candidate, input.code));
  if (!account || !link) {
    if (account) auditWrongCodeLater(deps, account);
    throw new AppError('code_invalid');
  }
  await giveBack();
  await setPasswordThroughLink(deps, account, link.jti, input.password, 'code');
}

function auditWrongCodeLater(deps: Deps, account: Account): void {
  deps.background.run('audit-wrong-code', () =>
    audit(
      deps,
      {
        clientId: account.id,
        actor: { kind: 'member' },
        action: 'password.reset',
        outcome: 'refused',
        detail: { via: 'code', reason: 'code_invalid' },
      },
      { mergeWithinMs: deps.config.limits.codePerAddress.windowMs },
    ),
  );
}

/** Confirms the address a verify-email link was sent to. */
export async function verifyEmail(deps: Deps, token: string): Promise<void> {
  const { account, link } = await verifyLinkToken(deps, token, ['verify-email']);
  const now = deps.clock.now();
  await deps.store.updateAccount(account.id, (current) => {
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
  deps.background.run('renew', () => mailRenewedLink(deps, claims, purpose, input.ip), { retryIf: mayPass });
}

async function mailRenewedLink(
  deps: Deps,
  claims: TokenClaims,
  purpose: LinkPurpose,
  ip: string,
): Promise<void> {
  const account = await deps.store.getAccount(claims.sub);
  if (!account || !(await withinSelfServiceLimits(deps, account.id, ip))) return;
  const old = account.links.find((link) => link.jti === claims.jti);
  if (old?.state === 'used') return;
  // A welcome link renewed after a password was set becomes a reset link.
  const next: LinkPurpose = purpose === 'invite' && account.credential ? 'reset' : purpose;
  if (selfServiceRefusal(account, next)) return;
  const tenant = await tenantForAccount(deps, account, claims.tid);
  await mailNewLink(deps, account, next, tenant, {
    stillAllowed: (current) => !selfServiceRefusal(current, next),
  });
  await audit(deps, {
    clientId: account.id,
    actor: { kind: 'member' },
    action: 'link.renew',
    outcome: 'ok',
    detail: { purpose: next },
  });
}
