/**
 * How the member endpoints appear in the OpenAPI document (`server/http/openapi.ts`): each route's
 * purpose, answer and error codes, kept beside the routes so they stay short.
 */
import * as answers from '../http/api-schemas.js';
import { documented } from '../http/openapi.js';
import type { ErrorCode } from '../errors.js';

/** What a link that cannot be used answers. */
const LINK_ERRORS: ErrorCode[] = [
  'link_invalid',
  'link_expired',
  'link_used',
  'link_replaced',
  'link_revoked',
];

export const memberDocs = {
  getPasswordPolicy: documented({
    id: 'getPasswordPolicy',
    summary: "The password rules (a tenant's, or the server's)",
    tag: 'Member',
    answer: [200, answers.passwordPolicy, 'The rules, in the order to list them'],
    input: true,
  }),
  requestPasswordReset: documented({
    id: 'requestPasswordReset',
    summary: 'Mail a reset link and code, if the identifier is known',
    description: 'Always 202 with the same body, whether or not an account matches.',
    tag: 'Member',
    answer: [202, answers.ok, 'Accepted (a mail leaves if an account matches)'],
    input: true,
  }),
  inspectLink: documented({
    id: 'inspectLink',
    summary: 'What a mailed link is for, without using it',
    tag: 'Member',
    answer: [200, answers.linkInspection, 'The link is usable'],
    errors: LINK_ERRORS,
    input: true,
  }),
  renewLink: documented({
    id: 'renewLink',
    summary: 'Mail a fresh link in place of an expired, replaced or revoked one',
    tag: 'Member',
    answer: [202, answers.ok, 'Accepted (a mail leaves if the account can still use one)'],
    errors: ['link_invalid', 'too_many_attempts'],
    input: true,
  }),
  resetPassword: documented({
    id: 'resetPassword',
    summary: 'Set a new password with a mailed link (token) or code',
    tag: 'Member',
    answer: [200, answers.ok, 'The password is set; other sessions end'],
    errors: [...LINK_ERRORS, 'code_invalid', 'password_rejected', 'too_many_attempts'],
    input: true,
  }),
  verifyEmail: documented({
    id: 'verifyEmail',
    summary: 'Confirm an email address with its mailed link',
    tag: 'Member',
    answer: [200, answers.ok, 'Confirmed'],
    errors: LINK_ERRORS,
    input: true,
  }),
  logIn: documented({
    id: 'logIn',
    summary: 'Log a member in',
    description: 'A temporary or one-time password answers `password_change_required` with a challenge.',
    tag: 'Member',
    answer: [200, answers.loginAnswer, 'Logged in, or a password change is required first'],
    errors: [
      'invalid_credentials',
      'account_disabled',
      'email_not_confirmed',
      'too_many_attempts',
      'temporary_password_expired',
      'server_busy',
    ],
    input: true,
  }),
  completeForcedChange: documented({
    id: 'completeForcedChange',
    summary: 'Set a new password after a temporary or one-time one',
    tag: 'Member',
    answer: [200, answers.issuedSession, 'Changed; a fresh session'],
    errors: ['challenge_invalid', 'password_rejected', 'temporary_password_expired'],
    input: true,
  }),
  changePassword: documented({
    id: 'changePassword',
    summary: 'A logged-in member changes their password',
    tag: 'Member',
    answer: [200, answers.passwordChanged, 'Changed; a fresh session (other sessions end)'],
    errors: ['invalid_credentials', 'password_rejected', 'too_many_attempts'],
    input: true,
    security: 'session',
  }),
  logOut: documented({
    id: 'logOut',
    summary: "End the member's session",
    tag: 'Member',
    answer: [204, null, 'Ended'],
    security: 'session',
  }),
  getSession: documented({
    id: 'getSession',
    summary: "The session's claims, if it is still valid",
    tag: 'Member',
    answer: [200, answers.sessionClaims, 'Valid'],
    security: 'session',
  }),
};
