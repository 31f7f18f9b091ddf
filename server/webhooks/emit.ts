/**
 * Events for the integrator's backend: each one queued, durably, for every enabled endpoint that
 * wants its type and may see one of the client's tenants, and sent by the dispatcher. The payload
 * names only tenants the endpoint may see, and never holds a password, hash, token or code.
 */
import { randomBytes } from 'node:crypto';
import { describeError } from '../background.js';
import type { Account } from '../domain.js';
import type { Deps } from '../deps.js';
import { sameIdentifier } from '../identifiers.js';
import type { WebhookEndpoint } from '../store/webhook-store.js';
import type { WebhookEventType } from './event-types.js';

/** The client an event is about: its id and tenants (taken before an erasure). */
export type EventSubject = Pick<Account, 'id' | 'tenants'>;

export interface EventOptions {
  /** The tenant the action happened in (a staff member's), named first when the endpoint may see it. */
  tenantId?: string | null;
}

function visibleTenants(endpoint: WebhookEndpoint, subject: EventSubject): string[] {
  return endpoint.tenants === null
    ? subject.tenants
    : subject.tenants.filter((t) => endpoint.tenants!.includes(t));
}

function wants(endpoint: WebhookEndpoint, type: WebhookEventType, subject: EventSubject): boolean {
  if (!endpoint.enabled || (endpoint.events !== null && !endpoint.events.includes(type))) return false;
  return endpoint.tenants === null || visibleTenants(endpoint, subject).length > 0;
}

/**
 * Queues the event; never throws (the member's or staff member's action has happened, and its
 * answer must not turn into an error), but logs an event it could not queue.
 */
export async function emitEvent(
  deps: Deps,
  type: WebhookEventType,
  subject: EventSubject,
  data: Record<string, unknown> = {},
  options: EventOptions = {},
): Promise<void> {
  try {
    const endpoints = (await deps.store.webhooks.listEndpoints()).filter((e) => wants(e, type, subject));
    if (endpoints.length === 0) return;
    const now = deps.clock.now();
    const eventId = `msg_${randomBytes(16).toString('base64url')}`;
    const timestamp = new Date(now).toISOString();
    // Each endpoint on its own: one that could not be written to does not cost the others.
    await Promise.all(
      endpoints.map(async (endpoint) => {
        const tenants = visibleTenants(endpoint, subject);
        const tenantId =
          options.tenantId && tenants.includes(options.tenantId) ? options.tenantId : tenants[0];
        const payload = JSON.stringify({
          type,
          timestamp,
          data: { clientId: subject.id, ...(tenantId ? { tenantId } : {}), tenants, ...data },
        });
        try {
          await deps.store.webhooks.enqueue(endpoint.id, { eventId, type, payload, createdAt: now });
        } catch (error) {
          const context = { err: describeError(error), type, clientId: subject.id, endpointId: endpoint.id };
          deps.logger.error(context, 'webhook event not queued');
        }
      }),
    );
    deps.webhooks.kick(endpoints.map((endpoint) => endpoint.id));
  } catch (error) {
    deps.logger.error({ err: describeError(error), type, clientId: subject.id }, 'webhook event not queued');
  }
}

/**
 * The events an account write implies by itself, whoever made it: a login disabled or enabled, an
 * address changed or confirmed. Emitted after the write, from the state before and after it.
 */
async function announceAccountChanges(
  deps: Deps,
  before: Account,
  after: Account,
  options: EventOptions = {},
): Promise<void> {
  if (before.loginEnabled !== after.loginEnabled) {
    await emitEvent(deps, after.loginEnabled ? 'login.enabled' : 'login.disabled', after, {}, options);
  }
  // An address given again in other letter case is the same address: no event.
  const sameAddress = sameIdentifier(before.email, after.email);
  if (!sameAddress) {
    await emitEvent(deps, 'email.changed', after, { email: after.email ?? null }, options);
  }
  const confirmedNow = after.emailConfirmed && after.email !== null;
  const confirmedBefore = before.emailConfirmed && sameAddress;
  if (confirmedNow && !confirmedBefore) {
    await emitEvent(deps, 'email.confirmed', after, { email: after.email }, options);
  }
}

/** `store.updateAccount`, then the events the write implies (see `announceAccountChanges`). */
export async function updateAccountAnnounced(
  deps: Deps,
  id: string,
  change: (current: Account) => Account,
  options: EventOptions = {},
): Promise<Account> {
  let before: Account | null = null;
  const after = await deps.store.updateAccount(id, (current) => {
    before = current;
    return change(current);
  });
  await announceAccountChanges(deps, before ?? after, after, options);
  return after;
}
