/**
 * The store contract for webhook queues: one worker at a time on a queue (however many claim at
 * once), deliveries in order, a failing one holding the ones behind it, and the log
 * newest first.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../store.js';
import type { WebhookEndpoint } from '../webhook-store.js';
import { T0 } from './records.js';
import type { SuiteContext } from './context.js';

const LEASE = 30_000;
const endpoint = (id = 'ep_1'): WebhookEndpoint => ({
  id,
  url: 'https://hooks.example.com/reset',
  tenants: null,
  events: null,
  secrets: [{ secret: 'whsec_c2VjcmV0' }],
  enabled: true,
  source: 'api',
  createdAt: T0,
  updatedAt: T0,
});
const event = (i: number) => ({
  eventId: `msg_${i}`,
  type: 'login.disabled',
  payload: `{"i":${i}}`,
  createdAt: T0,
});
const sent = (ok: boolean, nextAttemptAt: number | null) => ({
  attempt: { at: T0, ms: 1, ...(ok ? { status: 200 } : { status: 503, error: 'HTTP 503' }) },
  ok,
  nextAttemptAt,
});

export function webhookTests(ctx: SuiteContext): void {
  let store: Store;
  const setUp = async (): Promise<void> => {
    await ctx.setUp();
    store = ctx.store;
    await store.webhooks.putEndpoint(endpoint());
  };

  describe('webhook queues', () => {
    it('keeps endpoints, and forgets a deleted one with its queue', async () => {
      await setUp();
      await store.webhooks.putEndpoint(endpoint('ep_2'));
      await store.webhooks.putEndpoint({ ...endpoint('ep_2'), enabled: false });
      expect((await store.webhooks.listEndpoints()).map((e) => [e.id, e.enabled])).toEqual([
        ['ep_1', true],
        ['ep_2', false],
      ]);
      await store.webhooks.enqueue('ep_2', event(1));
      expect(await store.webhooks.deleteEndpoint('ep_2')).toBe(true);
      expect(await store.webhooks.deleteEndpoint('ep_2')).toBe(false);
      expect(await store.webhooks.getEndpoint('ep_2')).toBeNull();
      expect(await store.webhooks.listDeliveries('ep_2', 10)).toEqual([]);
    });

    // Two servers on one store are tested with real processes on Redis and PostgreSQL.
    it('gives a due delivery to one of 10 workers claiming at once', async () => {
      await setUp();
      await store.webhooks.enqueue('ep_1', event(1));
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => store.webhooks.claimDue('ep_1', `w${i}`, T0, LEASE)),
      );
      expect(claims.filter((claim) => claim !== null)).toHaveLength(1);
      // Nobody else gets it while the lease lasts; anyone does once it has run out.
      expect(await store.webhooks.claimDue('ep_1', 'late', T0 + LEASE - 1, LEASE)).toBeNull();
      expect((await store.webhooks.claimDue('ep_1', 'late', T0 + LEASE + 1, LEASE))?.eventId).toBe('msg_1');
    });

    it('goes in order: the next one is handed over with the finished one, and waits behind a failing one', async () => {
      await setUp();
      for (let i = 1; i <= 3; i++) await store.webhooks.enqueue('ep_1', event(i));
      const first = await store.webhooks.claimDue('ep_1', 'w', T0, LEASE);
      expect(first?.n).toBe(1);
      const second = await store.webhooks.finishAttempt('ep_1', 'w', 1, sent(true, null), {
        now: T0,
        leaseMs: LEASE,
      });
      expect(second?.eventId).toBe('msg_2');
      expect(await store.webhooks.claimDue('ep_1', 'other', T0, LEASE)).toBeNull();
      const retryAt = T0 + 10_000;
      expect(
        await store.webhooks.finishAttempt('ep_1', 'w', 2, sent(false, retryAt), { now: T0, leaseMs: LEASE }),
      ).toBeNull();
      expect(await store.webhooks.claimDue('ep_1', 'other', retryAt - 1, LEASE)).toBeNull();
      expect((await store.webhooks.claimDue('ep_1', 'other', retryAt, LEASE))?.n).toBe(2);
      const log = await store.webhooks.listDeliveries('ep_1', 10);
      expect(log.map((d) => [d.n, d.state, d.attempts.length])).toEqual([
        [3, 'pending', 0],
        [2, 'pending', 1],
        [1, 'delivered', 1],
      ]);
      expect((await store.webhooks.listDeliveries('ep_1', 1, 3)).map((d) => d.n)).toEqual([2]);
    });
  });
}
