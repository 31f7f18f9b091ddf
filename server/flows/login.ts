/**
 * Workflow 5 on the member side: log in with username or email. A right password leads to a
 * session, or to a forced change after a staff-set or temporary password (`member-password.ts`).
 */
import { emitEvent, updateAccountAnnounced } from '../webhooks/emit.js';
import type { Account, Credential } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError, isAppError, tooManyAttempts } from '../errors.js';
import { describeError } from '../background.js';
import { lifetimes } from '../crypto/params.js';
import { normaliseIdentifier } from '../identifiers.js';
import { audit, auditLater, auditRefusalLater, mailNewLink, retried, tenantForAccount } from './context.js';
import { issueDeviceToken, trustedDeviceId } from './device-trust.js';
import {
  loginCounters,
  reservePasswordCheck,
  throttleNoticeKey,
  type PasswordCheck,
} from './login-throttle.js';
import { issueSession } from './sessions.js';
import { counterKey } from './counter-key.js';

export type LoginResult = (
  | { status: 'ok'; session: string; expiresAt: string }
  | {
      status: 'password_change_required';
      challenge: string;
      reason: 'temporary_password' | 'one_time_password';
      expiresAt: string;
    }
) & {
  /** A device token for this account: the browser keeps it and shows it at its next logins. */
  device: string;
};

export interface LoginInput {
  identifier: string;
  password: string;
  tenant?: string;
  ip: string;
  /** Device tokens the browser kept from earlier logins (of any account). */
  devices?: string[];
}

type Refusal = 'account_disabled' | 'email_not_confirmed' | 'temporary_password_expired';

export async function login(deps: Deps, input: LoginInput): Promise<LoginResult> {
  const found = await deps.store.findAccount(input.identifier);
  const account = found && (!input.tenant || found.tenants.includes(input.tenant)) ? found : null;
  const credential = account?.credential ?? null;
  const deviceId = account ? await trustedDeviceId(deps, account, input.devices) : null;
  // A trusted device answers for its own failures only: other failures from its network (a gym's
  // wifi, a shared NAT) must not hold it up.
  const addressPlace = deviceId ? null : await takeAddressPlace(deps, input.ip);
  let check: PasswordCheck;
  let valid: boolean;
  try {
    check = await reservePasswordCheck(
      deps,
      loginCounters(deps, { account, identifier: input.identifier, ip: input.ip, deviceId }),
    );
    valid = await verifyReserved(deps, credential, input.password, check);
  } catch (error) {
    await addressPlace?.giveBack();
    // After the answer: a refusal must take as long for a member as for an unknown name.
    if (account && isAppError(error) && error.code === 'too_many_attempts') {
      const refusal = error;
      deps.background.run('login-throttled', () => announceThrottled(deps, account, refusal));
    }
    throw error;
  }

  if (!account || !credential || !valid) {
    await check.settle('failure');
    if (account) {
      const event = { action: 'login', detail: { reason: 'invalid_credentials' } } as const;
      auditRefusalLater(deps, account, event, deps.config.limits.loginPerIp.windowMs);
    }
    throw new AppError('invalid_credentials');
  }
  await Promise.all([check.settle('success'), addressPlace?.giveBack()]);
  return admit(deps, account, credential, input);
}

/** How long one `login.throttled` stands for the refusals that follow it. */
const THROTTLE_ANNOUNCED_MS = 15 * 60 * 1000;

/** Tells the integrator's backend, once in a while, that logins to this client are being held back. */
async function announceThrottled(deps: Deps, account: Account, refusal: AppError): Promise<void> {
  const now = deps.clock.now();
  const window = { limit: 1, windowMs: THROTTLE_ANNOUNCED_MS, now };
  const first = await deps.store.takeFromWindow(throttleNoticeKey(account), window).catch(() => null);
  if (!first?.allowed) return;
  const retryAfter = refusal.details.retryAfter;
  const retryAt = typeof retryAfter === 'number' ? new Date(now + retryAfter * 1000).toISOString() : null;
  await emitEvent(deps, 'login.throttled', account, { retryAt });
}

/**
 * One place in the address's window over all accounts; only failures keep theirs. Limits one
 * address guessing across many members.
 */
async function takeAddressPlace(deps: Deps, ip: string): Promise<{ giveBack(): Promise<void> }> {
  const now = deps.clock.now();
  const key = counterKey('login-ip', ip);
  const taken = await deps.store.takeFromWindow(key, { ...deps.config.limits.loginPerIp, now });
  if (!taken.allowed || !taken.ticket) throw tooManyAttempts(taken.retryAt ?? now + 1000, now);
  const ticket = taken.ticket;
  return { giveBack: () => deps.store.giveBackToWindow(key, ticket) };
}

/**
 * Checks the password against the credential, or spends the same time on a dummy hash for unknown
 * identifiers and invited accounts. A check that could not run (hashing refused: server busy)
 * frees its reserved places without counting as a failure.
 */
async function verifyReserved(
  deps: Deps,
  credential: Credential | null,
  password: string,
  check: PasswordCheck,
): Promise<boolean> {
  try {
    if (credential) return await deps.hasher.verify(credential.hash, password);
    await deps.hasher.verifyDummy(password);
    return false;
  } catch (error) {
    await check.settle('cancelled');
    throw error;
  }
}

async function refusal(deps: Deps, account: Account, code: Refusal): Promise<AppError> {
  await audit(deps, {
    clientId: account.id,
    actor: { kind: 'member' },
    action: 'login',
    outcome: 'refused',
    detail: { reason: code },
  });
  return new AppError(code);
}

/** The password was right: what the account's state lets through. */
async function admit(
  deps: Deps,
  account: Account,
  credential: Credential,
  input: LoginInput,
): Promise<LoginResult> {
  const now = deps.clock.now();
  if (!account.loginEnabled) throw await refusal(deps, account, 'account_disabled');
  const current = await requireConfirmedEmail(deps, account, credential, input.tenant, now);
  const device = await issueDeviceToken(deps, current);

  if (credential.kind === 'one-time' || credential.kind === 'temporary') {
    if (credential.expiresAt !== undefined && credential.expiresAt <= now)
      throw await refusal(deps, current, 'temporary_password_expired');
    const signed = await deps.tokens.sign(
      'challenge',
      { sub: current.id, ver: current.sessionVersion, ...(input.tenant ? { tid: input.tenant } : {}) },
      lifetimes.challenge,
    );
    auditLater(deps, {
      clientId: current.id,
      actor: { kind: 'member' },
      action: 'login',
      outcome: 'ok',
      detail: { next: 'password_change' },
    });
    return {
      status: 'password_change_required',
      challenge: signed.token,
      reason: credential.kind === 'temporary' ? 'temporary_password' : 'one_time_password',
      expiresAt: new Date(signed.expiresAt).toISOString(),
      device,
    };
  }

  // Best effort: a busy hashing pool or a failed write only postpones it to the next login.
  await rehashIfNeeded(deps, current, input.password).catch((error: unknown) =>
    deps.logger.warn({ err: describeError(error), clientId: current.id }, 'password re-hash postponed'),
  );
  const session = await issueSession(deps, current, input.tenant);
  auditLater(deps, { clientId: current.id, actor: { kind: 'member' }, action: 'login', outcome: 'ok' });
  return { status: 'ok', ...session, device };
}

/**
 * An unconfirmed address stops the login, with a confirmation link mailed after the answer —
 * unless the password itself came through that mailbox, which proves it.
 */
async function requireConfirmedEmail(
  deps: Deps,
  account: Account,
  credential: Credential,
  tenantId: string | undefined,
  now: number,
): Promise<Account> {
  if (account.emailConfirmed || !account.email) return account;
  if (
    credential.deliveredTo &&
    normaliseIdentifier(credential.deliveredTo) === normaliseIdentifier(account.email)
  ) {
    const confirm = (latest: Account) => ({ ...latest, emailConfirmed: true, updatedAt: now });
    return updateAccountAnnounced(deps, account.id, confirm, { tenantId });
  }
  deps.background.run('verify-email-on-login', async () => {
    const live = account.links.some(
      (link) => link.purpose === 'verify-email' && link.state === 'active' && link.expiresAt > now,
    );
    if (live) return;
    const tenant = await tenantForAccount(deps, account, tenantId);
    await mailNewLink(deps, account, 'verify-email', tenant, { step: retried(deps) });
  });
  throw await refusal(deps, account, 'email_not_confirmed');
}

/** Keeps hashes current: a login proves the password, the only moment it can be re-hashed. */
async function rehashIfNeeded(deps: Deps, account: Account, password: string): Promise<void> {
  const credential = account.credential;
  if (!credential || !deps.hasher.needsRehash(credential.hash)) return;
  const hash = await deps.hasher.hash(password);
  await deps.store.updateAccount(account.id, (current) => {
    if (current.credential?.hash !== credential.hash) return current;
    return {
      ...current,
      credential: { ...current.credential, hash },
      passwordHistory: current.passwordHistory.map((old) => (old === credential.hash ? hash : old)),
    };
  });
}
