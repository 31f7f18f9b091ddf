/**
 * How the webhook endpoints appear in the OpenAPI document (`server/http/openapi.ts`): each route's
 * purpose, answer and error codes, kept beside the routes so they stay short.
 */
import * as answers from '../http/api-schemas.js';
import { documented } from '../http/openapi.js';

const endpoint = answers.described(
  'WebhookEndpoint',
  'An endpoint: id, url, events, enabled, secret hints; never the secret but once',
);

export const webhookDocs = {
  createWebhookEndpoint: documented({
    id: 'createWebhookEndpoint',
    summary: 'Add an endpoint; its signing secret is in this answer only',
    tag: 'Webhooks',
    answer: [201, endpoint, 'Created, with its `secret`'],
    input: true,
    security: 'provision',
  }),
  listWebhookEndpoints: documented({
    id: 'listWebhookEndpoints',
    summary: 'Every endpoint',
    tag: 'Webhooks',
    answer: [200, answers.described('WebhookEndpoints', '`{items}`: the endpoints'), 'The endpoints'],
    security: 'provision',
  }),
  getWebhookEndpoint: documented({
    id: 'getWebhookEndpoint',
    summary: 'One endpoint',
    tag: 'Webhooks',
    answer: [200, endpoint, 'The endpoint'],
    errors: ['not_found'],
    security: 'provision',
  }),
  updateWebhookEndpoint: documented({
    id: 'updateWebhookEndpoint',
    summary: "Change an endpoint's url, events or whether it is enabled",
    tag: 'Webhooks',
    answer: [200, endpoint, 'The endpoint as changed'],
    errors: ['not_found'],
    input: true,
    security: 'provision',
  }),
  deleteWebhookEndpoint: documented({
    id: 'deleteWebhookEndpoint',
    summary: 'Remove an endpoint and its pending deliveries',
    tag: 'Webhooks',
    answer: [204, null, 'Removed'],
    errors: ['not_found'],
    security: 'provision',
  }),
  rotateWebhookSecret: documented({
    id: 'rotateWebhookSecret',
    summary: 'A new signing secret; the old one keeps signing beside it for the overlap',
    tag: 'Webhooks',
    answer: [200, endpoint, 'The endpoint with its new `secret`'],
    errors: ['not_found'],
    input: true,
    security: 'provision',
  }),
  listWebhookDeliveries: documented({
    id: 'listWebhookDeliveries',
    summary: "An endpoint's deliveries, newest first",
    tag: 'Webhooks',
    answer: [
      200,
      answers.described('WebhookDeliveries', '`{items, next}`: deliveries with their attempts'),
      'A page of deliveries',
    ],
    errors: ['not_found'],
    input: true,
    security: 'provision',
  }),
  replayWebhookDeliveries: documented({
    id: 'replayWebhookDeliveries',
    summary: 'Send failed (or all finished) deliveries since a time again',
    tag: 'Webhooks',
    answer: [
      202,
      answers.described('WebhookReplay', '`{queued}`: how many deliveries were queued'),
      'Queued',
    ],
    errors: ['not_found'],
    input: true,
    security: 'provision',
  }),
};
