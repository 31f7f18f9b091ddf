/** Webhook endpoints over provisioning (`/api/provision/webhooks`, the provisioning key already checked). */
import { Hono } from 'hono';
import { z } from 'zod';
import { DAY, HOUR } from '../clock.js';
import type { Deps } from '../deps.js';
import { webhookDocs } from './webhooks.docs.js';
import { validJson, validQuery } from '../http/guards.js';
import {
  createEndpoint,
  deleteEndpoint,
  deliveryView,
  endpointView,
  getEndpoint,
  listDeliveries,
  listEndpoints,
  replayDeliveries,
  rotateSecret,
  updateEndpoint,
} from '../flows/webhook-endpoints.js';
import { WEBHOOK_EVENT_TYPES } from '../webhooks/event-types.js';

const endpointFields = {
  url: z.string().max(2000),
  tenants: z.array(z.string().min(1).max(200)).min(1).max(100).nullish(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).nullish(),
  description: z.string().max(500).optional(),
  enabled: z.boolean().optional(),
};
const createBody = z.object(endpointFields).strict();
const updateBody = z.object(endpointFields).partial().strict();
const rotateBody = z
  .object({
    overlapHours: z
      .number()
      .min(0)
      .max(7 * 24)
      .optional(),
  })
  .strict();
const replayBody = z
  .object({
    /** ISO time; by default the last 24 h. */
    since: z.iso.datetime({ offset: true }).optional(),
    /** Every finished delivery, not only the failed ones. */
    all: z.boolean().optional(),
  })
  .strict();

export function webhookRoutes(deps: Deps) {
  return new Hono()
    .post('/', webhookDocs.createWebhookEndpoint, validJson(createBody), async (c) => {
      const { endpoint, secret } = await createEndpoint(deps, c.req.valid('json'));
      return c.json({ ...endpointView(endpoint), secret }, 201);
    })
    .get('/', webhookDocs.listWebhookEndpoints, async (c) =>
      c.json({ items: (await listEndpoints(deps)).map(endpointView) }),
    )
    .get('/:id', webhookDocs.getWebhookEndpoint, async (c) =>
      c.json(endpointView(await getEndpoint(deps, c.req.param('id')))),
    )
    .patch('/:id', webhookDocs.updateWebhookEndpoint, validJson(updateBody), async (c) =>
      c.json(endpointView(await updateEndpoint(deps, c.req.param('id'), c.req.valid('json')))),
    )
    .delete('/:id', webhookDocs.deleteWebhookEndpoint, async (c) => {
      await deleteEndpoint(deps, c.req.param('id'));
      return c.body(null, 204);
    })
    .post('/:id/rotate-secret', webhookDocs.rotateWebhookSecret, validJson(rotateBody), async (c) => {
      const hours = c.req.valid('json').overlapHours;
      const { endpoint, secret } = await rotateSecret(
        deps,
        c.req.param('id'),
        hours === undefined ? DAY : hours * HOUR,
      );
      return c.json({ ...endpointView(endpoint), secret });
    })
    .get(
      '/:id/deliveries',
      webhookDocs.listWebhookDeliveries,
      validQuery(
        z.object({
          limit: z.coerce.number().int().min(1).max(200).optional(),
          before: z.coerce.number().int().min(1).optional(),
        }),
      ),
      async (c) => {
        const { limit, before } = c.req.valid('query');
        const page = await listDeliveries(deps, c.req.param('id'), { limit: limit ?? 50, before });
        return c.json({ items: page.items.map(deliveryView), next: page.next });
      },
    )
    .post('/:id/replay', webhookDocs.replayWebhookDeliveries, validJson(replayBody), async (c) => {
      const { since, all } = c.req.valid('json');
      const options = { all, ...(since ? { since: Date.parse(since) } : {}) };
      return c.json(await replayDeliveries(deps, c.req.param('id'), options), 202);
    });
}
