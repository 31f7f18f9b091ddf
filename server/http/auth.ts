/** Bearer credentials: staff tokens (verified by the integrator's key) and the provisioning API key. */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { StaffPrincipal, StaffVerifier } from '../crypto/staff-tokens.js';
import { AppError } from '../errors.js';

export function bearer(c: Context): string | null {
  const header = c.req.header('Authorization') ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match ? match[1] : null;
}

export type StaffEnv = { Variables: { staff: StaffPrincipal } };

export function requireStaff(verify: StaffVerifier): MiddlewareHandler<StaffEnv> {
  return async (c, next) => {
    const token = bearer(c);
    const staff = token ? await verify(token) : null;
    if (!staff) throw new AppError('unauthorized', { headers: { 'WWW-Authenticate': 'Bearer' } });
    c.set('staff', staff);
    await next();
  };
}

/** Compares digests so neither the key's length nor its prefix leaks through timing. */
export function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Provisioning is off (404) until PROVISION_API_KEY is set. */
export function requireProvisionKey(key: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!key) throw new AppError('not_found');
    const token = bearer(c);
    if (!token || !sameSecret(token, key)) {
      throw new AppError('unauthorized', {
        message: 'A valid provisioning key is required.',
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    await next();
  };
}
