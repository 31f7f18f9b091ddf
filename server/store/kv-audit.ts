/**
 * The audit trail as bounded lists per client, one per `AuditTrail`, so no kind of traffic pushes
 * another kind's events out; repeated events within a window are counted on one record.
 *
 * A trail is kept in pages, so that an append rewrites a small record however long the trail is
 * (one list of 200 events was about 27 kB read and written again on every login). The newest
 * events are in the trail's head record, between PAGE and 2 × PAGE of them once the trail has
 * grown; when the head is full its older half is written as a page of its own, in a ring of
 * slots that drops the oldest page as the next one takes its place.
 */
import type { AuditEvent } from '../domain.js';
import { AppError } from '../errors.js';
import type { AtomicKv, UpdateStep } from './atomic-kv.js';
import { keys } from './kv-keys.js';
import type { AuditOptions, AuditTrail } from './store.js';

/** Events kept per client and trail (at least; at most this many are listed). */
const KEEP: Record<AuditTrail, number> = { staff: 500, member: 200, foreign: 100 };

/** Events in a page; the head holds up to twice as many. */
export const AUDIT_PAGE = 20;

/** Pages in a trail's ring: with the head's newest PAGE events, at least KEEP events. */
const pagesKept = (trail: AuditTrail) => Math.ceil((KEEP[trail] - AUDIT_PAGE) / AUDIT_PAGE);

/** Rounds of an append that found the head full and paged it, before giving up. */
const MAX_APPEND_ROUNDS = 100;

export const AUDIT_TRAILS: readonly AuditTrail[] = ['staff', 'member', 'foreign'];

/** The newest events of a trail, newest first, and how many pages were written before them. */
export interface AuditHead {
  events: AuditEvent[];
  /** Absent on a trail written before trails had pages: none. */
  sealed?: number;
}

/** A page in its slot of the ring, with its number (the slot is the number modulo the ring's size). */
export interface AuditPage {
  page: number;
  events: AuditEvent[];
}

/** What an append did: done, or found the head full and returned its older half to page. */
type Appended = { done: true } | { done: false; page: number; older: AuditEvent[] };

const DONE: Appended = { done: true };

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

/**
 * Adds the event at the head's front, or counts it on a similar recent one. Only the newest PAGE
 * events are merged into, so a full head's older half never changes until it is paged: whoever
 * pages it writes the same page.
 */
function appendStep(event: AuditEvent, mergeWithinMs: number | undefined) {
  return (current: AuditHead | null): UpdateStep<AuditHead, Appended> => {
    const events = current?.events ?? [];
    const sealed = current?.sealed ?? 0;
    // Written already: a retry after a write whose answer was lost (the store did it) adds nothing.
    if (events.some((old) => old.id === event.id)) return { result: DONE };
    if (mergeWithinMs !== undefined) {
      const recent = events.slice(0, AUDIT_PAGE);
      const index = recent.findIndex((old) => sameKind(old, event));
      const similar = recent[index];
      if (similar && event.at - similar.at < mergeWithinMs) {
        const merged = { ...similar, count: (similar.count ?? 1) + 1, lastAt: event.at };
        const others = events.filter((_, i) => i !== index);
        return { value: { events: [merged, ...others], sealed }, result: DONE };
      }
    }
    if (events.length >= 2 * AUDIT_PAGE)
      return { result: { done: false, page: sealed, older: events.slice(AUDIT_PAGE) } };
    return { value: { events: [event, ...events], sealed }, result: DONE };
  };
}

/** Drops the older half from the head once it is written as page `page`; a no-op if someone did. */
function sealStep(page: number, older: AuditEvent[]) {
  return (current: AuditHead | null): UpdateStep<AuditHead, void> => {
    if (!current || (current.sealed ?? 0) !== page) return { result: undefined };
    const kept = current.events.slice(0, AUDIT_PAGE);
    const paged = current.events.slice(AUDIT_PAGE);
    const same = paged.length === older.length && paged.every((event, i) => event.id === older[i].id);
    if (!same) return { result: undefined };
    return { value: { events: kept, sealed: page + 1 }, result: undefined };
  };
}

/** Every trail together, newest first by each event's latest occurrence. */
function mergedAudit(lists: AuditEvent[][], limit: number): AuditEvent[] {
  const latest = (event: AuditEvent) => event.lastAt ?? event.at;
  // Each list is newest first already; a stable sort keeps that order among equal times.
  return lists
    .flat()
    .sort((a, b) => latest(b) - latest(a))
    .slice(0, limit);
}

/** The audit trails of every client, over any AtomicKv (calls are not guarded here). */
export class KvAuditTrails {
  constructor(private readonly kv: AtomicKv) {}

  async append(event: AuditEvent, options: AuditOptions): Promise<void> {
    const trail = trailOf(event, options);
    // Staff events stay one by one: each is an action someone answers for.
    const mergeWithinMs = trail === 'staff' ? undefined : options.mergeWithinMs;
    const head = keys.audit(event.clientId, trail);
    for (let round = 0; round < MAX_APPEND_ROUNDS; round++) {
      const appended = await this.kv.update(head, appendStep(event, mergeWithinMs));
      if (appended.done) return;
      // Page first, then drop from the head: a crash in between leaves the events in the head,
      // and the next append writes the same page again.
      const page: AuditPage = { page: appended.page, events: appended.older };
      await this.kv.set(this.pageKey(event.clientId, trail, appended.page), page);
      await this.kv.update(head, sealStep(appended.page, appended.older));
    }
    throw new AppError('conflict');
  }

  /** Newest first (by each event's latest occurrence), every trail together, at most `limit`. */
  async list(clientId: string, limit: number): Promise<AuditEvent[]> {
    const heads = await this.kv.getMany<AuditHead>(AUDIT_TRAILS.map((trail) => keys.audit(clientId, trail)));
    // The pages each trail needs for `limit` events, newest first, all read at once.
    const wanted = AUDIT_TRAILS.flatMap((trail, i) => {
      const head = heads[i];
      if (!head) return [];
      const sealed = head.sealed ?? 0;
      const oldest = Math.max(0, sealed - pagesKept(trail));
      const needed = Math.ceil((Math.min(limit, KEEP[trail]) - head.events.length) / AUDIT_PAGE);
      const count = Math.max(0, Math.min(sealed - oldest, needed));
      return Array.from({ length: count }, (_, n) => ({ trail, page: sealed - 1 - n }));
    });
    const pages = wanted.length
      ? await this.kv.getMany<AuditPage>(wanted.map((w) => this.pageKey(clientId, w.trail, w.page)))
      : [];
    const lists = AUDIT_TRAILS.map((trail, i) => {
      const events = [...(heads[i]?.events ?? [])];
      // A page written just before a crash took the slot of the oldest page, which a full head
      // never needs: its events are still in the head until the next append moves it on.
      for (const [n, w] of wanted.entries()) if (w.trail === trail) events.push(...(pages[n]?.events ?? []));
      return events.slice(0, KEEP[trail]);
    });
    return mergedAudit(lists, limit);
  }

  /** Removes every trail of a client: the pages first, so a retry after a crash still finds them. */
  async remove(clientId: string): Promise<void> {
    const headKeys = AUDIT_TRAILS.map((trail) => keys.audit(clientId, trail));
    const heads = await this.kv.getMany<AuditHead>(headKeys);
    const pageKeys = AUDIT_TRAILS.flatMap((trail, i) => {
      // One more than the head counts: a page written just before a crash that kept it uncounted.
      const written = Math.min((heads[i]?.sealed ?? 0) + 1, pagesKept(trail));
      return Array.from({ length: written }, (_, slot) => keys.auditPage(clientId, trail, slot));
    });
    await Promise.all(pageKeys.map((key) => this.kv.delete(key)));
    await Promise.all(headKeys.map((key) => this.kv.delete(key)));
  }

  private pageKey(clientId: string, trail: AuditTrail, page: number): string {
    return keys.auditPage(clientId, trail, page % pagesKept(trail));
  }
}
