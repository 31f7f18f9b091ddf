/**
 * Webhook settings from the environment: endpoints an operator configures (WEBHOOK_ENDPOINTS),
 * whether private addresses may be reached (development only), and the retry schedule.
 */
import { z } from 'zod';
import { HOUR } from '../clock.js';
import { endpointUrlProblem } from './endpoint-address.js';
import { WEBHOOK_EVENT_TYPES } from './event-types.js';

export interface ConfiguredEndpoint {
  url: string;
  secret: string;
  tenants?: string[];
  events?: string[];
}

export interface WebhookConfig {
  /** WEBHOOKS_ALLOW_PRIVATE=1: loopback, private and link-local addresses and http: URLs (development and tests). */
  allowPrivate: boolean;
  endpoints: ConfiguredEndpoint[];
  /** The wait before the second try; each later wait is three times the one before, up to 8 h. */
  firstRetryMs: number;
  /** A delivery is tried for this long, then given up (and can be replayed). */
  retryForMs: number;
  /** One try waits this long for the receiver's answer. */
  timeoutMs: number;
  /** How often each server looks for due deliveries (new events are sent at once by the server that made them). */
  pollMs: number;
}

const endpointSchema = z
  .object({
    url: z.url(),
    secret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/]{32,}={0,2}$/, 'a Standard Webhooks secret: whsec_ and base64'),
    tenants: z.array(z.string().min(1)).min(1).optional(),
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).optional(),
  })
  .strict();

/**
 * Reads WEBHOOK_ENDPOINTS (a JSON array); throws with a sentence naming what is wrong: a URL given
 * twice (each URL is one endpoint), or one a webhook may not go to.
 */
export function parseConfiguredEndpoints(
  text: string | undefined,
  allowPrivate: boolean,
): ConfiguredEndpoint[] {
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('WEBHOOK_ENDPOINTS must be a JSON array of {url, secret, tenants?, events?}.');
  }
  const parsed = z.array(endpointSchema).safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // The path and rule only: the value could be a secret.
    throw new Error(`WEBHOOK_ENDPOINTS: ${issue.path.join('.')}: ${issue.message}`);
  }
  const seen = new Set<string>();
  for (const [index, endpoint] of parsed.data.entries()) {
    const problem = endpointUrlProblem(endpoint.url, allowPrivate);
    if (problem) throw new Error(`WEBHOOK_ENDPOINTS: ${index}.url: the webhook URL ${problem}`);
    if (seen.has(endpoint.url)) throw new Error(`WEBHOOK_ENDPOINTS: ${index}.url: given twice`);
    seen.add(endpoint.url);
  }
  return parsed.data;
}

export function webhookConfig(env: {
  WEBHOOK_ENDPOINTS?: string;
  WEBHOOKS_ALLOW_PRIVATE?: string;
  WEBHOOKS_FIRST_RETRY_MS?: number;
  WEBHOOKS_RETRY_HOURS?: number;
  WEBHOOKS_TIMEOUT_MS?: number;
  WEBHOOKS_POLL_MS?: number;
}): WebhookConfig {
  const allowPrivate = env.WEBHOOKS_ALLOW_PRIVATE === '1' || env.WEBHOOKS_ALLOW_PRIVATE === 'true';
  return {
    allowPrivate,
    endpoints: parseConfiguredEndpoints(env.WEBHOOK_ENDPOINTS, allowPrivate),
    firstRetryMs: env.WEBHOOKS_FIRST_RETRY_MS ?? 10_000,
    retryForMs: (env.WEBHOOKS_RETRY_HOURS ?? 24) * HOUR,
    timeoutMs: env.WEBHOOKS_TIMEOUT_MS ?? 10_000,
    pollMs: env.WEBHOOKS_POLL_MS ?? 1000,
  };
}
