/**
 * How the staff endpoints appear in the OpenAPI document (`server/http/openapi.ts`): each route's
 * purpose, answer and error codes, kept beside the routes so they stay short.
 */
import * as answers from '../http/api-schemas.js';
import { documented } from '../http/openapi.js';

export const staffDocs = {
  searchClients: documented({
    id: 'searchClients',
    summary: "Search the tenant's clients by name, email or username",
    tag: 'Staff',
    answer: [200, answers.clientPage, 'A page of clients in name order'],
    input: true,
    security: 'staff',
  }),
  createClient: documented({
    id: 'createClient',
    summary: 'Add a client, with a password or a welcome mail',
    tag: 'Staff',
    answer: [201, answers.createdClient, 'Created'],
    errors: [
      'email_in_use',
      'username_in_use',
      'invalid_email',
      'password_rejected',
      'no_email',
      'mail_failed',
    ],
    input: true,
    security: 'staff',
  }),
  getClient: documented({
    id: 'getClient',
    summary: "A client's status and what staff may do",
    tag: 'Staff',
    answer: [200, answers.clientSummary, 'The client'],
    errors: ['not_found'],
    security: 'staff',
  }),
  updateClient: documented({
    id: 'updateClient',
    summary: "Change a client's name, email, login or email confirmation",
    tag: 'Staff',
    answer: [200, answers.clientSummary, 'The client as changed'],
    errors: [
      'not_found',
      'email_in_use',
      'invalid_email',
      'email_change_unavailable',
      'shared_client_unavailable',
      'email_not_vouched',
      'too_many_attempts',
    ],
    input: true,
    security: 'staff',
  }),
  setClientPassword: documented({
    id: 'setClientPassword',
    summary: 'Set a custom or random password, emailed, shown once or told in person',
    tag: 'Staff',
    answer: [200, answers.passwordOutcome, 'Set'],
    errors: [
      'not_found',
      'password_rejected',
      'temporary_unavailable',
      'custom_unavailable',
      'no_email',
      'mail_failed',
      'shared_client_unavailable',
    ],
    input: true,
    security: 'staff',
  }),
  sendResetLink: documented({
    id: 'sendResetLink',
    summary: 'Mail the client a reset link',
    tag: 'Staff',
    answer: [202, answers.linkSent, 'Sent'],
    errors: ['not_found', 'no_email', 'resend_limit', 'mail_failed'],
    security: 'staff',
  }),
  resendWelcome: documented({
    id: 'resendWelcome',
    summary: 'Mail an invited client the welcome link again',
    tag: 'Staff',
    answer: [202, answers.linkSent, 'Sent'],
    errors: ['not_found', 'no_email', 'resend_limit', 'mail_failed', 'conflict'],
    security: 'staff',
  }),
  listClientEvents: documented({
    id: 'listClientEvents',
    summary: "A client's recent activity, newest first",
    tag: 'Staff',
    answer: [200, answers.clientEvents, 'The events'],
    errors: ['not_found'],
    input: true,
    security: 'staff',
  }),
};
