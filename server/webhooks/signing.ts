/** Standard Webhooks signing (`webhook-id`, `webhook-timestamp`, `webhook-signature`), by its reference library. */
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { WebhookSecret } from '../store/webhook-store.js';

/** 32 random bytes, written as Standard Webhooks secrets are: `whsec_` and base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/**
 * The headers of one try: a signature by every secret valid at `at`, space-separated, so a
 * receiver that knows either the old or the new secret accepts it while a rotation is under way.
 */
export function signedHeaders(
  secrets: WebhookSecret[],
  eventId: string,
  at: Date,
  payload: string,
): Record<string, string> {
  const valid = secrets.filter((secret) => secret.until === undefined || secret.until > at.getTime());
  return {
    'webhook-id': eventId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': valid.map(({ secret }) => new Webhook(secret).sign(eventId, at, payload)).join(' '),
  };
}
