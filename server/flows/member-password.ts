/**
 * Workflows 4 and 6 on the member side, once logged in: finish a forced change after a staff-set
 * or temporary password, and change the password with the current one.
 */
import type { Account, AuditAction } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import type { TokenClaims } from '../crypto/tokens.js';
import { staffLineage, withCredential } from './account-state.js';
import { emitEvent } from '../webhooks/emit.js';
import { audit, requireAcceptablePassword, sendNoticeLater, tenantForAccount } from './context.js';
import { reservePasswordCheck, sessionCounters } from './login-throttle.js';
import { issueSession, requireSession, stillValidFor, type IssuedSession } from './sessions.js';

/**
 * Sets a member's own password, revokes older sessions, mails the notice, returns a fresh session.
 * The new password descends from the one that authorised the change: whoever knew that one could
 * have chosen this one (see `Credential.staffTenants`).
 */
async function replaceOwnPassword(
  deps: Deps,
  account: Account,
  password: string,
  action: AuditAction,
  tenantId: string | undefined,
): Promise<IssuedSession> {
  await requireAcceptablePassword(deps, account, password);
  const hash = await deps.hasher.hash(password);
  const now = deps.clock.now();
  const expected = account.sessionVersion;
  const updated = await deps.store.updateAccount(account.id, (current) => {
    if (current.sessionVersion !== expected || !current.loginEnabled) throw new AppError('session_invalid');
    const lineage = staffLineage(current.credential);
    return withCredential(
      current,
      { hash, kind: 'member', setAt: now, ...(lineage.length > 0 ? { staffTenants: lineage } : {}) },
      now,
      deps.config.passwordPolicy.historySize,
    );
  });
  await audit(deps, { clientId: account.id, actor: { kind: 'member' }, action, outcome: 'ok' });
  const how = action === 'password.force_change' ? 'forced_change' : 'member';
  await emitEvent(deps, 'password.changed', updated, { how }, { tenantId });
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
): Promise<{ status: 'ok' } & IssuedSession> {
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
    !stillValidFor(account, claims) ||
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

export async function changeOwnPassword(
  deps: Deps,
  input: { session: string; currentPassword: string; password: string },
): Promise<IssuedSession> {
  const { claims, account } = await requireSession(deps, input.session);
  // A stolen session must not give unlimited guesses at the current password. The session itself
  // proves an earlier login, so the account-wide bound (which an attacker can fill) does not apply.
  const check = await reservePasswordCheck(deps, sessionCounters(deps, claims.jti));
  const credential = account.credential;
  let valid: boolean;
  try {
    valid = credential ? await deps.hasher.verify(credential.hash, input.currentPassword) : false;
  } catch (error) {
    await check.settle('cancelled');
    throw error;
  }
  await check.settle(valid ? 'success' : 'failure');
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
  return replaceOwnPassword(deps, account, input.password, 'password.change', claims.tid);
}
