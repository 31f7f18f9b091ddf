/**
 * Workflows 4 and 5 on the member side: log in with username or email, follow a forced change
 * after a staff-set or temporary password, change the password while logged in, check a session.
 */
import type { Account, AuditAction } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { lifetimes } from '../crypto/params.js';
import { TokenError, type TokenClaims } from '../crypto/tokens.js';
import { normaliseIdentifier } from '../identifiers.js';
import { withCredential } from './account-state.js';
import {
  audit,
  mailNewLink,
  requireAcceptablePassword,
  sendNoticeLater,
  tenantForAccount,
} from './context.js';

export type LoginResult =
  | { status: 'ok'; session: string; expiresAt: string }
  | {
      status: 'password_change_required';
      challenge: string;
      reason: 'temporary_password' | 'one_time_password';
      expiresAt: string;
    };

function tooManyAttempts(retryAt: number, now: number): AppError {
  const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
  return new AppError('too_many_attempts', {
    details: { retryAfter: seconds },
  });
}

/**
 * Growing delays after a few free failures (1 s, 2 s, 4 s … up to 15 min), so guessing is slow but
 * an attacker cannot lock a member out for long.
 */
function delayAfter(free: number, maxDelayMs: number): (failures: number) => number {
  return (failures) => (failures < free ? 0 : Math.min(maxDelayMs, 1000 * 2 ** (failures - free)));
}

/**
 * Reserves one password check for `subject` (an account id, or the identifier when none matches,
 * so known and unknown names are throttled alike): per subject and IP after a few failures, and
 * per subject from anywhere after many. Returns the keys to clear on success, or throws 429.
 */
async function reservePasswordCheck(deps: Deps, subject: string, ip: string, now: number): Promise<string[]> {
  const { loginFreeFailures, loginAccountFreeFailures, loginMaxDelayMs } = deps.config.limits;
  const keys: Array<[string, number]> = [
    [`password-check:${subject}:${ip}`, loginFreeFailures],
    [`password-check:${subject}`, loginAccountFreeFailures],
  ];
  for (const [key, free] of keys) {
    const reserved = await deps.store.reserveAttempt(key, now, delayAfter(free, loginMaxDelayMs));
    if (!reserved.allowed) throw tooManyAttempts(reserved.retryAt ?? now + 1000, now);
  }
  return keys.map(([key]) => key);
}

async function issueSession(
  deps: Deps,
  account: Account,
  tenantId: string | undefined,
): Promise<{ session: string; expiresAt: string }> {
  const signed = await deps.tokens.sign(
    'session',
    { sub: account.id, ver: account.sessionVersion, ...(tenantId ? { tid: tenantId } : {}) },
    lifetimes.session,
  );
  return { session: signed.token, expiresAt: new Date(signed.expiresAt).toISOString() };
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

export async function login(
  deps: Deps,
  input: { identifier: string; password: string; tenant?: string; ip: string },
): Promise<LoginResult> {
  const now = deps.clock.now();
  // Attempts are reserved before the password is checked, atomically: parallel guesses cannot
  // all pass a check that only counts failures afterwards. A success gives its place back.
  const ipKey = `login-ip:${input.ip}`;
  const byIp = await deps.store.takeFromWindow(ipKey, { ...deps.config.limits.loginPerIp, now });
  if (!byIp.allowed || !byIp.ticket) throw tooManyAttempts(byIp.retryAt ?? now + 1000, now);

  const found = await deps.store.findAccount(input.identifier);
  const account = found && (!input.tenant || found.tenants.includes(input.tenant)) ? found : null;
  let checkKeys: string[];
  try {
    checkKeys = await reservePasswordCheck(
      deps,
      account?.id ?? `name:${normaliseIdentifier(input.identifier)}`,
      input.ip,
      now,
    );
  } catch (error) {
    await deps.store.giveBackToWindow(ipKey, byIp.ticket);
    throw error;
  }

  const credential = account?.credential ?? null;
  let valid = false;
  if (credential) valid = await deps.hasher.verify(credential.hash, input.password);
  // Unknown identifiers and invited accounts spend the same time as a wrong password.
  else await deps.hasher.verifyDummy(input.password);

  if (!account || !credential || !valid) {
    // After the answer: a known account's audit write must not make its failures slower than an unknown one's.
    if (account) {
      deps.background.run('audit-login-failure', () =>
        audit(deps, {
          clientId: account.id,
          actor: { kind: 'member' },
          action: 'login',
          outcome: 'refused',
          detail: { reason: 'invalid_credentials' },
        }),
      );
    }
    throw new AppError('invalid_credentials');
  }
  await Promise.all([
    ...checkKeys.map((key) => deps.store.clearFailures(key)),
    deps.store.giveBackToWindow(ipKey, byIp.ticket),
  ]);

  const refuse = async (code: 'account_disabled' | 'email_not_confirmed' | 'temporary_password_expired') => {
    await audit(deps, {
      clientId: account.id,
      actor: { kind: 'member' },
      action: 'login',
      outcome: 'refused',
      detail: { reason: code },
    });
    return new AppError(code);
  };
  if (!account.loginEnabled) throw await refuse('account_disabled');

  let current = account;
  if (!current.emailConfirmed && current.email) {
    if (
      credential.deliveredTo &&
      normaliseIdentifier(credential.deliveredTo) === normaliseIdentifier(current.email)
    ) {
      // The password came through the mailbox: using it proves the address.
      current = await deps.store.updateAccount(current.id, (latest) => ({
        ...latest,
        emailConfirmed: true,
        updatedAt: now,
      }));
    } else {
      const unconfirmed = current;
      deps.background.run('verify-email-on-login', async () => {
        const live = unconfirmed.links.some(
          (link) => link.purpose === 'verify-email' && link.state === 'active' && link.expiresAt > now,
        );
        if (live) return;
        await mailNewLink(
          deps,
          unconfirmed,
          'verify-email',
          await tenantForAccount(deps, unconfirmed, input.tenant),
        );
      });
      throw await refuse('email_not_confirmed');
    }
  }

  if (credential.kind === 'one-time' || credential.kind === 'temporary') {
    if (credential.expiresAt !== undefined && credential.expiresAt <= now)
      throw await refuse('temporary_password_expired');
    const signed = await deps.tokens.sign(
      'challenge',
      { sub: current.id, ver: current.sessionVersion, ...(input.tenant ? { tid: input.tenant } : {}) },
      lifetimes.challenge,
    );
    await audit(deps, {
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
    };
  }

  await rehashIfNeeded(deps, current, input.password);
  await audit(deps, { clientId: current.id, actor: { kind: 'member' }, action: 'login', outcome: 'ok' });
  return { status: 'ok', ...(await issueSession(deps, current, input.tenant)) };
}

/** Sets a member's own password, revokes older sessions, mails the notice, returns a fresh session. */
async function replaceOwnPassword(
  deps: Deps,
  account: Account,
  password: string,
  expectVersion: number,
  action: AuditAction,
  tenantId: string | undefined,
): Promise<{ session: string; expiresAt: string }> {
  await requireAcceptablePassword(deps, account, password);
  const hash = await deps.hasher.hash(password);
  const now = deps.clock.now();
  const updated = await deps.store.updateAccount(account.id, (current) => {
    if (current.sessionVersion !== expectVersion || !current.loginEnabled)
      throw new AppError('session_invalid');
    return withCredential(
      current,
      { hash, kind: 'member', setAt: now },
      now,
      deps.config.passwordPolicy.historySize,
    );
  });
  await audit(deps, { clientId: account.id, actor: { kind: 'member' }, action, outcome: 'ok' });
  const tenant = await tenantForAccount(deps, updated, tenantId);
  sendNoticeLater(deps, updated, tenant, {
    kind: 'password-changed',
    name: updated.name,
    at: now,
    byStaff: false,
  });
  return issueSession(deps, updated, tenantId);
}

export async function completeForcedChange(
  deps: Deps,
  input: { challenge: string; password: string },
): Promise<{ status: 'ok'; session: string; expiresAt: string }> {
  let claims: TokenClaims;
  try {
    claims = await deps.tokens.verify(input.challenge, 'challenge');
  } catch {
    throw new AppError('challenge_invalid');
  }
  const account = await deps.store.getAccount(claims.sub);
  const credential = account?.credential;
  if (
    !account ||
    !credential ||
    account.sessionVersion !== claims.ver ||
    !account.loginEnabled ||
    (credential.kind !== 'one-time' && credential.kind !== 'temporary')
  ) {
    throw new AppError('challenge_invalid');
  }
  if (credential.expiresAt !== undefined && credential.expiresAt <= deps.clock.now()) {
    throw new AppError('temporary_password_expired');
  }
  try {
    const result = await replaceOwnPassword(
      deps,
      account,
      input.password,
      account.sessionVersion,
      'password.force_change',
      claims.tid,
    );
    return { status: 'ok', ...result };
  } catch (error) {
    if (error instanceof AppError && error.code === 'session_invalid')
      throw new AppError('challenge_invalid');
    throw error;
  }
}

/** The account behind a live session, or `session_invalid` (expired, revoked by a password change, disabled). */
export async function requireSession(
  deps: Deps,
  token: string,
): Promise<{ claims: TokenClaims; account: Account }> {
  let claims: TokenClaims;
  try {
    claims = await deps.tokens.verify(token, 'session');
  } catch (error) {
    if (error instanceof TokenError) throw new AppError('session_invalid');
    throw error;
  }
  const account = await deps.store.getAccount(claims.sub);
  if (!account || account.sessionVersion !== claims.ver || !account.loginEnabled)
    throw new AppError('session_invalid');
  return { claims, account };
}

export async function changeOwnPassword(
  deps: Deps,
  input: { session: string; currentPassword: string; password: string; ip: string },
): Promise<{ session: string; expiresAt: string }> {
  const { claims, account } = await requireSession(deps, input.session);
  // A stolen session must not give unlimited guesses at the current password: same budget as login.
  const checkKeys = await reservePasswordCheck(deps, account.id, input.ip, deps.clock.now());
  const credential = account.credential;
  const valid = credential ? await deps.hasher.verify(credential.hash, input.currentPassword) : false;
  if (valid) await Promise.all(checkKeys.map((key) => deps.store.clearFailures(key)));
  if (!valid) {
    await audit(deps, {
      clientId: account.id,
      actor: { kind: 'member' },
      action: 'password.change',
      outcome: 'refused',
      detail: { reason: 'invalid_credentials' },
    });
    throw new AppError('invalid_credentials');
  }
  return replaceOwnPassword(
    deps,
    account,
    input.password,
    account.sessionVersion,
    'password.change',
    claims.tid,
  );
}
