/** The store contract for rate windows and attempt counters: exact under parallel calls, leased, expiring. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import type { AttemptOutcome, AttemptReservation, AttemptRules } from '../store.js';
import { T0 } from './records.js';
import type { SuiteContext } from './context.js';

export function counterTests(ctx: SuiteContext): void {
  let store: Store;
  const setUp = async (): Promise<void> => {
    await ctx.setUp();
    store = ctx.store;
  };

  describe('rate windows and attempt counters', () => {
    const windowMs = 60_000;

    it('allows exactly `limit` of 20 parallel takes', async () => {
      await setUp();
      const results = await Promise.all(
        Array.from({ length: 20 }, () => store.takeFromWindow('resend:c-1', { limit: 5, windowMs, now: T0 })),
      );
      const allowed = results.filter((take) => take.allowed);
      expect(allowed).toHaveLength(5);
      expect(new Set(allowed.map((take) => take.ticket)).size).toBe(5);
      for (const refused of results.filter((take) => !take.allowed)) {
        expect(refused).toMatchObject({ ticket: null, remaining: 0, used: 5, retryAt: T0 + windowMs });
      }
      expect(await store.peekWindow('resend:c-1', { limit: 5, windowMs, now: T0 })).toEqual({
        used: 5,
        remaining: 0,
        retryAt: T0 + windowMs,
      });
    });

    it('reports when the oldest entry leaves, lets old entries fall out and gives back one place', async () => {
      await setUp();
      const key = 'login:anna';
      const at = (offset: number) => ({ limit: 3, windowMs, now: T0 + offset });
      const first = await store.takeFromWindow(key, at(0));
      expect(first).toMatchObject({ allowed: true, used: 1, remaining: 2, retryAt: null });
      await store.takeFromWindow(key, at(10_000));
      const third = await store.takeFromWindow(key, at(20_000));
      expect(third).toMatchObject({ allowed: true, used: 3, remaining: 0, retryAt: T0 + windowMs });
      expect(await store.takeFromWindow(key, at(30_000))).toMatchObject({
        allowed: false,
        retryAt: T0 + windowMs,
      });
      expect(await store.peekWindow(key, at(30_000))).toEqual({
        used: 3,
        remaining: 0,
        retryAt: T0 + windowMs,
      });

      // Giving back the newest frees exactly its place, not the others.
      await store.giveBackToWindow(key, third.ticket!);
      expect(await store.peekWindow(key, at(30_000))).toEqual({ used: 2, remaining: 1, retryAt: null });
      await store.giveBackToWindow(key, 'not-a-ticket');
      expect(await store.peekWindow(key, at(30_000))).toMatchObject({ used: 2 });
      expect(await store.takeFromWindow(key, at(30_000))).toMatchObject({ allowed: true, used: 3 });

      // Once the first entry is older than the window, one place is free again.
      expect(await store.peekWindow(key, at(windowMs))).toEqual({ used: 2, remaining: 1, retryAt: null });
      expect(await store.takeFromWindow(key, at(windowMs))).toMatchObject({ allowed: true, used: 3 });
      expect(await store.peekWindow(key, at(10 * windowMs))).toEqual({
        used: 0,
        remaining: 3,
        retryAt: null,
      });
      expect(await store.peekWindow('never-used', at(0))).toEqual({ used: 0, remaining: 3, retryAt: null });
    });

    /** Three free failures, then 1 s, 2 s, 4 s …; failures remembered a day, places held 30 s. */
    const rules: AttemptRules = {
      free: 3,
      delayAfter: (failures) => (failures < 3 ? 0 : 1000 * 2 ** (failures - 3)),
      memoryMs: 24 * 3_600_000,
      leaseMs: 30_000,
    };
    const reserve = (key: string, now = T0) => store.reserveAttempt(key, now, rules);
    const settle = (key: string, ticket: string, outcome: AttemptOutcome, now = T0) =>
      store.settleAttempt(key, ticket, outcome, now, rules);
    const ticketOf = (reservation: AttemptReservation) => {
      if (reservation.status !== 'allowed') throw new Error(`expected allowed, got ${reservation.status}`);
      return reservation.ticket;
    };

    it('lets exactly the free places through a parallel burst; the rest are busy, never refused', async () => {
      await setUp();
      const burst = await Promise.all(Array.from({ length: 20 }, () => reserve('login:anna')));
      expect(burst.filter((r) => r.status === 'allowed')).toHaveLength(3);
      expect(burst.filter((r) => r.status === 'busy')).toHaveLength(17);
      // Right passwords settle: their places are free again and nothing was counted.
      await Promise.all(
        burst.map((r) => (r.status === 'allowed' ? settle('login:anna', r.ticket, 'success') : null)),
      );
      const again = await Promise.all(Array.from({ length: 3 }, () => reserve('login:anna')));
      expect(again.every((r) => r.status === 'allowed')).toBe(true);
    });

    it('counts failures exactly under parallel settles, then refuses until each growing delay ends', async () => {
      await setUp();
      const tickets = (await Promise.all(Array.from({ length: 3 }, () => reserve('login:cara')))).map(
        ticketOf,
      );
      await Promise.all(tickets.map((ticket) => settle('login:cara', ticket, 'failure', T0 + 10)));
      expect(await reserve('login:cara', T0 + 10)).toEqual({ status: 'refused', retryAt: T0 + 10 + 1000 });
      expect(await reserve('login:cara', T0 + 1009)).toMatchObject({ status: 'refused' });
      // Past the free failures, one check at a time: a second one waits for the first.
      const fourth = ticketOf(await reserve('login:cara', T0 + 1010));
      expect(await reserve('login:cara', T0 + 1010)).toEqual({ status: 'busy' });
      await settle('login:cara', fourth, 'failure', T0 + 1010);
      expect(await reserve('login:cara', T0 + 2000)).toEqual({
        status: 'refused',
        retryAt: T0 + 1010 + 2000,
      });
      // A success clears the count; a cancelled check counts nothing.
      const fifth = ticketOf(await reserve('login:cara', T0 + 3010));
      await settle('login:cara', fifth, 'success', T0 + 3010);
      const next = ticketOf(await reserve('login:cara', T0 + 3010));
      await settle('login:cara', next, 'cancelled', T0 + 3010);
      const burst = await Promise.all(Array.from({ length: 3 }, () => reserve('login:cara', T0 + 3010)));
      expect(burst.every((r) => r.status === 'allowed')).toBe(true);
    });

    it('frees a place held past its lease, and forgets failures after the counter window', async () => {
      await setUp();
      const held = await Promise.all(Array.from({ length: 3 }, () => reserve('login:dora')));
      expect(held.every((r) => r.status === 'allowed')).toBe(true);
      // The server that held them crashed: after the lease they count no more.
      expect(await reserve('login:dora', T0 + 29_999)).toEqual({ status: 'busy' });
      const late = ticketOf(await reserve('login:dora', T0 + 30_000));
      for (let i = 0; i < 3; i++)
        await settle(
          'login:dora',
          i === 0 ? late : ticketOf(await reserve('login:dora', T0 + 30_000)),
          'failure',
          T0 + 30_000,
        );
      expect(await reserve('login:dora', T0 + 30_000)).toMatchObject({ status: 'refused' });
      expect(await reserve('login:dora', T0 + 30_000 + rules.memoryMs)).toMatchObject({ status: 'allowed' });
    });

    it('every counter expires with its window: nothing is left in the backend afterwards', async () => {
      await setUp();
      const now = Date.now();
      // Long enough that a busy machine counts them all before they go.
      const short = { ...rules, memoryMs: 1500, leaseMs: 1500 };
      for (let i = 0; i < 10; i++) {
        await store.takeFromWindow(`forgot:${i}`, { limit: 5, windowMs: 1500, now });
        const reserved = await store.reserveAttempt(`login:${i}`, now, short);
        await store.settleAttempt(`login:${i}`, ticketOf(reserved), 'failure', now, short);
      }
      const kept = await store.takeFromWindow('kept', { limit: 5, windowMs: 3_600_000, now });
      expect(kept.allowed).toBe(true);
      // A backend's time to live runs from its write: the last one went no later than this.
      const written = Date.now();
      expect(await ctx.fixture.counterRecords()).toBe(21);
      await new Promise((resolve) => setTimeout(resolve, written + 1700 - Date.now()));
      await store.removeExpired();
      expect(await ctx.fixture.counterRecords()).toBe(1);
      expect(await store.peekWindow('kept', { limit: 5, windowMs: 3_600_000, now })).toMatchObject({
        used: 1,
      });
    });
  });
}
