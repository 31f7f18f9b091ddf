/** Staff's client directory: search, open, create, edit (login settings, email). */
import { updateAccountAnnounced } from '../webhooks/emit.js';
import type { Account, Locale, Tenant } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError, tooManyAttempts } from '../errors.js';
import { newId } from '../crypto/random.js';
import { normaliseIdentifier } from '../identifiers.js';
import {
  emailChangeRefusal,
  requireInTenant,
  sharedFieldsRefusal,
  withEmail,
  withLoginEnabled,
} from './account-state.js';
import { loadClientForStaff, staffEmailBudgetKey, summarise, type ClientSummary } from './client-summary.js';
import { audit, mailNewLink, retried, sendNoticeLater, tenantOrDefault } from './context.js';
import {
  announceNewClientCredentials,
  credentialsForNewClient,
  type PasswordRequest,
  type StaffActor,
} from './staff-credentials.js';
import { counterKey } from './counter-key.js';

/** A page of the staff member's company's clients, searched as staff type (see `directory-text.ts`). */
export async function listClients(
  deps: Deps,
  actor: StaffActor,
  query: { q?: string; limit: number; cursor?: string },
  locale: Locale = 'en',
): Promise<{ items: ClientSummary[]; next: string | null }> {
  const tenant = await tenantOrDefault(deps, actor.tenantId);
  const page = await deps.store.searchClients(actor.tenantId, query);
  // Each tenant once for the page (most of its clients share the staff member's), not once per client.
  const tenants = new Map<string, Promise<Tenant | null>>();
  const readTenant = (id: string) => {
    let read = tenants.get(id);
    if (!read) tenants.set(id, (read = deps.store.getTenant(id)));
    return read;
  };
  const items = await Promise.all(
    page.items.map((account) => summarise(deps, account, tenant, locale, readTenant)),
  );
  return { items, next: page.next };
}

export async function getClient(
  deps: Deps,
  actor: StaffActor,
  clientId: string,
  locale: Locale = 'en',
): Promise<ClientSummary> {
  const account = await loadClientForStaff(deps, actor, clientId);
  return summarise(deps, account, await tenantOrDefault(deps, actor.tenantId), locale);
}

export interface CreateClientInput {
  name: string;
  email?: string | null;
  username?: string | null;
  emailConfirmed?: boolean;
  loginEnabled?: boolean;
  credentials?: PasswordRequest | { invite: true };
}

export function blankAccount(
  deps: Deps,
  fields: {
    id?: string;
    name: string;
    email?: string | null;
    username?: string | null;
    tenants: string[];
    loginEnabled?: boolean;
    emailConfirmed?: boolean;
  },
): Account {
  const now = deps.clock.now();
  return {
    id: fields.id ?? newId(),
    name: fields.name,
    email: fields.email ?? null,
    username: fields.username ?? null,
    tenants: fields.tenants,
    loginEnabled: fields.loginEnabled ?? true,
    // Staff and the integrator's backend enter addresses they got from the client; they can say
    // otherwise, and an address changed later must be confirmed again.
    emailConfirmed: fields.emailConfirmed ?? true,
    credential: null,
    passwordHistory: [],
    sessionVersion: 0,
    links: [],
    createdAt: now,
    updatedAt: now,
    revision: 0,
  };
}

/**
 * Refuses an email or username another account holds, before any mail goes out. An answer about a
 * client of another company tells these staff that the person has a login elsewhere: each one is
 * recorded on that client's activity and counted, and past the budget every create or change of
 * address by this staff member waits (429), whatever the address, so the wait tells nothing either.
 */
async function requireFree(
  deps: Deps,
  actor: StaffActor,
  fields: { email?: string | null; username?: string | null },
  selfId?: string,
): Promise<void> {
  const now = deps.clock.now();
  const budgetKey = counterKey('staff-in-use', actor.tenantId, actor.id);
  const budget = { ...deps.config.limits.staffInUseAnswers, now };
  const left = await deps.store.peekWindow(budgetKey, budget);
  if (left.remaining === 0) throw tooManyAttempts(left.retryAt ?? now + 1000, now);
  for (const [value, code, field] of [
    [fields.email, 'email_in_use', 'email'],
    [fields.username, 'username_in_use', 'username'],
  ] as const) {
    if (!value) continue;
    const holder = await deps.store.findAccount(value);
    if (!holder || holder.id === selfId) continue;
    if (!holder.tenants.includes(actor.tenantId)) {
      // Exact under parallel requests: an answer past the budget is never given.
      const taken = await deps.store.takeFromWindow(budgetKey, budget);
      if (!taken.allowed) throw tooManyAttempts(taken.retryAt ?? now + 1000, now);
      // On a trail of its own, merged per hour: another company's staff cannot push this
      // client's own staff events out of its activity.
      await audit(
        deps,
        { clientId: holder.id, actor, action: 'client.match', outcome: 'refused', detail: { field } },
        { trail: 'foreign', mergeWithinMs: deps.config.limits.staffInUseAnswers.windowMs },
      );
    }
    throw new AppError(code);
  }
}

export async function createClient(
  deps: Deps,
  actor: StaffActor,
  input: CreateClientInput,
  locale: Locale = 'en',
): Promise<{ summary: ClientSummary; password?: string }> {
  const tenant = await tenantOrDefault(deps, actor.tenantId);
  await requireFree(deps, actor, input);
  // Staff typed this address: what is mailed there descends from them (see `Credential.staffTenants`).
  let account: Account = {
    ...blankAccount(deps, { ...input, tenants: [actor.tenantId] }),
    ...(input.email ? { emailSetBy: actor.tenantId } : {}),
  };
  let password: string | undefined;
  let budgetTicket: string | undefined;
  if (input.credentials) {
    ({ account, password, budgetTicket } = await credentialsForNewClient(
      deps,
      actor,
      account,
      tenant,
      input.credentials,
    ));
  }
  try {
    await deps.store.createAccount(account);
  } catch (error) {
    if (budgetTicket) await deps.store.giveBackToWindow(staffEmailBudgetKey(account), budgetTicket);
    throw error;
  }
  const credentials = input.credentials;
  await audit(deps, {
    clientId: account.id,
    actor,
    action: 'client.create',
    outcome: 'ok',
    detail: credentials
      ? 'invite' in credentials
        ? { invite: true }
        : {
            mode: credentials.mode,
            delivery: credentials.delivery,
            temporary: Boolean(credentials.temporary),
          }
      : {},
  });
  await announceNewClientCredentials(deps, account, actor);
  return { summary: await summarise(deps, account, tenant, locale), ...(password ? { password } : {}) };
}

export interface PatchClientInput {
  name?: string;
  email?: string;
  loginEnabled?: boolean;
  emailConfirmed?: boolean;
}

/** The fields of a PATCH that would change a shared client for every company (name, login settings). */
function sharedFieldsChanged(account: Account, input: PatchClientInput): boolean {
  return (
    (input.name !== undefined && input.name !== account.name) ||
    (input.loginEnabled !== undefined && input.loginEnabled !== account.loginEnabled) ||
    (input.emailConfirmed !== undefined && input.emailConfirmed !== account.emailConfirmed)
  );
}

/** Why this PATCH may not happen (a shared client's address, name or login settings), or null. */
function patchRefusal(account: Account, input: PatchClientInput, emailChanges: boolean) {
  return (
    (emailChanges ? emailChangeRefusal(account) : null) ??
    (sharedFieldsChanged(account, input) ? sharedFieldsRefusal(account) : null)
  );
}

/** Login settings and contact details. Disabling login or changing the email kills every live link. */
export async function patchClient(
  deps: Deps,
  actor: StaffActor,
  clientId: string,
  input: PatchClientInput,
  locale: Locale = 'en',
): Promise<ClientSummary> {
  const before = await loadClientForStaff(deps, actor, clientId);
  const tenant = await tenantOrDefault(deps, actor.tenantId);
  const emailChanges =
    input.email !== undefined && normaliseIdentifier(input.email) !== normaliseIdentifier(before.email ?? '');
  try {
    // Changing a shared client would let one company decide, or take over, a login another company relies on.
    const refusal = patchRefusal(before, input, emailChanges);
    if (refusal) throw new AppError(refusal);
    if (emailChanges) await requireFree(deps, actor, { email: input.email }, clientId);
  } catch (error) {
    await audit(deps, {
      clientId,
      actor,
      action: 'client.update',
      outcome: 'refused',
      detail: { error: error instanceof AppError ? error.code : 'internal_error' },
    });
    throw error;
  }
  const now = deps.clock.now();
  const options = { tenantId: actor.tenantId };
  const after = await updateAccountAnnounced(
    deps,
    clientId,
    (current) => {
      // Again inside the write: provisioning may have moved or shared the client meanwhile.
      requireInTenant(current, actor.tenantId);
      const refusal = patchRefusal(current, input, emailChanges);
      if (refusal) throw new AppError(refusal);
      let next: Account = { ...current, updatedAt: now };
      if (input.name !== undefined) next.name = input.name;
      if (input.email !== undefined && emailChanges) next = withEmail(next, input.email, now, actor.tenantId);
      else if (input.email !== undefined) next.email = input.email;
      if (input.emailConfirmed !== undefined) next.emailConfirmed = input.emailConfirmed;
      if (input.loginEnabled !== undefined) next = withLoginEnabled(next, input.loginEnabled, now);
      return next;
    },
    options,
  );

  await audit(deps, {
    clientId,
    actor,
    action: 'client.update',
    outcome: 'ok',
    detail: changeDetail(before, after, emailChanges),
  });
  if (emailChanges) tellOfNewEmail(deps, before, after, tenant, now);
  return summarise(deps, after, tenant, locale);
}

/** What a PATCH changed, for the activity: which fields, and the new login settings. */
function changeDetail(before: Account, after: Account, emailChanged: boolean): Record<string, boolean> {
  const changed = {
    ...(after.name !== before.name ? { name: true } : {}),
    ...(emailChanged ? { email: true } : {}),
    ...(after.loginEnabled !== before.loginEnabled ? { loginEnabled: true } : {}),
    ...(after.emailConfirmed !== before.emailConfirmed ? { emailConfirmed: true } : {}),
  };
  return {
    ...changed,
    ...(changed.loginEnabled ? { loginEnabledNow: after.loginEnabled } : {}),
    ...(changed.emailConfirmed ? { emailConfirmedNow: after.emailConfirmed } : {}),
  };
}

/**
 * After a change of address: the old address hears of it, and an active member's new address,
 * unconfirmed, gets a confirmation link (invited ones get the welcome mail when staff resend it).
 */
function tellOfNewEmail(deps: Deps, before: Account, after: Account, tenant: Tenant, now: number): void {
  if (before.email) {
    sendNoticeLater(
      deps,
      after,
      tenant,
      { kind: 'email-changed', name: after.name, newEmail: after.email ?? '', at: now },
      before.email,
    );
  }
  if (after.credential && !after.emailConfirmed) {
    deps.background.run('verify-new-email', () =>
      mailNewLink(deps, after, 'verify-email', tenant, { step: retried(deps) }).then(() => undefined),
    );
  }
}
