/**
 * Webhook endpoints and their delivery queues over the key-value store. A queue is a state record
 * (`next` number given, `head` oldest unfinished, the worker's lease) and one record per
 * delivery, so every step is a single-key atomic write: it holds on Redis Cluster and across
 * servers sharing Redis or PostgreSQL.
 */
import type { AtomicKv, UpdateStep } from './atomic-kv.js';
import { AppError } from '../errors.js';
import { guard } from './guard.js';
import { keys } from './kv-keys.js';
import type {
  Delivery,
  DeliveryAttempt,
  NewDelivery,
  WebhookEndpoint,
  WebhookStore,
} from './webhook-store.js';

interface QueueState {
  /** The last number given to a delivery (0: none yet). */
  next: number;
  /** The oldest delivery not yet finished. */
  head: number;
  lease: { worker: string; until: number } | null;
  /** Since when number `n`, the head then, has been found missing (reserved, not yet written). */
  missing?: { n: number; since: number };
}

/** A finished delivery stays in the log this long. */
const LOG_KEEP_MS = 30 * 24 * 60 * 60 * 1000;
/** A number reserved but never written (its server stopped in between) is skipped after this. */
const MISSING_GRACE_MS = 60_000;
/** Tries kept in a delivery's record (the first ones and then the latest). */
const ATTEMPTS_KEPT = 20;
/** Records read at once when listing a log. */
const LOG_BATCH = 50;

const EMPTY_QUEUE: QueueState = { next: 0, head: 1, lease: null };

function keepAttempts(attempts: DeliveryAttempt[]): DeliveryAttempt[] {
  return attempts.length <= ATTEMPTS_KEPT ? attempts : [attempts[0], ...attempts.slice(-(ATTEMPTS_KEPT - 1))];
}

export class KvWebhooks implements WebhookStore {
  constructor(private readonly kv: AtomicKv) {}

  listEndpoints(): Promise<WebhookEndpoint[]> {
    return guard(async () => {
      const ids = (await this.kv.get<{ ids: string[] }>(keys.webhookEndpoints))?.ids ?? [];
      const found = await this.kv.getMany<WebhookEndpoint>(ids.map((id) => keys.webhookEndpoint(id)));
      return found.filter((endpoint): endpoint is WebhookEndpoint => endpoint !== null);
    });
  }

  getEndpoint(id: string): Promise<WebhookEndpoint | null> {
    return guard(() => this.kv.get<WebhookEndpoint>(keys.webhookEndpoint(id)));
  }

  putEndpoint(endpoint: WebhookEndpoint): Promise<void> {
    return guard(async () => {
      await this.kv.set(keys.webhookEndpoint(endpoint.id), endpoint);
      await this.kv.update<{ ids: string[] }, void>(keys.webhookEndpoints, (current) => {
        const ids = current?.ids ?? [];
        return ids.includes(endpoint.id)
          ? { result: undefined }
          : { value: { ids: [...ids, endpoint.id] }, result: undefined };
      });
    });
  }

  changeEndpoint(
    id: string,
    change: (current: WebhookEndpoint) => WebhookEndpoint,
  ): Promise<WebhookEndpoint | null> {
    return guard(() =>
      this.kv.update<WebhookEndpoint, WebhookEndpoint | null>(keys.webhookEndpoint(id), (current) => {
        if (!current) return { result: null };
        const value = change(current);
        return { value, result: value };
      }),
    );
  }

  deleteEndpoint(id: string): Promise<boolean> {
    return guard(async () => {
      const removed = await this.kv.update<{ ids: string[] }, boolean>(keys.webhookEndpoints, (current) => {
        const ids = current?.ids ?? [];
        if (!ids.includes(id)) return { result: false };
        return { value: { ids: ids.filter((other) => other !== id) }, result: true };
      });
      const queue = await this.kv.get<QueueState>(keys.webhookQueue(id));
      await this.kv.delete(keys.webhookEndpoint(id));
      await this.kv.delete(keys.webhookQueue(id));
      // Unfinished deliveries have no expiry: remove them; the finished ones expire with the log.
      for (let n = queue?.head ?? 1; queue && n <= queue.next; n++)
        await this.kv.delete(keys.webhookDelivery(id, n));
      return removed;
    });
  }

  enqueue(endpointId: string, delivery: NewDelivery): Promise<Delivery> {
    return guard(async () => {
      const n = await this.kv.update<QueueState, number>(keys.webhookQueue(endpointId), (current) => {
        const state = current ?? EMPTY_QUEUE;
        return { value: { ...state, next: state.next + 1 }, result: state.next + 1 };
      });
      const record: Delivery = {
        ...delivery,
        n,
        endpointId,
        state: 'pending',
        attempts: [],
        nextAttemptAt: delivery.createdAt,
      };
      // Absent unless a worker gave the number up as never written (a minute later): then it is lost.
      if (!(await this.kv.setIfAbsent(keys.webhookDelivery(endpointId, n), record))) {
        throw new AppError('conflict', {
          message: `Webhook delivery ${n} of ${endpointId} was given up before it was written.`,
        });
      }
      return record;
    });
  }

  claimDue(endpointId: string, worker: string, now: number, leaseMs: number): Promise<Delivery | null> {
    return guard(async () => {
      const queueKey = keys.webhookQueue(endpointId);
      // Each turn finishes a step a stopped server left half done; a few at most in practice.
      for (let turn = 0; turn < 100; turn++) {
        const queue = await this.kv.get<QueueState>(queueKey);
        if (!queue || queue.head > queue.next) return null;
        if (queue.lease && queue.lease.until > now && queue.lease.worker !== worker) return null;
        const head = queue.head;
        const delivery = await this.kv.get<Delivery>(keys.webhookDelivery(endpointId, head));
        if (!delivery) {
          if (!(await this.skipMissing(endpointId, head, now))) return null;
          continue;
        }
        if (delivery.state !== 'pending') {
          await this.advancePast(endpointId, head);
          continue;
        }
        if (delivery.nextAttemptAt !== null && delivery.nextAttemptAt > now) return null;
        const claimed = await this.kv.update<QueueState, boolean>(queueKey, (current) => {
          if (!current || current.head !== head) return { result: false };
          if (current.lease && current.lease.until > now && current.lease.worker !== worker)
            return { result: false };
          return { value: { ...current, lease: { worker, until: now + leaseMs } }, result: true };
        });
        return claimed ? delivery : null;
      }
      return null;
    });
  }

  finishAttempt(
    endpointId: string,
    worker: string,
    n: number,
    outcome: { attempt: DeliveryAttempt; ok: boolean; nextAttemptAt: number | null },
    lease: { now: number; leaseMs: number },
  ): Promise<Delivery | null> {
    return guard(async () => {
      const final = outcome.nextAttemptAt === null;
      await this.kv.update<Delivery, void>(
        keys.webhookDelivery(endpointId, n),
        (current): UpdateStep<Delivery, void> => {
          if (!current) return { result: undefined };
          const value: Delivery = {
            ...current,
            attempts: keepAttempts([...current.attempts, outcome.attempt]),
            state: final ? (outcome.ok ? 'delivered' : 'failed') : 'pending',
            nextAttemptAt: outcome.nextAttemptAt,
          };
          return final ? { value, result: undefined, ttlMs: LOG_KEEP_MS } : { value, result: undefined };
        },
      );
      // Behind a finished delivery, the next one has never been tried: it is due, and this worker
      // goes on with it without giving the queue up in between.
      const waiting = final ? await this.kv.get<Delivery>(keys.webhookDelivery(endpointId, n + 1)) : null;
      const next = waiting?.state === 'pending' ? waiting : null;
      return this.kv.update<QueueState, Delivery | null>(keys.webhookQueue(endpointId), (current) => {
        if (!current) return { result: null };
        const ours = current.lease?.worker === worker;
        const head = final && current.head === n ? n + 1 : current.head;
        const keep = ours && next !== null && head === next.n;
        return {
          value: {
            ...current,
            head,
            lease: keep ? { worker, until: lease.now + lease.leaseMs } : ours ? null : current.lease,
          },
          result: keep ? next : null,
        };
      });
    });
  }

  release(endpointId: string, worker: string): Promise<void> {
    return guard(() =>
      this.kv.update<QueueState, void>(keys.webhookQueue(endpointId), (current) =>
        current?.lease?.worker === worker
          ? { value: { ...current, lease: null }, result: undefined }
          : { result: undefined },
      ),
    );
  }

  listDeliveries(endpointId: string, limit: number, before?: number): Promise<Delivery[]> {
    return guard(async () => {
      const queue = await this.kv.get<QueueState>(keys.webhookQueue(endpointId));
      if (!queue) return [];
      const found: Delivery[] = [];
      let top = Math.min(queue.next, before === undefined ? Infinity : before - 1);
      while (top >= 1 && found.length < limit) {
        const numbers = Array.from({ length: Math.min(LOG_BATCH, top) }, (_, i) => top - i);
        const batch = await this.kv.getMany<Delivery>(
          numbers.map((n) => keys.webhookDelivery(endpointId, n)),
        );
        const present = batch.filter((delivery): delivery is Delivery => delivery !== null);
        // Older ones have expired from the log.
        if (present.length === 0) break;
        found.push(...present);
        top -= numbers.length;
      }
      return found.slice(0, limit);
    });
  }

  /**
   * The head's number was reserved but its record has not come: after a minute, its writer is
   * taken for stopped and the number is passed. True when the caller should look again.
   */
  private async skipMissing(endpointId: string, head: number, now: number): Promise<boolean> {
    const waited = await this.kv.update<QueueState, boolean>(keys.webhookQueue(endpointId), (current) => {
      if (!current || current.head !== head) return { result: true };
      if (current.missing?.n !== head)
        return { value: { ...current, missing: { n: head, since: now } }, result: false };
      return { result: now - current.missing.since >= MISSING_GRACE_MS };
    });
    if (!waited) return false;
    // Taken in the log, so that a writer coming this late fails loudly instead of writing where
    // nobody looks; if it came just now, its delivery is there and goes out as any other.
    const lost: Delivery = {
      n: head,
      endpointId,
      eventId: '',
      type: 'unknown',
      payload: 'null',
      createdAt: now,
      state: 'failed',
      attempts: [],
      nextAttemptAt: null,
      lost: true,
    };
    const marked = await this.kv.update<Delivery, boolean>(
      keys.webhookDelivery(endpointId, head),
      (current) => (current ? { result: false } : { value: lost, result: true, ttlMs: LOG_KEEP_MS }),
    );
    if (marked) await this.advancePast(endpointId, head);
    return true;
  }

  private async advancePast(endpointId: string, n: number): Promise<void> {
    await this.kv.update<QueueState, void>(keys.webhookQueue(endpointId), (current) => {
      if (!current || current.head !== n) return { result: undefined };
      const { missing: _, ...rest } = current;
      return { value: { ...rest, head: n + 1 }, result: undefined };
    });
  }
}
