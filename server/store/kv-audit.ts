/**
 * The audit trail as two bounded lists per client: member events apart from staff, provisioning
 * and system ones, so member-side traffic never pushes a staff event out; repeated member events
 * within a window are counted on one record.
 */
import type { AuditEvent } from '../domain.js';
import type { UpdateStep } from './atomic-kv.js';
import type { AuditOptions } from './store.js';

/** Staff, provisioning and system events kept per client. */
const STAFF_KEEP = 500;
/** Member events kept per client, in a list of their own. */
const MEMBER_KEEP = 200;

export interface AuditList {
  events: AuditEvent[];
}

export function isMemberEvent(event: AuditEvent): boolean {
  return event.actor === 'member';
}

/** Two audit events that say the same thing (merged when repeated). */
function sameKind(a: AuditEvent, b: AuditEvent): boolean {
  return (
    a.action === b.action &&
    a.outcome === b.outcome &&
    a.actor === b.actor &&
    JSON.stringify(a.detail ?? {}) === JSON.stringify(b.detail ?? {})
  );
}

export function appendAuditStep(event: AuditEvent, options: AuditOptions) {
  const member = isMemberEvent(event);
  const mergeWithinMs = member ? options.mergeWithinMs : undefined;
  return (current: AuditList | null): UpdateStep<AuditList, void> => {
    const events = current?.events ?? [];
    if (mergeWithinMs !== undefined) {
      const index = events.findIndex((old) => sameKind(old, event));
      const similar = events[index];
      if (similar && event.at - similar.at < mergeWithinMs) {
        const merged = { ...similar, count: (similar.count ?? 1) + 1, lastAt: event.at };
        return { value: { events: [merged, ...events.filter((_, i) => i !== index)] }, result: undefined };
      }
    }
    return {
      value: { events: [event, ...events].slice(0, member ? MEMBER_KEEP : STAFF_KEEP) },
      result: undefined,
    };
  };
}

/** Both lists together, newest first by each event's latest occurrence. */
export function mergedAudit(lists: Array<AuditList | null>, limit: number): AuditEvent[] {
  const latest = (event: AuditEvent) => event.lastAt ?? event.at;
  // Each list is newest first already; a stable sort keeps that order among equal times.
  return lists
    .flatMap((list) => list?.events ?? [])
    .sort((a, b) => latest(b) - latest(a))
    .slice(0, limit);
}
