/** Request guards shared by every API route: JSON-only writes, a body size limit, schema validation. */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { zValidator } from '@hono/zod-validator';
import type { z } from 'zod';
import { invalidFieldText } from '../text.js';
import { AppError } from '../errors.js';

const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Writes accept only JSON: a form or text/plain body is a "simple" cross-site request that a
 * browser sends without asking, so refusing it closes that CSRF path.
 */
export const jsonOnly: MiddlewareHandler = async (c, next) => {
  if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(c.req.method)) {
    const type = (c.req.header('Content-Type') ?? '').split(';')[0].trim();
    const length = c.req.header('Content-Length');
    const hasBody =
      (length !== undefined && length !== '0') || c.req.header('Transfer-Encoding') !== undefined;
    if (!JSON_TYPE.test(type) && (type || hasBody)) throw new AppError('unsupported_media_type');
  }
  await next();
};

export function limitBody(maxBytes: number): MiddlewareHandler {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError('payload_too_large');
    },
  });
}

/** Field names whose format errors have their own code in the API. */
const FIELD_CODES: Record<string, 'invalid_email'> = { email: 'invalid_email' };

function fail(issues: z.core.$ZodIssue[]): AppError {
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

/** Validates the JSON body; a missing body counts as `{}` so required fields are named in the error. */
export function validJson<T extends z.ZodType>(schema: T) {
  return zValidator('json', schema, (result) => {
    if (!result.success) throw fail(result.error.issues);
  });
}

export function validQuery<T extends z.ZodType>(schema: T) {
  return zValidator('query', schema, (result) => {
    if (!result.success) throw fail(result.error.issues);
  });
}
