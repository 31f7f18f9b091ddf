/**
 * Works the delivery queues: every server runs one, and the store's leases make sure one delivery
 * goes out once however many there are. New events are sent at once by the server that queued
 * them (`kick`); each server also looks for due retries every `pollMs`.
 *
 * Retries back off exponentially (first wait `firstRetryMs`, then three times longer each time,
 * at most 8 h) for `retryForMs` (24 h) from when the event happened, the last try at that mark;
 * then the delivery is failed, and can be replayed.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { HOUR } from '../clock.js';
import { describeError } from '../background.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../logger.js';
import type { Store } from '../store/store.js';
import type { Delivery, WebhookEndpoint } from '../store/webhook-store.js';
import type { SendWebhook } from './sender.js';
import { signedHeaders } from './signing.js';
import type { WebhookConfig } from './webhook-config.js';

const LONGEST_WAIT_MS = 8 * HOUR;

/** When the try after `tries` failed tries is due, or null when the delivery's time is up. */
export function nextTryAt(
  config: WebhookConfig,
  delivery: Delivery,
  tries: number,
  now: number,
): number | null {
  const end = delivery.createdAt + config.retryForMs;
  if (now >= end) return null;
  const wait = Math.min(config.firstRetryMs * 3 ** (tries - 1), LONGEST_WAIT_MS);
  return Math.min(now + wait, end);
}

export class WebhookDispatcher {
  /** This server's name on the leases it takes. */
  readonly worker = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private timer: ReturnType<typeof setInterval> | null = null;
  private stopping = false;
  /** One drain per endpoint at a time in this server, so it never sends a delivery it is sending. */
  private readonly draining = new Map<string, Promise<number>>();
  /** Endpoints kicked while draining: drained again right after, for what came meanwhile. */
  private readonly again = new Set<string>();
  /** Endpoints whose last try failed and will be tried again: their queues wait (the backlog). */
  private readonly retrying = new Set<string>();

  constructor(
    private readonly store: Store,
    private readonly send: SendWebhook,
    private readonly config: WebhookConfig,
    private readonly clock: Clock,
    private readonly logger: Logger,
    /** Told of each try's outcome (the metrics count them). */
    private readonly onAttempt: (ok: boolean) => void = () => undefined,
  ) {}

  /** How many endpoints wait behind a failed delivery in this server. */
  get endpointsRetrying(): number {
    return this.retrying.size;
  }

  /** Starts looking for due deliveries every `pollMs`. */
  start(): void {
    if (this.timer) return;
    this.stopping = false;
    this.timer = setInterval(() => this.kick(), this.config.pollMs);
    this.timer.unref();
    this.kick();
  }

  /**
   * Drains now: the endpoints an event was just queued for (`only`), or every one (each poll).
   */
  kick(only?: string[]): void {
    if (!this.timer) return;
    void this.runOnce(only).catch((error: unknown) =>
      this.logger.warn({ err: describeError(error) }, 'webhook pass failed; the next one tries again'),
    );
  }

  /**
   * Drains every enabled endpoint (or those of `only`), each on its own (a slow or dead receiver
   * holds up only its own queue); resolves once they are done, with how many tries they made.
   */
  async runOnce(only?: string[]): Promise<number> {
    const endpoints = (await this.store.webhooks.listEndpoints()).filter(
      (endpoint) => endpoint.enabled && (!only || only.includes(endpoint.id)),
    );
    // A removed or disabled endpoint's queue no longer waits.
    if (!only)
      for (const id of this.retrying)
        if (!endpoints.some((endpoint) => endpoint.id === id)) this.retrying.delete(id);
    const runs = await Promise.allSettled(endpoints.map((endpoint) => this.drainOnce(endpoint)));
    return runs.reduce((sum, run) => sum + (run.status === 'fulfilled' ? run.value : 0), 0);
  }

  /** Stops polling and waits for the tries under way (each drain stops after its current one). */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.draining.values()]);
  }

  private drainOnce(endpoint: WebhookEndpoint): Promise<number> {
    const running = this.draining.get(endpoint.id);
    if (running) {
      this.again.add(endpoint.id);
      return running;
    }
    const run = (async () => {
      let tries = 0;
      do {
        this.again.delete(endpoint.id);
        tries += await this.drain(endpoint).catch((error: unknown) => {
          this.logger.warn(
            { err: describeError(error), endpointId: endpoint.id },
            'webhook queue not drained',
          );
          return 0;
        });
      } while (this.again.has(endpoint.id) && !this.stopping);
      return tries;
    })().finally(() => this.draining.delete(endpoint.id));
    this.draining.set(endpoint.id, run);
    return run;
  }

  private async drain(endpoint: WebhookEndpoint): Promise<number> {
    // Long enough for one try and its bookkeeping; a server that dies holding it frees it then.
    const leaseMs = this.config.timeoutMs + 30_000;
    let tries = 0;
    let delivery = await this.store.webhooks.claimDue(endpoint.id, this.worker, this.clock.now(), leaseMs);
    while (delivery) {
      tries++;
      const { ok, nextAttemptAt, next } = await this.tryOnce(endpoint, delivery, leaseMs);
      this.onAttempt(ok);
      if (!ok && nextAttemptAt !== null) this.retrying.add(endpoint.id);
      else this.retrying.delete(endpoint.id);
      // The queue waits behind its oldest delivery: the next ones go after it, in order.
      if ((!ok && nextAttemptAt !== null) || this.stopping) {
        if (next) await this.store.webhooks.release(endpoint.id, this.worker);
        return tries;
      }
      delivery =
        next ?? (await this.store.webhooks.claimDue(endpoint.id, this.worker, this.clock.now(), leaseMs));
    }
    return tries;
  }

  /** Sends one claimed delivery and records how it went; `next` is the delivery that follows, already held. */
  private async tryOnce(endpoint: WebhookEndpoint, delivery: Delivery, leaseMs: number) {
    const at = new Date(this.clock.now());
    const result = await this.send(
      endpoint.url,
      signedHeaders(endpoint.secrets, delivery.eventId, at, delivery.payload),
      delivery.payload,
    );
    const attempt = {
      at: at.getTime(),
      ms: result.ms,
      ...(result.status !== undefined ? { status: result.status } : {}),
      ...(result.error ? { error: result.error } : {}),
    };
    const now = this.clock.now();
    const nextAttemptAt = result.ok
      ? null
      : nextTryAt(this.config, delivery, delivery.attempts.length + 1, now);
    const next = await this.store.webhooks.finishAttempt(
      endpoint.id,
      this.worker,
      delivery.n,
      { attempt, ok: result.ok, nextAttemptAt },
      { now, leaseMs },
    );
    if (!result.ok) {
      this.logger.warn(
        {
          endpointId: endpoint.id,
          delivery: delivery.n,
          type: delivery.type,
          error: result.error,
          willRetry: nextAttemptAt !== null,
        },
        'webhook delivery failed',
      );
    }
    return { ok: result.ok, nextAttemptAt, next };
  }
}
