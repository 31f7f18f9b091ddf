/**
 * A member's data on request (GDPR articles 15 and 17): everything held about one client except
 * secrets, and its erasure. Both are the integrator's backend's to ask (provisioning key).
 */
import { staffEmailBudgetKey } from './client-summary.js';
import { countersOfAccount } from './login-throttle.js';
import { selfServiceAccountKey } from './self-service.js';
import { emitEvent } from '../webhooks/emit.js';
import type { Account, AuditEvent } from '../domain.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';

/** Events of each trail the store keeps, at most (see `kv-audit.ts`): all of them. */
const ALL_EVENTS = 1000;

export interface MemberExport {
  exportedAt: string;
  client: Omit<Account, 'credential' | 'passwordHistory' | 'links' | 'revision'> & {
    credential: { kind: string; setAt: string; expiresAt: string | null; issuedBy: string | null } | null;
    passwordHistoryLength: number;
  };
  links: Array<{
    purpose: string;
    state: string;
    issuedAt: string;
    expiresAt: string;
    endedAt: string | null;
  }>;
  events: AuditEvent[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The record, its links' states and its activity; no hash, token, code or anything that opens the account. */
export async function exportMember(deps: Deps, clientId: string): Promise<MemberExport> {
  const account = await deps.store.getAccount(clientId);
  if (!account) throw new AppError('not_found');
  const { credential, passwordHistory, links, revision: _revision, ...record } = account;
  return {
    exportedAt: iso(deps.clock.now()),
    client: {
      ...record,
      credential: credential
        ? {
            kind: credential.kind,
            setAt: iso(credential.setAt),
            expiresAt: credential.expiresAt ? iso(credential.expiresAt) : null,
            issuedBy: credential.issuedBy ?? null,
          }
        : null,
      passwordHistoryLength: passwordHistory.length,
    },
    links: links.map((link) => ({
      purpose: link.purpose,
      state: link.state,
      issuedAt: iso(link.issuedAt),
      expiresAt: iso(link.expiresAt),
      endedAt: link.endedAt ? iso(link.endedAt) : null,
    })),
    events: await deps.store.listAudit(clientId, ALL_EVENTS),
  };
}

/**
 * Erases the client: its record (with its links and password), its activity, its counters (those
 * that also hold an address and what was typed there expire within a day), and its hold on its
 * email and username, which are free at once. Sessions and links it had stop working, even if
 * the id is given to a new client later (they predate it).
 */
export async function eraseMember(deps: Deps, clientId: string): Promise<void> {
  const account = await deps.store.getAccount(clientId);
  if (!account || !(await deps.store.deleteAccount(clientId))) throw new AppError('not_found');
  await deps.store.removeCounters([
    ...countersOfAccount(account),
    staffEmailBudgetKey(account),
    selfServiceAccountKey(account),
  ]);
  await emitEvent(deps, 'client.deleted', account);
  // The id only: what the client was is gone, and a log is no place to keep it.
  deps.logger.info({ clientId }, 'client erased');
}
