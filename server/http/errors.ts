/**
 * One translation from thrown errors to `{error:{code,message}}` answers, the message in the
 * caller's language; anything unexpected is logged and becomes a generic 500.
 */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describeError } from '../background.js';
import type { Locale } from '../domain.js';
import { AppError, defaultMessages } from '../errors.js';
import type { Logger } from '../logger.js';
import { errorMessages } from '../text.js';
import { localeOf } from './locale.js';

export function toAppError(error: unknown): AppError | null {
  if (error instanceof AppError) return error;
  if (error instanceof HTTPException) {
    if (error.status === 413) return new AppError('payload_too_large');
    if (error.status === 415) return new AppError('unsupported_media_type');
    if (error.status === 400)
      return new AppError('invalid_request', { message: 'The body is not valid JSON.' });
  }
  return null;
}

/**
 * The error's sentence in the caller's language: its own translation of a specific detail (a
 * field), else the code's sentence; an English-only detail keeps its English sentence.
 */
export function localisedMessage(error: AppError, locale: Locale): string {
  const own = error.translations[locale];
  if (own) return own;
  return error.message === defaultMessages[error.code] ? errorMessages[locale][error.code] : error.message;
}

export function errorResponse(error: AppError, c: Context): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  const retryAfter = error.details.retryAfter;
  if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
  c.header('Cache-Control', 'no-store');
  const body = error.toBody();
  body.error.message = localisedMessage(error, localeOf(c));
  return c.json(body, error.status as ContentfulStatusCode);
}

/**
 * The client went away while its body was arriving (a closed tab, a dropped connection): its
 * fault, not the server's, and nobody reads the answer.
 */
function abortedByClient(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    code === 'ECONNRESET' ||
    code === 'ERR_STREAM_PREMATURE_CLOSE' ||
    (error instanceof Error && error.message === 'aborted')
  );
}

export function handleError(logger: Logger) {
  return (error: unknown, c: Context): Response => {
    if (abortedByClient(error)) {
      logger.info({ method: c.req.method, path: c.req.path }, 'request aborted by the client');
      return errorResponse(
        new AppError('invalid_request', { message: 'The request did not arrive whole.' }),
        c,
      );
    }
    const known = toAppError(error);
    if (known) {
      if (known.code === 'storage_unavailable')
        logger.error({ err: describeError(known.cause) }, 'storage unavailable');
      return errorResponse(known, c);
    }
    logger.error({ err: describeError(error), method: c.req.method, path: c.req.path }, 'unhandled error');
    return errorResponse(new AppError('internal_error'), c);
  };
}
