/**
 * How the demo endpoints appear in the OpenAPI document (`server/http/openapi.ts`): each route's
 * purpose, answer and error codes, kept beside the routes so they stay short.
 */
import * as answers from '../http/api-schemas.js';
import { documented } from '../http/openapi.js';

export const demoDocs = {
  demoStaffToken: documented({
    id: 'demoStaffToken',
    summary: 'DEMO=1 only: a staff token for the demo tenant',
    tag: 'Demo',
    answer: [200, answers.described('DemoStaffToken', '`{token, tenant}`'), 'A token for 8 hours'],
    input: true,
  }),
  demoOutbox: documented({
    id: 'demoOutbox',
    summary: 'DEMO=1 only: the mail the server sent, newest first',
    tag: 'Demo',
    answer: [200, answers.described('DemoOutbox', '`{items}`: the mails'), 'The mails'],
    input: true,
  }),
  demoClients: documented({
    id: 'demoClients',
    summary: "DEMO=1 only: what a studio's own system knows of the demo clients",
    tag: 'Demo',
    answer: [200, answers.described('DemoClients', '`{items}`: id, plan, last visit'), 'The clients'],
  }),
  demoReset: documented({
    id: 'demoReset',
    summary: 'DEMO=1 only: put the demo data back as it was',
    tag: 'Demo',
    answer: [200, answers.ok, 'Reset'],
    input: true,
  }),
};
