/**
 * The audit trail as bounded lists per client, one per `AuditTrail`, so no kind of traffic pushes
 * another kind's events out; repeated events within a window are counted on one record.
 */
import type { AuditEvent } from '../domain.js';
import type { UpdateStep } from './atomic-kv.js';
import type { AuditOptions, AuditTrail } from './store.js';

/** Events kept per client and trail. */
const KEEP: Record<AuditTrail, number> = { staff: 500, member: 200, foreign: 100 };

export const AUDIT_TRAILS: readonly AuditTrail[] = ['staff', 'member', 'foreign'];

export interface AuditList {
  events: AuditEvent[];
}

export function trailOf(event: AuditEvent, options: AuditOptions): AuditTrail {
  return options.trail ?? (event.actor === 'member' ? 'member' : 'staff');
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
  const trail = trailOf(event, options);
  // Staff events stay one by one: each is an action someone answers for.
  const mergeWithinMs = trail === 'staff' ? undefined : options.mergeWithinMs;
  return (current: AuditList | null): UpdateStep<AuditList, void> => {
    const events = current?.events ?? [];
    // Written already: a retry after a write whose answer was lost (the store did it) adds nothing.
    if (events.some((old) => old.id === event.id)) return { result: undefined };
    if (mergeWithinMs !== undefined) {
      const index = events.findIndex((old) => sameKind(old, event));
      const similar = events[index];
      if (similar && event.at - similar.at < mergeWithinMs) {
        const merged = { ...similar, count: (similar.count ?? 1) + 1, lastAt: event.at };
        return { value: { events: [merged, ...events.filter((_, i) => i !== index)] }, result: undefined };
      }
    }
    return { value: { events: [event, ...events].slice(0, KEEP[trail]) }, result: undefined };
  };
}

/** Every trail together, newest first by each event's latest occurrence. */
export function mergedAudit(lists: Array<AuditList | null>, limit: number): AuditEvent[] {
  const latest = (event: AuditEvent) => event.lastAt ?? event.at;
  // Each list is newest first already; a stable sort keeps that order among equal times.
  return lists
    .flatMap((list) => list?.events ?? [])
    .sort((a, b) => latest(b) - latest(a))
    .slice(0, limit);
}
