/**
 * Workflow 6's last step and the member side of workflow 3: setting a password through a live
 * reset or welcome link, or from another device with the identifier and the short code printed in
 * the same mail.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Account, LinkRecord } from '../domain.js';
import type { Deps } from '../deps.js';
import type { WindowLimit } from '../config.js';
import { AppError, tooManyAttempts } from '../errors.js';
import { hashShortCode } from '../crypto/random.js';
import { normaliseIdentifier } from '../identifiers.js';
import { neverHadPassword, requireLiveLink, withCredential, withLinkUsed } from './account-state.js';
import {
  audit,
  auditRefusalLater,
  requireAcceptablePassword,
  sendNoticeLater,
  tenantForAccount,
} from './context.js';
import { SETTING_PURPOSES, verifyLinkToken } from './link-tokens.js';
import { counterKey } from './counter-key.js';
import { emitEvent, updateAccountAnnounced } from '../webhooks/emit.js';

/**
 * Sets the member's own password through a live link: consumes it, confirms the email (the link
 * reached the mailbox), ends the force-reset state and revokes sessions — in one write.
 */
async function setPasswordThroughLink(
  deps: Deps,
  account: Account,
  jti: string,
  password: string,
  via: 'link' | 'code',
): Promise<void> {
  await requireAcceptablePassword(deps, account, password);
  const hash = await deps.hasher.hash(password);
  const now = deps.clock.now();
  let purpose = 'reset';
  let first = false;
  const updated = await updateAccountAnnounced(deps, account.id, (current) => {
    const link = requireLiveLink(current, jti, SETTING_PURPOSES, now);
    purpose = link.purpose;
    first = neverHadPassword(current);
    const used = withLinkUsed(current, link.jti, now);
    // Whoever could read the mailbox the link went to could have chosen this password.
    const lineage = link.staffTenants ?? [];
    return {
      ...withCredential(
        used,
        { hash, kind: 'member', setAt: now, ...(lineage.length > 0 ? { staffTenants: lineage } : {}) },
        now,
        deps.config.passwordPolicy.historySize,
      ),
      emailConfirmed: true,
    };
  });
  await audit(deps, {
    clientId: account.id,
    actor: { kind: 'member' },
    action: 'password.reset',
    outcome: 'ok',
    detail: { via },
  });
  const how = via === 'code' ? 'code' : purpose === 'invite' ? 'invite_link' : 'reset_link';
  await emitEvent(deps, 'password.changed', updated, { how });
  const tenant = await tenantForAccount(deps, updated);
  // A first password (from a welcome link, usually) replaced none: "set" and ready, not "changed".
  sendNoticeLater(
    deps,
    updated,
    tenant,
    first
      ? { kind: 'password-set', name: updated.name, at: now }
      : { kind: 'password-changed', name: updated.name, at: now, byStaff: false },
  );
}

export async function resetWithToken(deps: Deps, input: { token: string; password: string }): Promise<void> {
  const { account, link } = await verifyLinkToken(deps, input.token, SETTING_PURPOSES);
  await setPasswordThroughLink(deps, account, link.jti, input.password, 'link');
}

function codeMatches(link: LinkRecord, code: string): boolean {
  if (!link.codeHash) return false;
  const expected = Buffer.from(link.codeHash);
  const given = Buffer.from(hashShortCode(code, link.jti));
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Live reset or invite links that printed a code. */
function codeCandidates(account: Account, now: number): LinkRecord[] {
  return account.links.filter(
    (link) =>
      SETTING_PURPOSES.includes(link.purpose) &&
      link.state === 'active' &&
      link.expiresAt > now &&
      link.codeHash !== undefined,
  );
}

/**
 * The budgets a code try spends: per typed identifier and address (the member's own tries, which
 * a probe from another address cannot use up), per identifier from anywhere, and per address
 * across identifiers. Keyed by what was typed, so known and unknown identifiers spend alike.
 */
function codeBudgets(deps: Deps, identifier: string, ip: string): Array<[string, WindowLimit]> {
  const { codePerAddress, codePerIdentifier, codePerIp } = deps.config.limits;
  const typed = normaliseIdentifier(identifier);
  return [
    [counterKey('code-address', typed, ip), codePerAddress],
    [counterKey('code-name', typed), codePerIdentifier],
    [counterKey('code-ip', ip), codePerIp],
  ];
}

/**
 * The same as a link, from another device: the identifier plus the short code printed in the mail
 * (a reset or a welcome mail, whichever is live). Known and unknown identifiers do the same work
 * before the answer (the lookup and the three budget takes, side by side); only a wrong code keeps
 * its place in the budgets. The link in the mail works whatever the budgets say.
 */
export async function resetWithCode(
  deps: Deps,
  input: { identifier: string; code: string; password: string; ip: string },
): Promise<void> {
  const now = deps.clock.now();
  const budgets = codeBudgets(deps, input.identifier, input.ip);
  const [account, takes] = await Promise.all([
    deps.store.findAccount(input.identifier),
    Promise.all(budgets.map(([key, limit]) => deps.store.takeFromWindow(key, { ...limit, now }))),
  ]);
  const giveBack = () =>
    Promise.all(
      takes.map((take, index) =>
        take.ticket ? deps.store.giveBackToWindow(budgets[index][0], take.ticket) : undefined,
      ),
    );
  if (takes.some((take) => !take.allowed)) {
    await giveBack();
    throw tooManyAttempts(Math.max(...takes.map((take) => take.retryAt ?? now)), now);
  }
  const link =
    account && codeCandidates(account, now).find((candidate) => codeMatches(candidate, input.code));
  if (!account || !link) {
    if (account) {
      const event = { action: 'password.reset', detail: { via: 'code', reason: 'code_invalid' } } as const;
      auditRefusalLater(deps, account, event, deps.config.limits.codePerAddress.windowMs);
    }
    throw new AppError('code_invalid');
  }
  await giveBack();
  await setPasswordThroughLink(deps, account, link.jti, input.password, 'code');
}
