/**
 * Rate windows and password-check counters as single-key records: the pure steps KvStore runs
 * inside the backend's atomic read-modify-write, each giving the record's time to live, so every
 * counter expires with its window on every backend.
 */
import { randomUUID } from 'node:crypto';
import type { UpdateStep } from './atomic-kv.js';
import type {
  AttemptOutcome,
  AttemptReservation,
  AttemptRules,
  WindowOptions,
  WindowState,
  WindowTake,
} from './store.js';

interface WindowEntry {
  at: number;
  ticket: string;
}

export interface WindowRecord {
  entries: WindowEntry[];
  /** The window's length, so that a give-back keeps the record's time to live. */
  windowMs?: number;
}

/** A password-check counter: consecutive failures, and the attempts in flight holding places. */
export interface AttemptRecord {
  failures: number;
  lastFailureAt: number;
  pending: WindowEntry[];
}

/** For window records written before they carried their length: the longest window the server uses. */
const DEFAULT_WINDOW_TTL_MS = 24 * 60 * 60 * 1000;

function prune(entries: WindowEntry[], options: WindowOptions): WindowEntry[] {
  return entries.filter((entry) => entry.at > options.now - options.windowMs);
}

function stateOf(entries: WindowEntry[], options: WindowOptions): WindowState {
  const used = entries.length;
  const remaining = Math.max(0, options.limit - used);
  const oldest = entries.reduce((min, entry) => Math.min(min, entry.at), Infinity);
  return {
    used,
    remaining,
    retryAt: remaining > 0 || !Number.isFinite(oldest) ? null : oldest + options.windowMs,
  };
}

/** The newest entry leaves the window this long from now; the record goes with it. */
function windowTtl(entries: WindowEntry[], options: WindowOptions): number {
  const newest = entries.reduce((max, entry) => Math.max(max, entry.at), options.now);
  return Math.max(1, newest + options.windowMs - options.now);
}

export function windowState(current: WindowRecord | null, options: WindowOptions): WindowState {
  return stateOf(prune(current?.entries ?? [], options), options);
}

export function takeFromWindowStep(options: WindowOptions) {
  return (current: WindowRecord | null): UpdateStep<WindowRecord, WindowTake> => {
    const entries = prune(current?.entries ?? [], options);
    const full = entries.length >= options.limit;
    const ticket = full ? null : randomUUID();
    const next = ticket ? [...entries, { at: options.now, ticket }] : entries;
    const result = { ...stateOf(next, options), allowed: !full, ticket };
    // A refusal that changed nothing writes nothing: a flood past the limit only reads.
    if (full && current && entries.length === current.entries.length) return { result };
    return { value: { entries: next, windowMs: options.windowMs }, ttlMs: windowTtl(next, options), result };
  };
}

export function giveBackStep(ticket: string) {
  return (current: WindowRecord | null): UpdateStep<WindowRecord, void> => {
    if (!current) return { result: undefined };
    const entries = current.entries.filter((entry) => entry.ticket !== ticket);
    if (entries.length === 0) return { value: null, result: undefined };
    // No clock here: a whole window from now outlives every entry kept, and is gone soon after.
    const windowMs = current.windowMs ?? DEFAULT_WINDOW_TTL_MS;
    return { value: { entries, windowMs }, ttlMs: windowMs, result: undefined };
  };
}

/**
 * A window written before windows carried their length (and so a time to live): gone when its
 * newest entry is older than the longest window, else given that window's time to live. Returns
 * how many records it removed.
 */
export function upgradeLegacyWindowStep(now: number) {
  return (current: WindowRecord | null): UpdateStep<WindowRecord, number> => {
    if (!current || current.windowMs !== undefined) return { result: 0 };
    const newest = current.entries.reduce((max, entry) => Math.max(max, entry.at), 0);
    if (newest <= now - DEFAULT_WINDOW_TTL_MS) return { value: null, result: 1 };
    return {
      value: { ...current, windowMs: DEFAULT_WINDOW_TTL_MS },
      ttlMs: newest + DEFAULT_WINDOW_TTL_MS - now,
      result: 0,
    };
  };
}

/** The counter as it stands at `now`: leases past their time are gone, failures past the window forgotten. */
function liveAttempts(current: AttemptRecord | null, now: number, rules: AttemptRules): AttemptRecord {
  const pending = (current?.pending ?? []).filter((entry) => entry.at > now - rules.leaseMs);
  if (!current || current.lastFailureAt <= now - rules.memoryMs)
    return { failures: 0, lastFailureAt: 0, pending };
  return { failures: current.failures, lastFailureAt: current.lastFailureAt, pending };
}

/** Kept while failures are remembered or an attempt may still settle. */
function attemptTtl(record: AttemptRecord, now: number, rules: AttemptRules): number {
  const untilForgotten = record.failures > 0 ? record.lastFailureAt + rules.memoryMs - now : 0;
  const untilLeasesEnd = Math.max(0, ...record.pending.map((entry) => entry.at + rules.leaseMs - now));
  return Math.max(1, untilForgotten, untilLeasesEnd);
}

export function reserveAttemptStep(now: number, rules: AttemptRules) {
  return (current: AttemptRecord | null): UpdateStep<AttemptRecord, AttemptReservation> => {
    const record = liveAttempts(current, now, rules);
    const { failures, pending } = record;
    if (failures >= rules.free) {
      const retryAt = record.lastFailureAt + rules.delayAfter(failures);
      if (retryAt > now) return { result: { status: 'refused', retryAt } };
      // Past the free failures, one check at a time: each one's outcome decides the next delay.
      if (pending.length > 0) return { result: { status: 'busy' } };
    } else if (failures + pending.length >= rules.free) {
      return { result: { status: 'busy' } };
    }
    const ticket = randomUUID();
    const next = { ...record, pending: [...pending, { at: now, ticket }] };
    return { value: next, ttlMs: attemptTtl(next, now, rules), result: { status: 'allowed', ticket } };
  };
}

export function settleAttemptStep(ticket: string, outcome: AttemptOutcome, now: number, rules: AttemptRules) {
  return (current: AttemptRecord | null): UpdateStep<AttemptRecord, void> => {
    const record = liveAttempts(current, now, rules);
    const pending = record.pending.filter((entry) => entry.ticket !== ticket);
    const next: AttemptRecord =
      outcome === 'success'
        ? { failures: 0, lastFailureAt: 0, pending }
        : outcome === 'failure'
          ? { failures: record.failures + 1, lastFailureAt: Math.max(now, record.lastFailureAt), pending }
          : { ...record, pending };
    if (next.failures === 0 && next.pending.length === 0) return { value: null, result: undefined };
    return { value: next, ttlMs: attemptTtl(next, now, rules), result: undefined };
  };
}
