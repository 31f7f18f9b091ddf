/** The one error type of the server: a stable code, an HTTP status and a human sentence. */

export type ErrorCode =
  | 'invalid_request'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'not_found'
  | 'unauthorized'
  | 'forbidden'
  | 'link_invalid'
  | 'link_expired'
  | 'link_used'
  | 'link_replaced'
  | 'link_revoked'
  | 'password_rejected'
  | 'invalid_credentials'
  | 'account_disabled'
  | 'email_not_confirmed'
  | 'too_many_attempts'
  | 'temporary_password_expired'
  | 'challenge_invalid'
  | 'session_invalid'
  | 'email_in_use'
  | 'username_in_use'
  | 'id_in_use'
  | 'invalid_email'
  | 'temporary_unavailable'
  | 'custom_unavailable'
  | 'email_change_unavailable'
  | 'no_email'
  | 'resend_limit'
  | 'mail_failed'
  | 'code_invalid'
  | 'storage_unavailable'
  | 'conflict'
  | 'internal_error';

const defaultStatus: Record<ErrorCode, number> = {
  invalid_request: 400,
  unsupported_media_type: 415,
  payload_too_large: 413,
  not_found: 404,
  unauthorized: 401,
  forbidden: 403,
  link_invalid: 400,
  link_expired: 410,
  link_used: 410,
  link_replaced: 410,
  link_revoked: 410,
  password_rejected: 422,
  invalid_credentials: 401,
  account_disabled: 403,
  email_not_confirmed: 403,
  too_many_attempts: 429,
  temporary_password_expired: 401,
  challenge_invalid: 401,
  session_invalid: 401,
  email_in_use: 409,
  username_in_use: 409,
  id_in_use: 409,
  invalid_email: 422,
  temporary_unavailable: 409,
  custom_unavailable: 409,
  email_change_unavailable: 409,
  no_email: 409,
  resend_limit: 429,
  mail_failed: 502,
  code_invalid: 400,
  storage_unavailable: 503,
  conflict: 409,
  internal_error: 500,
};

export const defaultMessages: Record<ErrorCode, string> = {
  invalid_request: 'The request is not valid.',
  unsupported_media_type: 'Send the body as application/json.',
  payload_too_large: 'The request body is too large.',
  not_found: 'Not found.',
  unauthorized: 'A valid staff token is required.',
  forbidden: 'This action is not allowed.',
  link_invalid: 'This link is not valid.',
  link_expired: 'This link has expired.',
  link_used: 'This link has already been used.',
  link_replaced: 'A newer link has been sent; use the most recent email.',
  link_revoked: 'This link is no longer valid because the account changed.',
  password_rejected: 'The password does not meet the rules.',
  invalid_credentials: 'Invalid username or password.',
  account_disabled: 'This account is disabled. Contact the front desk.',
  email_not_confirmed: 'Confirm your email address first: we sent you a link.',
  too_many_attempts: 'Too many attempts. Try again later.',
  temporary_password_expired: 'This temporary password has expired. Ask the front desk for a new one.',
  challenge_invalid: 'This password change request is no longer valid. Log in again.',
  session_invalid: 'The session is no longer valid. Log in again.',
  email_in_use: 'This email address is already in use.',
  username_in_use: 'This username is already in use.',
  id_in_use: 'This id is already in use.',
  invalid_email: 'This is not a valid email address.',
  temporary_unavailable:
    'This client belongs to more than one company: staff cannot set or see a password for it.',
  custom_unavailable:
    'Staff cannot choose the password for this client (it belongs to more than one company, or the company forbids it).',
  email_change_unavailable:
    'This client belongs to more than one company: its email can only be changed by the client or the integrating system.',
  no_email: 'This client has no email address on file.',
  resend_limit: 'At most 5 emails can be sent to a client in 24 hours.',
  mail_failed: 'The email could not be sent; nothing was changed.',
  code_invalid: 'The code is not valid.',
  storage_unavailable: 'The service is temporarily unavailable. Try again shortly.',
  conflict: 'The record changed at the same time; try again.',
  internal_error: 'Something went wrong on our side.',
};

export interface AppErrorOptions {
  message?: string;
  status?: number;
  /** Extra, non-secret fields merged into the error body (e.g. `rules`; `retryAfter` in seconds also becomes the `Retry-After` header). */
  details?: Record<string, unknown>;
  /** Response headers the HTTP layer adds (e.g. `WWW-Authenticate`); flows leave this empty. */
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.message ?? defaultMessages[code], { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? defaultStatus[code];
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }

  toBody(): { error: { code: ErrorCode; message: string } & Record<string, unknown> } {
    return { error: { ...this.details, code: this.code, message: this.message } };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
