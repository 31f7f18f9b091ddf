/**
 * Workflows 1–5 on the staff side: set or send a password (custom or random, emailed, shown once
 * or kept, one-time or temporary), send a reset link, resend the welcome email. Nothing changes
 * when the mail fails; the 5-a-day budget is only spent by mail that went out.
 */
import { emitEvent } from '../webhooks/emit.js';
import type { Account, Credential, LinkPurpose, Tenant } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { randomPassword } from '../crypto/random.js';
import {
  mailboxLineage,
  mailboxRefusal,
  requireInTenant,
  staffPasswordRefusal,
  withCredential,
} from './account-state.js';
import { loadClientForStaff, staffEmailBudgetKey } from './client-summary.js';
import {
  audit,
  hostedPageUrl,
  mailLink,
  mailNewLink,
  mailTenant,
  requireAcceptablePassword,
  tenantOrDefault,
  type Actor,
} from './context.js';
import { describeError } from '../background.js';

export type StaffActor = Extract<Actor, { kind: 'staff' }>;

export type PasswordRequest =
  | { mode: 'custom'; password: string; delivery: 'email' | 'none'; temporary?: boolean }
  | { mode: 'random'; delivery: 'email' | 'display'; temporary?: boolean };

export type PasswordOutcome =
  { ok: true; delivered: 'email' } | { ok: true; password: string } | { ok: true; delivered: 'none' };

interface PreparedPassword {
  plain: string;
  credential: Credential;
}

/** Checks what the request may do for this client, applies the policy to custom passwords, hashes. */
async function preparePassword(
  deps: Deps,
  actor: StaffActor,
  account: Account,
  tenant: Tenant,
  request: PasswordRequest,
): Promise<PreparedPassword> {
  const refusal = staffPasswordRefusal(account, tenant, request);
  if (refusal) throw new AppError(refusal);

  const plain = request.mode === 'custom' ? request.password : randomPassword();
  // A random password mailed unseen descends from whoever controls the mailbox; any other, from these staff.
  const seenByStaff = request.mode === 'custom' || request.delivery === 'display';
  if (request.mode === 'custom') await requireAcceptablePassword(deps, account, plain);
  const now = deps.clock.now();
  const kind: Credential['kind'] = request.temporary
    ? 'temporary'
    : tenant.staffPasswords === 'permanent'
      ? 'permanent-staff'
      : 'one-time';
  return {
    plain,
    credential: {
      hash: await deps.hasher.hash(plain),
      kind,
      setAt: now,
      ...(kind === 'permanent-staff' ? {} : { expiresAt: now + deps.config.staffPasswordMaxAgeMs }),
      issuedBy: actor.id,
      issuedByTenant: actor.tenantId,
      ...(request.delivery === 'email' && account.email ? { deliveredTo: account.email } : {}),
      staffTenants: seenByStaff ? [actor.tenantId] : mailboxLineage(account),
    },
  };
}

/** The one mail that carries a password: the one staff chose to email. */
async function mailCredentials(
  deps: Deps,
  account: Account,
  tenant: Tenant,
  prepared: PreparedPassword,
): Promise<void> {
  try {
    await deps.mailer.send({
      to: account.email!,
      tenant: mailTenant(tenant),
      clientId: account.id,
      content: {
        kind: 'credentials',
        name: account.name,
        password: prepared.plain,
        identifier: account.username ?? account.email!,
        loginUrl: hostedPageUrl(deps, 'login', tenant),
        mustChange: prepared.credential.kind !== 'permanent-staff',
        expiresAt: prepared.credential.expiresAt ?? null,
      },
    });
  } catch (error) {
    deps.logger.warn({ err: describeError(error), clientId: account.id }, 'credentials mail failed');
    throw new AppError('mail_failed', { cause: error });
  }
}

function outcomeOf(request: PasswordRequest, plain: string): PasswordOutcome {
  if (request.delivery === 'email') return { ok: true, delivered: 'email' };
  if (request.delivery === 'display') return { ok: true, password: plain };
  return { ok: true, delivered: 'none' };
}

function passwordAuditDetail(request: PasswordRequest) {
  return { mode: request.mode, delivery: request.delivery, temporary: Boolean(request.temporary) };
}

export async function setClientPassword(
  deps: Deps,
  actor: StaffActor,
  clientId: string,
  request: PasswordRequest,
): Promise<PasswordOutcome> {
  const account = await loadClientForStaff(deps, actor, clientId);
  const tenant = await tenantOrDefault(deps, actor.tenantId);
  const detail = passwordAuditDetail(request);
  let prepared: PreparedPassword;
  try {
    prepared = await preparePassword(deps, actor, account, tenant, request);
    if (request.delivery === 'email') await mailCredentials(deps, account, tenant, prepared);
  } catch (error) {
    const code = error instanceof AppError ? error.code : 'internal_error';
    await audit(deps, {
      clientId,
      actor,
      action: 'password.set',
      outcome: code === 'mail_failed' ? 'failed' : 'refused',
      detail: { ...detail, error: code },
    });
    throw error;
  }
  const now = deps.clock.now();
  const updated = await deps.store.updateAccount(clientId, (current) => {
    // Again inside the write: the mail took time, and provisioning may have moved or shared the client.
    requireInTenant(current, actor.tenantId);
    const refusal = staffPasswordRefusal(current, tenant, request);
    if (refusal) throw new AppError(refusal);
    // A changed address means the password went to the old mailbox: it is never installed then.
    if (request.delivery === 'email' && current.email !== account.email) throw new AppError('conflict');
    return withCredential(current, prepared.credential, now, deps.config.passwordPolicy.historySize);
  });
  await audit(deps, { clientId, actor, action: 'password.set', outcome: 'ok', detail });
  await announcePassword(deps, updated, prepared.credential, actor);
  return outcomeOf(request, prepared.plain);
}

/** A permanent password is a change made by staff; a one-time or temporary one, an issue to be changed. */
async function announcePassword(deps: Deps, account: Account, credential: Credential, actor: StaffActor) {
  const options = { tenantId: actor.tenantId };
  if (credential.kind === 'permanent-staff') {
    await emitEvent(deps, 'password.changed', account, { how: 'staff' }, options);
    return;
  }
  const expiresAt = credential.expiresAt === undefined ? null : new Date(credential.expiresAt).toISOString();
  await emitEvent(
    deps,
    'password.temporary_issued',
    account,
    { kind: credential.kind.replace('-', '_'), expiresAt },
    options,
  );
}

/** Takes one place of the client's shared 5-a-day budget, or refuses with when it frees up. */
async function takeEmailBudget(
  deps: Deps,
  account: Pick<Account, 'id' | 'createdAt'>,
): Promise<{ ticket: string; remaining: number }> {
  const now = deps.clock.now();
  const taken = await deps.store.takeFromWindow(staffEmailBudgetKey(account), {
    ...deps.config.limits.staffEmails,
    now,
  });
  if (!taken.allowed || !taken.ticket) {
    const retryAt = taken.retryAt ?? now;
    const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
    // The sentence stays general (it is translated); when it is possible again is in `retryAt`.
    throw new AppError('resend_limit', {
      details: { retryAt: new Date(retryAt).toISOString(), retryAfter: seconds, resendsLeft: 0 },
    });
  }
  return { ticket: taken.ticket, remaining: taken.remaining };
}

/** Reset link or welcome email, sent by staff: budgeted, given back when the mail fails. */
export async function sendClientLink(
  deps: Deps,
  actor: StaffActor,
  clientId: string,
  purpose: Extract<LinkPurpose, 'reset' | 'invite'>,
): Promise<{ ok: true; resendsLeft: number }> {
  const account = await loadClientForStaff(deps, actor, clientId);
  const action = purpose === 'reset' ? 'reset_link.send' : 'invite.send';
  try {
    if (!account.email) throw new AppError('no_email');
    const refusal = mailboxRefusal(account);
    if (refusal) throw new AppError(refusal);
    const budget = await takeEmailBudget(deps, account);
    try {
      await mailNewLink(deps, account, purpose, await tenantOrDefault(deps, actor.tenantId), {
        stillAllowed: (current) => current.tenants.includes(actor.tenantId) && !mailboxRefusal(current),
      });
    } catch (error) {
      if (error instanceof AppError && error.code === 'mail_failed') {
        await deps.store.giveBackToWindow(staffEmailBudgetKey(account), budget.ticket);
      }
      throw error;
    }
    await audit(deps, { clientId, actor, action, outcome: 'ok' });
    return { ok: true, resendsLeft: budget.remaining };
  } catch (error) {
    const code = error instanceof AppError ? error.code : 'internal_error';
    await audit(deps, {
      clientId,
      actor,
      action,
      outcome: code === 'mail_failed' ? 'failed' : 'refused',
      detail: { error: code },
    });
    throw error;
  }
}

/**
 * For a client being created: prepares its credential or invite, sends the mail, and returns the
 * record to create — so a failed mail leaves no half-made client behind.
 */
export async function credentialsForNewClient(
  deps: Deps,
  actor: StaffActor,
  draft: Account,
  tenant: Tenant,
  credentials: PasswordRequest | { invite: true },
): Promise<{ account: Account; password?: string; budgetTicket?: string }> {
  const now = deps.clock.now();
  if ('invite' in credentials) {
    if (!draft.email) throw new AppError('no_email');
    const budget = await takeEmailBudget(deps, draft);
    try {
      const link = await mailLink(deps, draft, 'invite', tenant);
      return { account: { ...draft, links: [link] }, budgetTicket: budget.ticket };
    } catch (error) {
      await deps.store.giveBackToWindow(staffEmailBudgetKey(draft), budget.ticket);
      throw error;
    }
  }
  const prepared = await preparePassword(deps, actor, draft, tenant, credentials);
  if (credentials.delivery === 'email') await mailCredentials(deps, draft, tenant, prepared);
  const account = withCredential(draft, prepared.credential, now, deps.config.passwordPolicy.historySize);
  return { account, ...(credentials.delivery === 'display' ? { password: prepared.plain } : {}) };
}

/** A new client's welcome mail, or the staff-set password it starts with. */
export async function announceNewClientCredentials(
  deps: Deps,
  account: Account,
  actor: StaffActor,
): Promise<void> {
  const options = { tenantId: actor.tenantId };
  if (account.links.some((link) => link.purpose === 'invite')) {
    await emitEvent(deps, 'link.sent', account, { purpose: 'invite' }, options);
  }
  if (account.credential) await announcePassword(deps, account, account.credential, actor);
}
