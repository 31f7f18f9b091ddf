/**
 * Pure functions over an account record: link bookkeeping, credential changes, status. The flows
 * call them inside `store.updateAccount`, so each change lands whole or not at all.
 */
import type { Account, Credential, LinkPurpose, LinkRecord, LinkState, Tenant } from '../domain.js';
import { AppError, type ErrorCode } from '../errors.js';
import { sameIdentifier } from '../identifiers.js';

/** Enough history for a dead link to explain itself, small enough to keep the record light. */
const LINKS_KEPT = 20;

export type AccountStatus = 'invited' | 'active' | 'force_reset';

export function accountStatus(account: Account): AccountStatus {
  if (!account.credential) return 'invited';
  if (account.credential.kind === 'temporary') return 'force_reset';
  return 'active';
}

/**
 * Whether the account has never had a password: none now, none that stopped working, none in the
 * history. Setting one then is a first password, not a change.
 */
export function neverHadPassword(account: Account): boolean {
  return (
    !account.credential && account.credentialVoidedAt === undefined && account.passwordHistory.length === 0
  );
}

/** Records a new link; older active links of its purpose become `replaced`. */
export function withNewLink(account: Account, link: LinkRecord, now: number): Account {
  const links = account.links.map((existing) =>
    existing.purpose === link.purpose && existing.state === 'active'
      ? { ...existing, state: 'replaced' as const, endedAt: now }
      : existing,
  );
  return { ...account, links: [link, ...links].slice(0, LINKS_KEPT), updatedAt: now };
}

/** Ends every active link of the given purposes (all by default) as `state`. */
export function withLinksEnded(
  account: Account,
  now: number,
  state: Exclude<LinkState, 'active'> = 'revoked',
  purposes: LinkPurpose[] = ['reset', 'invite', 'verify-email'],
): Account {
  return {
    ...account,
    links: account.links.map((link) =>
      link.state === 'active' && purposes.includes(link.purpose) ? { ...link, state, endedAt: now } : link,
    ),
    updatedAt: now,
  };
}

const linkErrors: Record<Exclude<LinkState, 'active'>, ErrorCode> = {
  used: 'link_used',
  replaced: 'link_replaced',
  revoked: 'link_revoked',
};

/** The live link with this id and purpose, or the error that says why it is dead. */
export function requireLiveLink(
  account: Account,
  jti: string,
  purposes: LinkPurpose[],
  now: number,
): LinkRecord {
  const link = account.links.find((candidate) => candidate.jti === jti);
  // A link that fell out of the kept history was replaced many times over.
  if (!link) throw new AppError('link_replaced');
  if (!purposes.includes(link.purpose)) throw new AppError('link_invalid');
  if (link.state !== 'active') throw new AppError(linkErrors[link.state]);
  if (link.expiresAt <= now) throw new AppError('link_expired');
  return link;
}

/** Why a link whose token has expired is dead: `used` wins over `expired`, as it says more. */
export function expiredLinkError(account: Account | null, jti: string): ErrorCode {
  const link = account?.links.find((candidate) => candidate.jti === jti);
  if (link && link.state !== 'active') return linkErrors[link.state];
  return 'link_expired';
}

export function withLinkUsed(account: Account, jti: string, now: number): Account {
  return {
    ...account,
    links: account.links.map((link) =>
      link.jti === jti ? { ...link, state: 'used' as const, endedAt: now } : link,
    ),
    updatedAt: now,
  };
}

/**
 * Installs a new credential: keeps it in the history (temporary ones too), revokes every earlier
 * session and every link still alive (SECURITY.md: a link dies when the password changes).
 */
export function withCredential(
  account: Account,
  credential: Credential,
  now: number,
  historySize: number,
): Account {
  // The one guard every path that installs a password goes through (see `withTenants`).
  if (!lineageSafeFor(staffLineage(credential), account.tenants)) throw new AppError('email_not_vouched');
  const { credentialVoidedAt: _voided, ...ended } = withLinksEnded(account, now, 'revoked');
  return {
    ...ended,
    credential,
    passwordHistory: [credential.hash, ...account.passwordHistory].slice(0, historySize),
    sessionVersion: account.sessionVersion + 1,
    updatedAt: now,
  };
}

/** A credential stops working: every session it opened ends, and so does every live link. */
function withCredentialVoided(account: Account, now: number): Account {
  return {
    ...withLinksEnded(account, now),
    credential: null,
    credentialVoidedAt: now,
    sessionVersion: account.sessionVersion + 1,
  };
}

/**
 * Sets the address; `setBy` is the tenant whose staff typed it, or null when the integrator's
 * backend gave it. Another address (not just other case or spacing) must be confirmed again, every
 * live link dies (it went to the old mailbox), and so does a password mailed to the old mailbox.
 */
export function withEmail(
  account: Account,
  email: string | null,
  now: number,
  setBy: string | null,
): Account {
  if (sameIdentifier(account.email, email)) return { ...account, email, emailSetBy: setBy, updatedAt: now };
  const deliveredTo = account.credential?.deliveredTo;
  const next =
    deliveredTo !== undefined && !sameIdentifier(deliveredTo, email)
      ? withCredentialVoided(account, now)
      : withLinksEnded(account, now);
  return { ...next, email, emailSetBy: setBy, emailConfirmed: false };
}

/** Disabling login ends every live link and every session; enabling it again restores neither. */
export function withLoginEnabled(account: Account, enabled: boolean, now: number): Account {
  if (enabled || !account.loginEnabled) return { ...account, loginEnabled: enabled, updatedAt: now };
  return { ...withLinksEnded(account, now), loginEnabled: false, sessionVersion: account.sessionVersion + 1 };
}

export function isSharedAccount(account: Account): boolean {
  return account.tenants.length > 1;
}

export interface StaffPasswordRequest {
  mode: 'custom' | 'random';
  delivery: 'email' | 'none' | 'display';
  temporary?: boolean;
}

/**
 * The one rule for what staff may do with a client's password (the summary's capabilities come
 * from it too): staff of one company never know the password of a client another company shares,
 * a company can forbid staff-chosen passwords, and mail needs an address.
 */
export function staffPasswordRefusal(
  account: Account,
  tenant: Pick<Tenant, 'staffPasswords'>,
  request: StaffPasswordRequest,
): 'temporary_unavailable' | 'custom_unavailable' | 'no_email' | 'email_not_vouched' | null {
  const shared = isSharedAccount(account);
  if (shared && (request.temporary || request.delivery === 'display')) return 'temporary_unavailable';
  if (request.mode === 'custom' && (shared || tenant.staffPasswords === 'forbidden'))
    return 'custom_unavailable';
  if (request.delivery === 'email' && !account.email) return 'no_email';
  if (request.delivery === 'email') return mailboxRefusal(account);
  return null;
}

/** A shared client's address is the integrator's or the member's to change, never one company's staff. */
export function emailChangeRefusal(account: Account): 'email_change_unavailable' | null {
  return isSharedAccount(account) ? 'email_change_unavailable' : null;
}

/** Staff act only inside their tenant; checked again inside every write, as membership can change meanwhile. */
export function requireInTenant(account: Account, tenantId: string): Account {
  if (!account.tenants.includes(tenantId)) throw new AppError('not_found');
  return account;
}

/**
 * Tenants whose staff set the account's current address, and so may read what is mailed there:
 * none once the integrator's backend gave or confirmed that very address.
 */
export function mailboxLineage(account: Account): string[] {
  if (!account.emailSetBy || sameIdentifier(account.email, account.vouchedEmail ?? null)) return [];
  return [account.emailSetBy];
}

/** Tenants whose staff knew or controlled what the credential descends from (see `Credential.staffTenants`). */
export function staffLineage(credential: Credential | null): string[] {
  if (!credential) return [];
  if (credential.staffTenants) return credential.staffTenants;
  // Records written before the lineage was kept: a password staff chose or saw names its tenant.
  const legacy = credential as Credential & { knownToStaff?: boolean };
  return legacy.knownToStaff && credential.issuedByTenant ? [credential.issuedByTenant] : [];
}

/**
 * Whether a password (or a link that can set one) of this lineage may belong to an account of
 * these tenants: only one tenant, whose own staff it came from. A shared client holds nothing that
 * descends from any company's staff.
 */
function lineageSafeFor(lineage: string[], tenants: string[]): boolean {
  return lineage.length === 0 || (tenants.length === 1 && lineage.every((tenant) => tenant === tenants[0]));
}

/**
 * Why no password may be set through the account's mailbox now, or null: it belongs to several
 * companies (or another one than before) and its address was typed by staff. Only the
 * integrator's backend can vouch for it (provisioning with a new address, or `emailConfirmed`).
 */
export function mailboxRefusal(account: Account): 'email_not_vouched' | null {
  return lineageSafeFor(mailboxLineage(account), account.tenants) ? null : 'email_not_vouched';
}

/**
 * Sets the tenants. When the account becomes shared (or moves), a password that descends from
 * something another company's staff knew or controlled stops working, with every session, and so
 * does every live link mailed to an address staff typed: the member chooses a new password through
 * a reset link mailed to the address the integrator vouched for, so no company can take over a
 * login another company relies on.
 */
export function withTenants(account: Account, tenants: string[], now: number): Account {
  const next = { ...account, tenants, updatedAt: now };
  if (account.credential && !lineageSafeFor(staffLineage(account.credential), tenants)) {
    return withCredentialVoided(next, now);
  }
  const staleLinks = next.links.some(
    (link) => link.state === 'active' && !lineageSafeFor(link.staffTenants ?? [], tenants),
  );
  return staleLinks ? { ...withLinksEnded(next, now), updatedAt: now } : next;
}

/**
 * A shared client's name and login settings are the integrator's to change (through provisioning):
 * one company's staff must not change them for every company.
 */
export function sharedFieldsRefusal(account: Account): 'shared_client_unavailable' | null {
  return isSharedAccount(account) ? 'shared_client_unavailable' : null;
}
