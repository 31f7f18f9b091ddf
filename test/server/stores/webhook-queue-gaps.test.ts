/**
 * A server that reserved a delivery's number and stopped before writing it must not stop its
 * endpoint's queue for good: the number is skipped after a minute, and a writer that comes back
 * later than that fails loudly instead of writing where nobody looks.
 */
import { describe, expect, it } from 'vitest';
import { keys } from '../../../server/store/kv-keys.js';
import { KvWebhooks } from '../../../server/store/kv-webhooks.js';
import { createMemoryKv } from '../../../server/store/memory-kv.js';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
const sent = { attempt: { at: T0, ms: 1, status: 200 }, ok: true, nextAttemptAt: null };
const event = (i: number) => ({
  eventId: `msg_${i}`,
  type: 'login.disabled',
  payload: `{"i":${i}}`,
  createdAt: T0,
});

describe('a delivery number reserved and never written', () => {
  it('holds the queue for a minute, then is skipped; its late writer is refused', async () => {
    const kv = createMemoryKv();
    const webhooks = new KvWebhooks(kv);
    // Number 1 reserved by a server that stopped there; number 2 written by another.
    await kv.update<{ next: number; head: number; lease: null }, void>(keys.webhookQueue('ep_1'), () => ({
      value: { next: 1, head: 1, lease: null },
      result: undefined,
    }));
    expect((await webhooks.enqueue('ep_1', event(2))).n).toBe(2);

    expect(await webhooks.claimDue('ep_1', 'w', T0, 30_000)).toBeNull();
    expect(await webhooks.claimDue('ep_1', 'w', T0 + 59_999, 30_000)).toBeNull();
    expect((await webhooks.claimDue('ep_1', 'w', T0 + 60_000, 30_000))?.eventId).toBe('msg_2');

    // The stopped server's write, had it come now, finds the number taken; the log says what happened.
    expect(await kv.setIfAbsent(keys.webhookDelivery('ep_1', 1), { late: true })).toBe(false);
    const log = await webhooks.listDeliveries('ep_1', 10);
    expect(log.map((d) => [d.n, d.state, d.lost ?? false])).toEqual([
      [2, 'pending', false],
      [1, 'failed', true],
    ]);
    await kv.close();
  });

  it('a writer that was only slow loses nothing, then or a minute later', async () => {
    const kv = createMemoryKv();
    const webhooks = new KvWebhooks(kv);
    const reserve = () =>
      kv.update<{ next: number; head: number; lease: null }, number>(keys.webhookQueue('ep_1'), (current) => {
        const state = current ?? { next: 0, head: 1, lease: null };
        return { value: { ...state, next: state.next + 1 }, result: state.next + 1 };
      });
    const write = (n: number) =>
      kv.set(keys.webhookDelivery('ep_1', n), {
        ...event(n),
        n,
        endpointId: 'ep_1',
        state: 'pending',
        attempts: [],
        nextAttemptAt: T0,
      });
    const deliver = async (now: number) => {
      const claimed = await webhooks.claimDue('ep_1', 'w', now, 30_000);
      if (claimed) await webhooks.finishAttempt('ep_1', 'w', claimed.n, sent, { now, leaseMs: 30_000 });
      return claimed?.eventId ?? null;
    };
    // Number 1 is seen missing, then written: it goes out.
    await reserve();
    expect(await deliver(T0)).toBeNull();
    await write(1);
    expect(await deliver(T0 + 1000)).toBe('msg_1');
    // Two minutes on, number 2 is missing for a moment: it is waited for, not given up at once.
    await reserve();
    expect(await deliver(T0 + 120_000)).toBeNull();
    await write(2);
    expect(await deliver(T0 + 120_500)).toBe('msg_2');
    await kv.close();
  });
});
