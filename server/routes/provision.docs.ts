/**
 * How the provisioning endpoints appear in the OpenAPI document (`server/http/openapi.ts`): each route's
 * purpose, answer and error codes, kept beside the routes so they stay short.
 */
import * as answers from '../http/api-schemas.js';
import { documented } from '../http/openapi.js';

export const provisionDocs = {
  putTenant: documented({
    id: 'putTenant',
    summary: 'Create or update a tenant (name, brand, language, links, password rules)',
    tag: 'Provisioning',
    answer: [200, answers.described('Tenant', 'The tenant as stored (201 when created)'), 'Updated'],
    input: true,
    security: 'provision',
  }),
  putClient: documented({
    id: 'putClient',
    summary: 'Create or update a client by your id, with an imported password hash if you have one',
    tag: 'Provisioning',
    answer: [200, answers.clientSummary, 'Updated (201 when created)'],
    errors: ['email_in_use', 'username_in_use', 'invalid_email', 'id_in_use'],
    input: true,
    security: 'provision',
  }),
  importClients: documented({
    id: 'importClients',
    summary: 'Provision many clients from NDJSON, one result line per input line',
    description: 'Send `application/x-ndjson`, one client per line; the answer streams one result per line.',
    tag: 'Provisioning',
    answer: [200, null, 'NDJSON results, one per line, in order'],
    errors: ['unsupported_media_type'],
    security: 'provision',
  }),
  eraseClient: documented({
    id: 'eraseClient',
    summary: 'Erase a client and their personal data',
    tag: 'Provisioning',
    answer: [204, null, 'Erased'],
    errors: ['not_found'],
    security: 'provision',
  }),
  exportClient: documented({
    id: 'exportClient',
    summary: 'Everything stored about a client (a subject access request), without secrets',
    tag: 'Provisioning',
    answer: [200, answers.described('ClientData', "The client's record and activity"), 'The data'],
    errors: ['not_found'],
    security: 'provision',
  }),
};
