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

    // The stopped server's write, had it come now, finds the number taken.
    expect(await kv.setIfAbsent(keys.webhookDelivery('ep_1', 1), { late: true })).toBe(false);
    await kv.close();
  });
});
