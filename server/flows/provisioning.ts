/** Server-to-server provisioning: the integrator's backend says who the clients are and which tenants they belong to. */
import type { Account, Locale, Tenant, TenantBrand, StaffPasswordPolicy } from '../domain.js';
import type { Deps } from '../deps.js';
import { withEmail, withLoginEnabled, withTenants } from './account-state.js';
import { summarise, type ClientSummary } from './client-summary.js';
import { audit, tenantOrDefault } from './context.js';
import { blankAccount } from './staff-clients.js';

export interface TenantInput {
  name: string;
  brand?: TenantBrand;
  resetUrl?: string;
  locale?: Locale;
  staffPasswords?: StaffPasswordPolicy;
  minPasswordLength?: number;
}

/** A tenant as the API shows it: times as ISO strings, like every other answer. */
export function tenantView(tenant: Tenant) {
  return {
    ...tenant,
    createdAt: new Date(tenant.createdAt).toISOString(),
    updatedAt: new Date(tenant.updatedAt).toISOString(),
  };
}

export async function putTenant(
  deps: Deps,
  tenantId: string,
  input: TenantInput,
): Promise<{ created: boolean; tenant: Tenant }> {
  const now = deps.clock.now();
  const existing = await deps.store.getTenant(tenantId);
  const tenant: Tenant = {
    id: tenantId,
    name: input.name,
    locale: input.locale ?? existing?.locale ?? 'en',
    ...(input.resetUrl ? { resetUrl: input.resetUrl } : {}),
    ...(input.brand ? { brand: input.brand } : {}),
    ...(input.staffPasswords ? { staffPasswords: input.staffPasswords } : {}),
    ...(input.minPasswordLength ? { minPasswordLength: input.minPasswordLength } : {}),
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  await deps.store.putTenant(tenant);
  return { created: !existing, tenant };
}

export interface ClientInput {
  name: string;
  email?: string | null;
  username?: string | null;
  tenants: string[];
  loginEnabled?: boolean;
  emailConfirmed?: boolean;
}

export async function putClient(
  deps: Deps,
  clientId: string,
  input: ClientInput,
  locale: Locale = 'en',
): Promise<{ created: boolean; summary: ClientSummary }> {
  const actor = { kind: 'provisioning' } as const;
  const tenants = [...new Set(input.tenants)];
  const tenant = await tenantOrDefault(deps, tenants[0]);
  const existing = await deps.store.getAccount(clientId);
  if (!existing) {
    const account = await deps.store.createAccount(blankAccount(deps, { ...input, id: clientId, tenants }));
    await audit(deps, {
      clientId,
      actor,
      action: 'client.provision',
      outcome: 'ok',
      detail: { created: true },
    });
    return { created: true, summary: await summarise(deps, account, tenant, locale) };
  }
  const now = deps.clock.now();
  const updated = await deps.store.updateAccount(clientId, (current) => {
    let next: Account = { ...current, name: input.name, username: input.username ?? null };
    next = withTenants(next, tenants, now);
    next = withEmail(next, input.email ?? null, now);
    if (input.emailConfirmed !== undefined) next.emailConfirmed = input.emailConfirmed;
    if (input.loginEnabled !== undefined) next = withLoginEnabled(next, input.loginEnabled, now);
    return next;
  });
  const credentialVoided = existing.credential !== null && updated.credential === null;
  await audit(deps, {
    clientId,
    actor,
    action: 'client.provision',
    outcome: 'ok',
    detail: { created: false, ...(credentialVoided ? { credentialVoided } : {}) },
  });
  return { created: false, summary: await summarise(deps, updated, tenant, locale) };
}
