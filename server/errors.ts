/** The one error type of the server: a stable code, an HTTP status and a human sentence. */
import type { Locale } from './domain.js';
import { en } from './locales/en.js';

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
  | 'server_busy'
  | 'shared_client_unavailable'
  | 'email_not_vouched'
  | 'conflict'
  | 'internal_error';

/** The HTTP status of each code (the OpenAPI document lists codes under these). */
export const errorStatus: Readonly<Record<ErrorCode, number>> = {
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
  server_busy: 503,
  shared_client_unavailable: 409,
  email_not_vouched: 409,
  conflict: 409,
  internal_error: 500,
};

/**
 * One human sentence per code, in English, written for the people who read it (members and staff),
 * and what logs show. Answers use the caller's language: every language's are in `locales/`.
 */
export const defaultMessages: Record<ErrorCode, string> = en.errors;

export interface AppErrorOptions {
  message?: string;
  /** The specific sentence in each language the server speaks (`message` is the English one). */
  translations?: Partial<Record<Locale, string>>;
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
  readonly translations: Partial<Record<Locale, string>>;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    super(options.translations?.en ?? options.message ?? defaultMessages[code], { cause: options.cause });
    this.translations = options.translations ?? {};
    this.name = 'AppError';
    this.code = code;
    this.status = options.status ?? errorStatus[code];
    this.details = options.details ?? {};
    this.headers = options.headers ?? {};
  }

  toBody(): { error: { code: ErrorCode; message: string } & Record<string, unknown> } {
    return { error: { ...this.details, code: this.code, message: this.message } };
  }
}

/** 429: a limit is reached until `retryAt` (the answer carries `Retry-After` in seconds). */
export function tooManyAttempts(retryAt: number, now: number): AppError {
  const seconds = Math.max(1, Math.ceil((retryAt - now) / 1000));
  return new AppError('too_many_attempts', { details: { retryAfter: seconds } });
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
