/**
 * The audit trail as bounded lists per client, one per `AuditTrail`, so no kind of traffic pushes
 * another kind's events out; repeated events within a window are counted on one record.
 *
 * A trail is kept in pages, so that an append rewrites a small record however long the trail is
 * (one list of 200 events was about 27 kB read and written again on every login). The newest
 * events are in the trail's head record, between PAGE and 2 × PAGE of them once the trail has
 * grown; when the head is full its older half is written as a page of its own, in a ring of
 * slots that drops the oldest page as the next one takes its place. A head written before trails
 * had pages (up to KEEP events) is paged at its next append.
 *
 * An older version of the server appending to a paged head drops its page count: run one version
 * against a store at a time (README, "Upgrading").
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

const AUDIT_TRAILS: readonly AuditTrail[] = ['staff', 'member', 'foreign'];

/** The newest events of a trail, newest first, and how many pages were written before them. */
interface AuditHead {
  events: AuditEvent[];
  /** Absent on a trail written before trails had pages: none. */
  sealed?: number;
}

/** A page in its slot of the ring, with its number (the slot is the number modulo the ring's size). */
interface AuditPage {
  page: number;
  events: AuditEvent[];
}

/** What an append did: done, or found the head full and returned its older half to page. */
type Appended = { done: true } | { done: false; page: number; older: AuditEvent[] };

const DONE: Appended = { done: true };

function trailOf(event: AuditEvent, options: AuditOptions): AuditTrail {
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
 * Adds the event at the head's front, or counts it on a similar one in the head. A full head is
 * paged before anything else changes it, so its older half stays as it was until then: whoever
 * pages it writes the same page.
 */
function appendStep(event: AuditEvent, mergeWithinMs: number | undefined) {
  return (current: AuditHead | null): UpdateStep<AuditHead, Appended> => {
    const events = current?.events ?? [];
    const sealed = current?.sealed ?? 0;
    // Written already: a retry after a write whose answer was lost (the store did it) adds nothing.
    // One paged since is left to the listing, which shows an event once.
    if (events.some((old) => old.id === event.id)) return { result: DONE };
    if (events.length >= 2 * AUDIT_PAGE)
      return { result: { done: false, page: sealed, older: events.slice(AUDIT_PAGE) } };
    if (mergeWithinMs !== undefined) {
      const index = events.findIndex((old) => sameKind(old, event));
      const similar = events[index];
      if (similar && event.at - similar.at < mergeWithinMs) {
        const merged = { ...similar, count: (similar.count ?? 1) + 1, lastAt: event.at };
        const others = events.filter((_, i) => i !== index);
        return { value: { events: [merged, ...others], sealed }, result: DONE };
      }
    }
    return { value: { events: [event, ...events], sealed }, result: DONE };
  };
}

/** Writes a page into its slot unless the slot holds a newer page already (a late write after the ring went round). */
function pageStep(page: AuditPage) {
  return (current: AuditPage | null): UpdateStep<AuditPage, void> =>
    current && current.page > page.page ? { result: undefined } : { value: page, result: undefined };
}

/**
 * Drops the older half from the head once it is written as page `page`; a no-op if someone did.
 * False when the head is gone (the client was erased meanwhile).
 */
function sealStep(page: number, older: AuditEvent[]) {
  return (current: AuditHead | null): UpdateStep<AuditHead, boolean> => {
    if (!current) return { result: false };
    if ((current.sealed ?? 0) !== page) return { result: true };
    const kept = current.events.slice(0, AUDIT_PAGE);
    const paged = current.events.slice(AUDIT_PAGE);
    const same = paged.length === older.length && paged.every((event, i) => event.id === older[i].id);
    if (!same) return { result: true };
    return { value: { events: kept, sealed: page + 1 }, result: true };
  };
}

/** Each event once (a retried append may have left a copy in the head and one in a page). */
function unique(events: AuditEvent[]): AuditEvent[] {
  const seen = new Set<string>();
  return events.filter((event) => !seen.has(event.id) && seen.add(event.id));
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
      const pageKey = this.pageKey(event.clientId, trail, appended.page);
      await this.kv.update(pageKey, pageStep(page));
      const headKept = await this.kv.update(head, sealStep(appended.page, appended.older));
      // Erased while this was paging: the page is nobody's, and must not outlive the erasure.
      if (!headKept) return void (await this.kv.deleteIfEquals(pageKey, page));
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
      for (const [n, w] of wanted.entries()) {
        // A slot holding another page than the one wanted (written just before a crash, or
        // imported from an export taken while servers wrote) stands for nothing here.
        const page = pages[n];
        if (w.trail === trail && page?.page === w.page) events.push(...page.events);
      }
      return unique(events).slice(0, KEEP[trail]);
    });
    return mergedAudit(lists, limit);
  }

  /**
   * Removes every trail of a client: every slot of each ring whatever the heads say (a page may
   * have been written and not yet counted), then the heads.
   */
  async remove(clientId: string): Promise<void> {
    const pageKeys = AUDIT_TRAILS.flatMap((trail) =>
      Array.from({ length: pagesKept(trail) }, (_, slot) => keys.auditPage(clientId, trail, slot)),
    );
    await Promise.all(pageKeys.map((key) => this.kv.delete(key)));
    await Promise.all(AUDIT_TRAILS.map((trail) => this.kv.delete(keys.audit(clientId, trail))));
  }

  private pageKey(clientId: string, trail: AuditTrail, page: number): string {
    return keys.auditPage(clientId, trail, page % pagesKept(trail));
  }
}
