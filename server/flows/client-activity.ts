/** A client's activity as staff read it: newest first, in their language, other companies' staff anonymous. */
import type { AuditOutcome, Locale } from '../domain.js';
import type { Deps } from '../deps.js';
import { eventText, otherCompanyStaff } from '../text.js';
import { loadClientForStaff } from './client-summary.js';
import type { StaffActor } from './staff-credentials.js';

export interface ClientEvent {
  /** When it happened (the first time, for repeated member events counted on one record). */
  at: string;
  /** Repeated member events within their window: how many, and when the latest was. */
  count?: number;
  lastAt?: string;
  actor: string;
  action: string;
  outcome: AuditOutcome;
  /** The action and, unless it succeeded, its outcome, worded for people in the caller's language. */
  text: string;
  detail?: Record<string, string | number | boolean>;
}

export async function listClientEvents(
  deps: Deps,
  actor: StaffActor,
  clientId: string,
  limit = 50,
  locale: Locale = 'en',
): Promise<{ items: ClientEvent[] }> {
  await loadClientForStaff(deps, actor, clientId);
  const events = await deps.store.listAudit(clientId, limit);
  return {
    items: events.map((event) => ({
      at: new Date(event.at).toISOString(),
      // Another company's staff stay anonymous to this one.
      actor:
        event.actor.startsWith('staff:') && event.tenantId !== actor.tenantId
          ? otherCompanyStaff[locale]
          : event.actor,
      action: event.action,
      outcome: event.outcome,
      ...(event.count && event.count > 1
        ? { count: event.count, lastAt: new Date(event.lastAt ?? event.at).toISOString() }
        : {}),
      text: eventText(locale, event.action, event.outcome, event.count, event.detail),
      ...(event.detail ? { detail: event.detail } : {}),
    })),
  };
}
