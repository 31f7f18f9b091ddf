/** Server-to-server provisioning: the integrator's backend says who the clients are and which tenants they belong to. */
import { updateAccountAnnounced } from '../webhooks/emit.js';
import { createHash } from 'node:crypto';
import { firebaseScryptHash, type FirebaseScryptParams } from '../crypto/imported-hashes.js';
import type { Account, Locale, Tenant, TenantBrand, StaffPasswordPolicy } from '../domain.js';
import type { Deps } from '../deps.js';
import { mailboxRefusal, withCredential, withEmail, withLoginEnabled, withTenants } from './account-state.js';
import { sameIdentifier } from '../identifiers.js';
import { summarise, type ClientSummary } from './client-summary.js';
import { audit, mailNewLink, retried, tenantForAccount, tenantOrDefault } from './context.js';
import { isSafeTenantUrl } from './tenant-urls.js';
import { AppError } from '../errors.js';
import { invalidFieldText } from '../text.js';
import { blankAccount } from './staff-clients.js';

export interface TenantInput {
  name: string;
  brand?: TenantBrand;
  resetUrl?: string;
  locale?: Locale;
  staffPasswords?: StaffPasswordPolicy;
  minPasswordLength?: number;
  firebaseScrypt?: FirebaseScryptParams;
}

/** A tenant as the API shows it: times as ISO strings, like every other answer, and no secret. */
export function tenantView({ firebaseScrypt, ...tenant }: Tenant) {
  return {
    ...tenant,
    ...(firebaseScrypt
      ? { firebaseScrypt: { rounds: firebaseScrypt.rounds, memCost: firebaseScrypt.memCost } }
      : {}),
    createdAt: new Date(tenant.createdAt).toISOString(),
    updatedAt: new Date(tenant.updatedAt).toISOString(),
  };
}

/** Refuses a tenant URL that is not safe to put in mail or on a page (see `isSafeTenantUrl`). */
function requireSafeUrl(deps: Deps, value: string | undefined, field: string): void {
  if (value === undefined || isSafeTenantUrl(deps.config.publicUrl, value)) return;
  throw new AppError('invalid_request', {
    translations: invalidFieldText(field),
    details: { fields: [field] },
  });
}

export async function putTenant(
  deps: Deps,
  tenantId: string,
  input: TenantInput,
): Promise<{ created: boolean; tenant: Tenant }> {
  requireSafeUrl(deps, input.resetUrl, 'resetUrl');
  requireSafeUrl(deps, input.brand?.logoUrl, 'brand.logoUrl');
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
    ...(input.firebaseScrypt ? { firebaseScrypt: input.firebaseScrypt } : {}),
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
  /**
   * A hash from the integrator's old system (see `imported-hashes.ts`), already checked, or a
   * Firebase user's hash and salt, verified with its tenant's parameters.
   */
  passwordHash?: string | { algorithm: 'firebase-scrypt'; hash: string; salt: string };
}

/** The imported hash as one string that verifies on its own. */
async function importedHashOf(deps: Deps, input: ClientInput): Promise<string | undefined> {
  const given = input.passwordHash;
  if (given === undefined || typeof given === 'string') return given;
  for (const tenantId of input.tenants) {
    const params = (await deps.store.getTenant(tenantId))?.firebaseScrypt;
    if (params) return firebaseScryptHash(params, given.hash, given.salt);
  }
  throw new AppError('invalid_request', {
    translations: invalidFieldText(
      'passwordHash',
      "a firebase-scrypt hash needs its project's parameters, set once per tenant (PUT /api/provision/tenants/:tid with firebaseScrypt)",
    ),
    details: { fields: ['passwordHash'] },
  });
}

/**
 * What a `passwordHash` did: `set`, `unchanged` (the same import again), or `ignored` (the member
 * has chosen a password here since: theirs stays).
 */
export type ImportedPasswordOutcome = 'set' | 'unchanged' | 'ignored';

function importedDigest(hash: string): string {
  return createHash('sha256').update(hash).digest('hex');
}

/** The account with the imported password installed, when it should be; see `ImportedPasswordOutcome`. */
function withImportedPassword(
  deps: Deps,
  account: Account,
  hash: string,
  now: number,
): { account: Account; outcome: ImportedPasswordOutcome } {
  const digest = importedDigest(hash);
  const current = account.credential;
  if (current?.importedDigest === digest) return { account, outcome: 'unchanged' };
  if (current && current.importedDigest === undefined) return { account, outcome: 'ignored' };
  // The member's own password from before: no staff ever knew it.
  const credential = { hash, kind: 'member' as const, setAt: now, importedDigest: digest };
  return {
    account: withCredential(account, credential, now, deps.config.passwordPolicy.historySize),
    outcome: 'set',
  };
}

export interface ProvisionedClient {
  created: boolean;
  account: Account;
  passwordHash?: ImportedPasswordOutcome;
}

/** `provisionClient` with the staff summary the single-client API answers with. */
export async function putClient(
  deps: Deps,
  clientId: string,
  input: ClientInput,
  locale: Locale = 'en',
): Promise<{ created: boolean; summary: ClientSummary; passwordHash?: ImportedPasswordOutcome }> {
  const { created, account, passwordHash } = await provisionClient(deps, clientId, input);
  const tenant = await tenantOrDefault(deps, [...new Set(input.tenants)][0]);
  return { created, summary: await summarise(deps, account, tenant, locale), passwordHash };
}

/** Creates or updates one client as the integrator's backend describes it. */
export async function provisionClient(
  deps: Deps,
  clientId: string,
  input: ClientInput,
): Promise<ProvisionedClient> {
  const existing = await deps.store.getAccount(clientId);
  const importedHash = await importedHashOf(deps, input);
  const provisioned = existing
    ? await updateProvisioned(deps, existing, input, importedHash)
    : await createProvisioned(deps, clientId, input, importedHash);
  if (provisioned.passwordHash === 'set') calibrateLater(deps, provisioned.account);
  return provisioned;
}

const provisioningActor = { kind: 'provisioning' } as const;

async function createProvisioned(
  deps: Deps,
  clientId: string,
  input: ClientInput,
  importedHash: string | undefined,
): Promise<ProvisionedClient> {
  const tenants = [...new Set(input.tenants)];
  let draft: Account = {
    ...blankAccount(deps, { ...input, id: clientId, tenants }),
    vouchedEmail: input.email ?? null,
  };
  let passwordHash: ImportedPasswordOutcome | undefined;
  if (importedHash) {
    ({ account: draft, outcome: passwordHash } = withImportedPassword(
      deps,
      draft,
      importedHash,
      deps.clock.now(),
    ));
  }
  const account = await deps.store.createAccount(draft);
  await audit(deps, {
    clientId,
    actor: provisioningActor,
    action: 'client.provision',
    outcome: 'ok',
    detail: { created: true, ...(passwordHash ? { passwordImported: passwordHash } : {}) },
  });
  return { created: true, account, passwordHash };
}

async function updateProvisioned(
  deps: Deps,
  existing: Account,
  input: ClientInput,
  importedHash: string | undefined,
): Promise<ProvisionedClient> {
  const now = deps.clock.now();
  let passwordHash: ImportedPasswordOutcome | undefined;
  const updated = await updateAccountAnnounced(deps, existing.id, (current) => {
    let next: Account = { ...current, name: input.name, username: input.username ?? null };
    next = withTenants(next, [...new Set(input.tenants)], now);
    // The integrator's backend vouches for an address it gives anew, or confirms. One it only sends
    // back as stored here (staff may have typed it, and the backend heard of it from us) is not
    // vouched for by that.
    const email = input.email ?? null;
    const vouched = input.emailConfirmed === true || !sameIdentifier(current.email, email);
    next = withEmail(next, email, now, vouched ? null : (current.emailSetBy ?? null));
    if (vouched) next.vouchedEmail = email;
    if (input.emailConfirmed !== undefined) next.emailConfirmed = input.emailConfirmed;
    if (input.loginEnabled !== undefined) next = withLoginEnabled(next, input.loginEnabled, now);
    if (importedHash) {
      ({ account: next, outcome: passwordHash } = withImportedPassword(deps, next, importedHash, now));
    }
    return next;
  });
  const credentialVoided = existing.credential !== null && updated.credential === null;
  await audit(deps, {
    clientId: existing.id,
    actor: provisioningActor,
    action: 'client.provision',
    outcome: 'ok',
    detail: {
      created: false,
      ...(credentialVoided ? { credentialVoided } : {}),
      ...(passwordHash ? { passwordImported: passwordHash } : {}),
    },
  });
  const mailboxVouched = mailboxRefusal(existing) !== null && mailboxRefusal(updated) === null;
  if (updated.credentialVoidedAt !== undefined && (credentialVoided || mailboxVouched)) {
    tellToChooseNewPassword(deps, updated);
  }
  return { created: false, account: updated, passwordHash };
}

/** Times one check of the imported hash's kind before its member logs in (see `PasswordHasher.calibrate`). */
function calibrateLater(deps: Deps, account: Account): void {
  const hash = account.credential?.hash;
  if (hash) deps.background.run('calibrate-password-check', () => deps.hasher.calibrate(hash));
}

/**
 * The member whose password stopped working gets a reset link that says why (after the answer,
 * retried), as soon as the address can be trusted with it: until the integrator vouches for an
 * address staff typed, the staff summary says the address needs confirming instead.
 */
function tellToChooseNewPassword(deps: Deps, account: Account): void {
  const mayTell = (current: Account) =>
    current.credential === null && current.loginEnabled && current.email !== null && !mailboxRefusal(current);
  if (!mayTell(account)) return;
  deps.background.run('password-voided', async () => {
    const step = retried(deps);
    const current = await step(() => deps.store.getAccount(account.id));
    if (!current || !mayTell(current)) return;
    await mailNewLink(deps, current, 'reset', await step(() => tenantForAccount(deps, current)), {
      reason: 'password-voided',
      stillAllowed: mayTell,
      step,
    });
  });
}
