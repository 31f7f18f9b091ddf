/** Request guards shared by every API route: JSON-only writes (or NDJSON uploads), a body size limit, schema validation. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { validator } from 'hono-openapi';
import type { z } from 'zod';
import { invalidFieldText } from '../text.js';
import { AppError } from '../errors.js';

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Writes accept only JSON: a form or text/plain body is a "simple" cross-site request that a
 * browser sends without asking, so refusing it closes that CSRF path.
 */
const jsonOnly: MiddlewareHandler = async (c, next) => {
  if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(c.req.method)) {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0].trim();
    const length = c.req.header('Content-Length');
    const hasBody =
      (length !== undefined && length !== '0') || c.req.header('Transfer-Encoding') !== undefined;
    if (!JSON_TYPE.test(type) && (type || hasBody)) throw new AppError('unsupported_media_type');
  }
  await next();
};

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses a body over `maxBytes`. Reads only headers when they answer the question: asking for
 * the body makes the Node adapter build a whole `Request` (with an AbortController) for a request
 * that has none, which costs a GET more than its answer. A streamed body is counted as it comes.
 */
function limitBody(maxBytes: number): MiddlewareHandler {
  const streamed = bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('payload_too_large');
    },
  });
  return async (c, next) => {
    if (NO_BODY.has(c.req.method)) return next();
    const length = c.req.header('content-length');
    if (length === undefined || c.req.header('transfer-encoding') !== undefined) return streamed(c, next);
    if (Number(length) > maxBytes) throw new AppError('payload_too_large');
    return next();
  };
}

/**
 * Every API body is JSON of at most `maxBytes`, except uploads of NDJSON, which their route
 * reads line by line (each line within the limit) and may be as long as they need.
 */
export function requestBodies(
  maxBytes: number,
  isNdjsonUpload: (path: string) => boolean,
): MiddlewareHandler {
  const limit = limitBody(maxBytes);
  return async (c, next) => {
    if (isNdjsonUpload(c.req.path)) return next();
    await limit(c, async () => {
      await jsonOnly(c, next);
    });
  };
}

const NDJSON_TYPE = /^application\/(x-)?ndjson$/i;

/** An NDJSON upload's route accepts NDJSON only (and so no cross-site simple request either). */
export const ndjsonOnly: MiddlewareHandler = async (c, next) => {
  const type = (c.req.header('Content-Type') ?? '').split(';')[0].trim();
  if (!NDJSON_TYPE.test(type)) {
    throw new AppError('unsupported_media_type', {
      message: 'Send the lines as application/x-ndjson: one JSON object per line.',
    });
  }
  await next();
};

/** Field names whose format errors have their own code in the API. */
const FIELD_CODES: Record<string, 'invalid_email'> = { email: 'invalid_email' };

/** The error for a body that does not match its schema: the first field's rule, every field named. */
export function invalidInput(issues: z.core.$ZodIssue[]): AppError {
  const first = issues[0];
  const field = first?.path.map(String).join('.') ?? '';
  const special = FIELD_CODES[field];
  if (special && first.code !== 'invalid_type') return new AppError(special);
  // Paths and issue kinds only: never echo a value back (it could be a password). A rule of our
  // own (a refinement) says what the field must be, in words that never hold the value.
  const detail = first?.code === 'custom' ? first.message : undefined;
  return new AppError('invalid_request', {
    translations: invalidFieldText(field, detail),
    details: { fields: issues.map((issue) => issue.path.map(String).join('.')).filter(Boolean) },
  });
}

// The validators also describe the request in the OpenAPI document (`server/http/openapi.ts`).
// Zod's Standard Schema issues are its own, with their `code`.

/** Validates the JSON body; a missing body counts as `{}` so required fields are named in the error. */
export function validJson<T extends z.ZodType>(schema: T) {
  return validator('json', schema, (result) => {
    if (!result.success) throw invalidInput(result.error as z.core.$ZodIssue[]);
  });
}

export function validQuery<T extends z.ZodType>(schema: T) {
  return validator('query', schema, (result) => {
    if (!result.success) throw invalidInput(result.error as z.core.$ZodIssue[]);
  });
}
