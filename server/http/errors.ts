/** One translation from thrown errors to `{error:{code,message}}` answers; anything unexpected is logged and becomes a generic 500. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describeError } from '../background.js';
import { AppError } from '../errors.js';
import type { Logger } from '../logger.js';

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

export function errorResponse(error: AppError, c: Context): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  const retryAfter = error.details.retryAfter;
  if (typeof retryAfter === 'number') c.header('Retry-After', String(retryAfter));
  c.header('Cache-Control', 'no-store');
  return c.json(error.toBody(), error.status as ContentfulStatusCode);
}

export function handleError(logger: Logger) {
  return (error: unknown, c: Context): Response => {
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
