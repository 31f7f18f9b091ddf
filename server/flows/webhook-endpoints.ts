/**
 * The integrator's webhook endpoints: registered over provisioning (or configured with
 * WEBHOOK_ENDPOINTS), each with its secret shown once, rotated with a day's overlap, its delivery
 * log, and replay of what it missed.
 */
import { createHash, randomBytes } from 'node:crypto';
import { DAY } from '../clock.js';
import type { Deps } from '../deps.js';
import { AppError } from '../errors.js';
import { invalidFieldText } from '../text.js';
import type { Delivery, WebhookEndpoint } from '../store/webhook-store.js';
import { AddressRefused, endpointUrlProblem, resolvePublic } from '../webhooks/endpoint-address.js';
import { newWebhookSecret } from '../webhooks/signing.js';

export interface EndpointInput {
  url: string;
  tenants?: string[] | null;
  events?: string[] | null;
  description?: string;
  enabled?: boolean;
}

/** An endpoint as the API shows it: never its secrets. */
export function endpointView({ secrets, createdAt, updatedAt, ...endpoint }: WebhookEndpoint) {
  const rotating = secrets.find((secret) => secret.until !== undefined);
  return {
    ...endpoint,
    createdAt: new Date(createdAt).toISOString(),
    updatedAt: new Date(updatedAt).toISOString(),
    ...(rotating?.until ? { previousSecretValidUntil: new Date(rotating.until).toISOString() } : {}),
  };
}

/** A delivery as its log shows it: what was sent and how each try went. */
export function deliveryView(delivery: Delivery) {
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    id: delivery.n,
    eventId: delivery.eventId,
    type: delivery.type,
    state: delivery.state,
    createdAt: iso(delivery.createdAt),
    nextAttemptAt: delivery.nextAttemptAt === null ? null : iso(delivery.nextAttemptAt),
    attempts: delivery.attempts.map((attempt) => ({ ...attempt, at: iso(attempt.at) })),
    payload: JSON.parse(delivery.payload) as unknown,
    ...(delivery.replayOf ? { replayOf: delivery.replayOf } : {}),
    ...(delivery.lost ? { lost: true } : {}),
  };
}

function invalidUrl(detail: string): AppError {
  return new AppError('invalid_request', {
    translations: invalidFieldText('url', `the webhook URL ${detail}`),
    details: { fields: ['url'] },
  });
}

/** Refuses a URL a webhook must not go to, looking its name up as a delivery would. */
async function requireSafeUrl(deps: Deps, url: string): Promise<void> {
  const allowPrivate = deps.config.webhooks.allowPrivate;
  const problem = endpointUrlProblem(url, allowPrivate);
  if (problem) throw invalidUrl(problem);
  try {
    await resolvePublic(new URL(url).hostname, allowPrivate);
  } catch (error) {
    if (error instanceof AddressRefused)
      throw invalidUrl('must not point to a private, loopback or link-local address');
    throw invalidUrl('has a host name that does not resolve');
  }
}

/** One endpoint as the API shows it. */
export async function getEndpoint(deps: Deps, id: string): Promise<WebhookEndpoint> {
  const endpoint = await deps.store.webhooks.getEndpoint(id);
  if (!endpoint) throw new AppError('not_found');
  return endpoint;
}

export function listEndpoints(deps: Deps): Promise<WebhookEndpoint[]> {
  return deps.store.webhooks.listEndpoints();
}

function requireManagedHere(endpoint: WebhookEndpoint): void {
  if (endpoint.source === 'config') {
    throw new AppError('conflict', {
      message: 'This endpoint is configured with WEBHOOK_ENDPOINTS: change it there.',
    });
  }
}

export async function createEndpoint(
  deps: Deps,
  input: EndpointInput,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  await requireSafeUrl(deps, input.url);
  const now = deps.clock.now();
  const secret = newWebhookSecret();
  const endpoint: WebhookEndpoint = {
    id: `ep_${randomBytes(12).toString('base64url')}`,
    url: input.url,
    tenants: input.tenants ?? null,
    events: input.events ?? null,
    secrets: [{ secret }],
    enabled: input.enabled ?? true,
    ...(input.description ? { description: input.description } : {}),
    source: 'api',
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.webhooks.putEndpoint(endpoint);
  return { endpoint, secret };
}

export async function updateEndpoint(
  deps: Deps,
  id: string,
  input: Partial<EndpointInput>,
): Promise<WebhookEndpoint> {
  if (input.url !== undefined) await requireSafeUrl(deps, input.url);
  const now = deps.clock.now();
  return requireChanged(
    await deps.store.webhooks.changeEndpoint(id, (endpoint) => {
      requireManagedHere(endpoint);
      return {
        ...endpoint,
        ...(input.url !== undefined ? { url: input.url } : {}),
        ...(input.tenants !== undefined ? { tenants: input.tenants } : {}),
        ...(input.events !== undefined ? { events: input.events } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        updatedAt: now,
      };
    }),
  );
}

function requireChanged(endpoint: WebhookEndpoint | null): WebhookEndpoint {
  if (!endpoint) throw new AppError('not_found');
  return endpoint;
}

export async function deleteEndpoint(deps: Deps, id: string): Promise<void> {
  requireManagedHere(await getEndpoint(deps, id));
  await deps.store.webhooks.deleteEndpoint(id);
}

/**
 * A new secret, shown once; the current one goes on signing beside it for `overlapMs` (a day by
 * default), so the receiver can switch without missing an event.
 */
export async function rotateSecret(
  deps: Deps,
  id: string,
  overlapMs: number = DAY,
): Promise<{ endpoint: WebhookEndpoint; secret: string }> {
  const now = deps.clock.now();
  const secret = newWebhookSecret();
  const endpoint = requireChanged(
    await deps.store.webhooks.changeEndpoint(id, (current) => {
      requireManagedHere(current);
      const signing = current.secrets.filter((s) => s.until === undefined);
      // Only the newest one overlaps: a second rotation ends the first one's grace.
      const secrets = [...signing.map((s) => ({ ...s, until: now + overlapMs })), { secret }].slice(-2);
      return { ...current, secrets, updatedAt: now };
    }),
  );
  return { endpoint, secret };
}

export async function listDeliveries(
  deps: Deps,
  id: string,
  page: { limit: number; before?: number },
): Promise<{ items: Delivery[]; next: number | null }> {
  await getEndpoint(deps, id);
  const items = await deps.store.webhooks.listDeliveries(id, page.limit + 1, page.before);
  const shown = items.slice(0, page.limit);
  return { items: shown, next: items.length > page.limit ? shown[shown.length - 1].n : null };
}

/**
 * Sends again, as new deliveries with the same event ids (receivers that already have one can
 * tell), the endpoint's deliveries made since `since` (by default the last day): the failed
 * ones, or every finished one with `all`.
 */
export async function replayDeliveries(
  deps: Deps,
  id: string,
  options: { since?: number; all?: boolean },
): Promise<{ queued: number }> {
  const since = options.since ?? deps.clock.now() - DAY;
  await getEndpoint(deps, id);
  const chosen: Delivery[] = [];
  let before: number | undefined;
  for (;;) {
    const page = await deps.store.webhooks.listDeliveries(id, 200, before);
    const recent = page.filter((delivery) => delivery.createdAt >= since);
    const wanted = (d: Delivery) => !d.lost && (options.all ? d.state !== 'pending' : d.state === 'failed');
    chosen.push(...recent.filter(wanted));
    if (page.length < 200 || recent.length < page.length) break;
    before = page[page.length - 1].n;
  }
  const now = deps.clock.now();
  // Oldest first, as they happened.
  for (const delivery of chosen.reverse()) {
    await deps.store.webhooks.enqueue(id, {
      eventId: delivery.eventId,
      type: delivery.type,
      payload: delivery.payload,
      createdAt: now,
      replayOf: delivery.n,
    });
  }
  if (chosen.length > 0) deps.webhooks.kick([id]);
  return { queued: chosen.length };
}

/** The id a configured endpoint keeps from one start to the next: its URL's. */
function configuredId(url: string): string {
  return `cfg_${createHash('sha256').update(url).digest('base64url').slice(0, 16)}`;
}

/** Makes the store's configured endpoints those of WEBHOOK_ENDPOINTS (called at start). */
export async function syncConfiguredEndpoints(deps: Deps): Promise<void> {
  const now = deps.clock.now();
  const existing = (await deps.store.webhooks.listEndpoints()).filter((e) => e.source === 'config');
  const wanted = deps.config.webhooks.endpoints;
  for (const configured of wanted) {
    const id = configuredId(configured.url);
    const before = existing.find((e) => e.id === id);
    await deps.store.webhooks.putEndpoint({
      id,
      url: configured.url,
      tenants: configured.tenants ?? null,
      events: configured.events ?? null,
      secrets: [{ secret: configured.secret }],
      enabled: true,
      source: 'config',
      createdAt: before?.createdAt ?? now,
      updatedAt: now,
    });
  }
  const kept = new Set(wanted.map((e) => configuredId(e.url)));
  for (const gone of existing.filter((e) => !kept.has(e.id)))
    await deps.store.webhooks.deleteEndpoint(gone.id);
}
