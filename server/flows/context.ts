/** What several flows share: tenants with defaults, audit records, issuing and mailing links, policy context. */
import { emitEvent } from '../webhooks/emit.js';
import type { Account, AuditAction, AuditEvent, LinkPurpose, LinkRecord, Tenant } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { lifetimes } from '../crypto/params.js';
import { hashShortCode, newId, shortCode } from '../crypto/random.js';
import type { MailContent, MailTenant } from '../mail/mailer.js';
import { hostedPagePath, type HostedPage } from '../pages/hosted-paths.js';
import { evaluatePassword, type PasswordContext, type PolicySettings } from '../policy/password-policy.js';
import { describeError } from '../background.js';
import type { AuditOptions } from '../store/store.js';
import { mailboxLineage, withNewLink } from './account-state.js';
import { isSafeTenantUrl } from './tenant-urls.js';

export type Actor =
  | { kind: 'member' }
  | { kind: 'system' }
  | { kind: 'provisioning' }
  | { kind: 'staff'; id: string; tenantId: string };

export function actorLabel(actor: Actor): string {
  return actor.kind === 'staff' ? `staff:${actor.id}` : actor.kind;
}

/** A tenant that staff tokens name but the integrator never provisioned still works, under its id. */
export async function tenantOrDefault(deps: Deps, tenantId: string): Promise<Tenant> {
  const tenant = await deps.store.getTenant(tenantId);
  if (tenant) return tenant;
  return { id: tenantId, name: tenantId, locale: 'en', createdAt: 0, updatedAt: 0 };
}

/** The tenant a member-facing mail speaks for: the preferred one when the account belongs to it, else its first. */
export async function tenantForAccount(
  deps: Deps,
  account: Account,
  preferred?: string | null,
): Promise<Tenant | null> {
  const tenantId = preferred && account.tenants.includes(preferred) ? preferred : account.tenants[0];
  return tenantId ? tenantOrDefault(deps, tenantId) : null;
}

export function mailTenant(tenant: Tenant | null): MailTenant {
  return tenant
    ? {
        id: tenant.id,
        name: tenant.name,
        locale: tenant.locale,
        ...(tenant.brand ? { brand: tenant.brand } : {}),
      }
    : { id: null, name: 'Client portal', locale: 'en' };
}

type AuditInput = Omit<AuditEvent, 'id' | 'at' | 'actor' | 'tenantId' | 'action' | 'count' | 'lastAt'> & {
  actor: Actor;
  action: AuditAction;
};

/** The record of `event` as it happens now (written now or later, it keeps this moment). */
function auditRecord(deps: Deps, event: AuditInput): AuditEvent {
  const { actor, ...rest } = event;
  return {
    ...rest,
    id: newId(),
    at: deps.clock.now(),
    actor: actorLabel(actor),
    tenantId: actor.kind === 'staff' ? actor.tenantId : null,
  };
}

function auditGap(deps: Deps, event: AuditInput, error: unknown): void {
  deps.logger.error(
    { err: describeError(error), clientId: event.clientId, action: event.action },
    'audit write failed',
  );
}

export async function audit(deps: Deps, event: AuditInput, options?: AuditOptions): Promise<void> {
  try {
    await deps.store.appendAudit(auditRecord(deps, event), options);
  } catch (error) {
    // The audit trail must not turn a completed change into an error answer; the log keeps the gap visible.
    auditGap(deps, event, error);
  }
}

/**
 * Records `event` after the answer: the member waits for nothing the answer does not need. A
 * store briefly down delays the write (retried like mail), and shutdown waits for it.
 */
export function auditLater(deps: Deps, event: AuditInput, options?: AuditOptions): void {
  const record = auditRecord(deps, event);
  deps.background.run(`audit:${event.action}`, () =>
    retried(deps)(() => deps.store.appendAudit(record, options)).catch((error: unknown) =>
      auditGap(deps, event, error),
    ),
  );
}

/**
 * A member-side refusal (a wrong password, a wrong code), recorded after the answer so a known
 * identifier answers as fast as an unknown one, and merged per window so a guessing attacker makes
 * one record, not hundreds.
 */
export function auditRefusalLater(
  deps: Deps,
  account: Account,
  event: { action: AuditAction; detail: AuditEvent['detail'] },
  windowMs: number,
): void {
  auditLater(
    deps,
    { clientId: account.id, actor: { kind: 'member' }, outcome: 'refused', ...event },
    { mergeWithinMs: windowMs },
  );
}

export async function passwordContext(deps: Deps, account: Account): Promise<PasswordContext> {
  const tenants = await Promise.all(account.tenants.map((id) => tenantOrDefault(deps, id)));
  return {
    name: account.name,
    email: account.email,
    username: account.username,
    tenantNames: tenants.map((tenant) => tenant.name),
  };
}

/** The server's policy, with the strictest minimum length among the account's tenants. */
export async function policyFor(
  deps: Deps,
  tenantIds: string[],
  /** How tenants are read (a page of summaries reads each once). */
  readTenant: (id: string) => Promise<Tenant | null> = (id) => deps.store.getTenant(id),
): Promise<PolicySettings> {
  const base = deps.config.passwordPolicy;
  const tenants = await Promise.all(tenantIds.map(readTenant));
  const minimum = Math.max(base.minLength, ...tenants.map((tenant) => tenant?.minPasswordLength ?? 0));
  return { ...base, minLength: minimum, maxLength: Math.max(base.maxLength, minimum) };
}

/** A hosted page of this server for a member of `tenant`, from PUBLIC_URL (never the request's Host). */
export function hostedPageUrl(deps: Deps, page: HostedPage, tenant: Tenant | null): string {
  return `${deps.config.publicUrl}${hostedPagePath(page, tenant)}`;
}

function linkPage(deps: Deps, tenant: Tenant | null, purpose: LinkPurpose): string {
  if (purpose === 'verify-email') return hostedPageUrl(deps, 'verify-email', tenant);
  // Checked again here: a tenant stored before the rule (or by hand) must not send tokens elsewhere.
  if (tenant?.resetUrl && isSafeTenantUrl(deps.config.publicUrl, tenant.resetUrl)) return tenant.resetUrl;
  return hostedPageUrl(deps, purpose === 'invite' ? 'welcome' : 'reset', tenant);
}

function linkLifetime(deps: Deps, purpose: LinkPurpose): { lifetimeMs: number; shownExpiry: boolean } {
  if (purpose === 'reset') return { lifetimeMs: lifetimes.resetLink, shownExpiry: true };
  if (purpose === 'verify-email') return { lifetimeMs: lifetimes.verifyEmailLink, shownExpiry: true };
  const maxAge = deps.config.inviteMaxAgeMs;
  return maxAge
    ? { lifetimeMs: maxAge, shownExpiry: true }
    : { lifetimeMs: lifetimes.inviteLinkCeiling, shownExpiry: false };
}

/** Why a link mail goes out, when it is not the member's or staff's request: the mail says so. */
export type LinkReason = 'password-voided';

/**
 * Mails a new link of `purpose` to the account's address and returns its record, without
 * recording it. Throws AppError('mail_failed') when the transport refuses.
 */
export async function mailLink(
  deps: Deps,
  account: Account,
  purpose: LinkPurpose,
  tenant: Tenant | null,
  reason?: LinkReason,
): Promise<LinkRecord> {
  const email = account.email;
  if (!email) throw new AppError('no_email');
  const { lifetimeMs, shownExpiry } = linkLifetime(deps, purpose);
  const signed = await deps.tokens.sign(
    purpose,
    { sub: account.id, ...(tenant ? { tid: tenant.id } : {}) },
    lifetimeMs,
  );
  const url = `${linkPage(deps, tenant, purpose)}#token=${signed.token}`;
  const code = purpose === 'verify-email' ? null : shortCode();
  const content: MailContent =
    purpose === 'verify-email'
      ? { kind: 'verify-email', name: account.name, link: url, expiresAt: signed.expiresAt }
      : purpose === 'reset'
        ? {
            kind: 'reset',
            name: account.name,
            link: url,
            code: code!,
            expiresAt: signed.expiresAt,
            ...(reason ? { reason } : {}),
          }
        : {
            kind: 'invite',
            name: account.name,
            link: url,
            code: code!,
            expiresAt: shownExpiry ? signed.expiresAt : null,
          };
  try {
    await deps.mailer.send({ to: email, tenant: mailTenant(tenant), clientId: account.id, content });
  } catch (error) {
    deps.logger.warn({ err: describeError(error), clientId: account.id, purpose }, 'link mail failed');
    throw new AppError('mail_failed', { cause: error });
  }
  const lineage = mailboxLineage(account);
  return {
    jti: signed.jti,
    purpose,
    issuedAt: signed.issuedAt,
    expiresAt: signed.expiresAt,
    state: 'active',
    ...(code ? { codeHash: hashShortCode(code, signed.jti) } : {}),
    ...(lineage.length > 0 ? { staffTenants: lineage } : {}),
  };
}

export interface NewLinkOptions {
  /** Re-checks, inside the write, whatever allowed this link (it may have changed while the mail went). */
  stillAllowed?: (current: Account) => boolean;
  reason?: LinkReason;
  /** How each step runs: as it is (a request), or tried again on its own (background work, `retried`). */
  step?: Step;
}

/** Runs one step of a flow. */
export type Step = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * For background work: each step tried again while it fails in a way that may pass, on its own,
 * so a failure after the mail went out records the same link instead of mailing another.
 */
export function retried(deps: Deps): Step {
  return (work) => deps.background.retrying(work, mayPass);
}

/**
 * Mails a new link, then records it (voiding older links of its purpose). The mail goes first:
 * when it fails, nothing changed and older links still work.
 */
export async function mailNewLink(
  deps: Deps,
  account: Account,
  purpose: LinkPurpose,
  tenant: Tenant | null,
  options: NewLinkOptions = {},
): Promise<LinkRecord> {
  const step: Step = options.step ?? ((work) => work());
  const record = await step(() => mailLink(deps, account, purpose, tenant, options.reason));
  const now = deps.clock.now();
  const stillAllowed = options.stillAllowed ?? (() => true);
  await step(() =>
    deps.store.updateAccount(account.id, (current) => {
      // A changed address means the link went to the old mailbox; it is never recorded then.
      if (current.email !== account.email || !stillAllowed(current)) throw new AppError('conflict');
      return withNewLink(current, record, now);
    }),
  );
  await emitEvent(deps, 'link.sent', account, { purpose }, { tenantId: tenant?.id });
  return record;
}

/**
 * Failures that may pass, worth running a background task again for: storage briefly down, or a
 * mail transport that did not refuse the message for good.
 */
export function mayPass(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  if (error.code === 'storage_unavailable') return true;
  return (
    error.code === 'mail_failed' && (error.cause as { permanent?: boolean } | undefined)?.permanent !== true
  );
}

/** A notice the member should get but whose failure must not undo what already happened. */
export function sendNoticeLater(
  deps: Deps,
  account: Account,
  tenant: Tenant | null,
  content: MailContent,
  to = account.email,
): void {
  if (!to) return;
  deps.background.run(`notice:${content.kind}`, () =>
    retried(deps)(() =>
      deps.mailer
        .send({ to, tenant: mailTenant(tenant), clientId: account.id, content })
        .catch((error: unknown) => {
          throw error instanceof AppError ? error : new AppError('mail_failed', { cause: error });
        }),
    ),
  );
}

/** The one policy check of every path that sets a password (member or staff); throws `password_rejected` with the failed rules. */
export async function requireAcceptablePassword(
  deps: Deps,
  account: Account,
  password: string,
): Promise<void> {
  const settings = await policyFor(deps, account.tenants);
  const failed = await evaluatePassword(
    password,
    settings,
    await passwordContext(deps, account),
    account.passwordHistory,
    deps.hasher,
  );
  if (failed.length > 0) throw new AppError('password_rejected', { details: { rules: failed } });
}
