/** What staff see of a client: status, the temporary-password state, the resend budget, and what they may do (with why not). */
import type { Account, Locale, Tenant } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import {
  accountStatus,
  emailChangeRefusal,
  isSharedAccount,
  mailboxRefusal,
  requireInTenant,
  sharedFieldsRefusal,
  staffPasswordRefusal,
  type AccountStatus,
  type StaffPasswordRequest,
} from './account-state.js';
import { policyFor, type Actor } from './context.js';
import { counterKey } from './counter-key.js';
import type { PolicySettings } from '../policy/password-policy.js';
import { otherCompanyStaff, reasonText, type ReasonText } from '../text.js';

export type Capability =
  | 'customPassword'
  | 'randomPassword'
  | 'temporaryPassword'
  | 'resetLink'
  | 'invite'
  | 'changeEmail'
  /** Name, login enabled and email confirmed (a shared client's are the integrator's to change). */
  | 'changeLoginSettings';

export interface ClientSummary {
  id: string;
  name: string;
  email: string | null;
  username: string | null;
  status: AccountStatus;
  loginEnabled: boolean;
  emailConfirmed: boolean;
  tenantCount: number;
  resendsLeft: number;
  /** The budget those count against (reset-link and welcome mails per rolling 24 h). */
  resendsLimit: number;
  /** When the next reset/invite mail is possible again, if none is left. */
  resendsRetryAt: string | null;
  /** The password rules that apply to this client (the strictest of its companies), for staff-typed passwords. */
  passwordPolicy: PolicySettings;
  /** For `force_reset` (and staff-set one-time passwords): who issued it, when, until when. */
  credential: {
    kind: 'member' | 'one-time' | 'temporary' | 'permanent-staff';
    setAt: string;
    expiresAt: string | null;
    issuedBy: string | null;
  } | null;
  capabilities: Record<Capability, boolean>;
  reasons: Partial<Record<Capability, string>>;
  createdAt: string;
  updatedAt: string;
}

/**
 * The budget of staff mails to one client. Keyed by when the account was created too, so an
 * account made again under the same id (the demo's reset) starts with a fresh budget.
 */
export function staffEmailBudgetKey(account: Pick<Account, 'id' | 'createdAt'>): string {
  return counterKey('staff-mail', account.id, account.createdAt);
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function summarise(
  deps: Deps,
  account: Account,
  tenant: Tenant,
  locale: Locale = 'en',
  readTenant?: (id: string) => Promise<Tenant | null>,
): Promise<ClientSummary> {
  const now = deps.clock.now();
  const [budget, passwordPolicy] = await Promise.all([
    deps.store.peekWindow(staffEmailBudgetKey(account), { ...deps.config.limits.staffEmails, now }),
    policyFor(deps, account.tenants, readTenant),
  ]);
  // No time in the sentence: `resendsRetryAt` carries it, for the reader's own time zone.
  const budgetReason = budget.retryAt
    ? reasonText[locale].budget(deps.config.limits.staffEmails.limit)
    : null;
  const reasons = capabilityReasons(account, tenant, reasonText[locale], budgetReason);

  const credential = account.credential;
  return {
    id: account.id,
    name: account.name,
    email: account.email,
    username: account.username,
    status: accountStatus(account),
    loginEnabled: account.loginEnabled,
    emailConfirmed: account.emailConfirmed,
    tenantCount: account.tenants.length,
    resendsLeft: budget.remaining,
    resendsLimit: deps.config.limits.staffEmails.limit,
    passwordPolicy,
    resendsRetryAt: budget.retryAt ? iso(budget.retryAt) : null,
    credential: credential
      ? {
          kind: credential.kind,
          setAt: iso(credential.setAt),
          expiresAt: credential.expiresAt ? iso(credential.expiresAt) : null,
          // Staff of another company see that staff issued it, not who.
          issuedBy: credential.issuedBy
            ? credential.issuedByTenant === tenant.id
              ? credential.issuedBy
              : otherCompanyStaff[locale]
            : null,
        }
      : null,
    capabilities: {
      customPassword: !reasons.customPassword,
      randomPassword: !reasons.randomPassword,
      temporaryPassword: !reasons.temporaryPassword,
      resetLink: !reasons.resetLink,
      invite: !reasons.invite,
      changeEmail: !reasons.changeEmail,
      changeLoginSettings: !reasons.changeLoginSettings,
    },
    reasons,
    createdAt: iso(account.createdAt),
    updatedAt: iso(account.updatedAt),
  };
}

/** Why each unavailable capability is unavailable: the same rules the actions enforce, asked for each. */
function capabilityReasons(
  account: Account,
  tenant: Tenant,
  text: ReasonText,
  budgetReason: string | null,
): Partial<Record<Capability, string>> {
  const reasons: Partial<Record<Capability, string>> = {};
  const why: Record<string, string> = {
    temporary_unavailable: text.shared,
    custom_unavailable: isSharedAccount(account) ? text.shared : text.forbidden,
    no_email: text.noEmail,
    email_not_vouched: text.unvouched,
  };
  const refusal = (request: StaffPasswordRequest) => staffPasswordRefusal(account, tenant, request);
  const custom = refusal({ mode: 'custom', delivery: 'none' });
  const temporary = refusal({ mode: 'random', delivery: 'display', temporary: true });
  const byEmail = refusal({ mode: 'random', delivery: 'email' });
  if (custom) reasons.customPassword = why[custom];
  if (temporary) reasons.temporaryPassword = why[temporary];
  // Shown once is refused only for shared clients, so both refused means shared, and mail refused too.
  if (byEmail && refusal({ mode: 'random', delivery: 'display' }))
    reasons.randomPassword = `${text.shared} ${why[byEmail]}`;
  const linkRefusal = !account.email ? text.noEmail : mailboxRefusal(account) ? text.unvouched : budgetReason;
  if (linkRefusal) reasons.resetLink = reasons.invite = linkRefusal;
  if (emailChangeRefusal(account)) reasons.changeEmail = text.emailShared;
  if (sharedFieldsRefusal(account)) reasons.changeLoginSettings = text.settingsShared;
  return reasons;
}

/** The client if it belongs to the staff member's tenant; otherwise exactly the answer for a missing one. */
export async function loadClientForStaff(
  deps: Deps,
  actor: Extract<Actor, { kind: 'staff' }>,
  clientId: string,
): Promise<Account> {
  const account = await deps.store.getAccount(clientId);
  if (!account) throw new AppError('not_found');
  return requireInTenant(account, actor.tenantId);
}
