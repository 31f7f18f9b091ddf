/**
 * The device tokens of a browser that logs in on this server's own pages (the hosted /login page,
 * the demo): kept in an HttpOnly cookie scoped to the login endpoint, out of reach of any script.
 * Pages on other origins (the elements) send them in the body instead (`devices`).
 */
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Deps } from '../deps.js';
import { lifetimes } from '../crypto/params.js';
import { DEVICE_TOKENS_KEPT, keptDeviceTokens } from '../flows/device-trust.js';

const COOKIE = 'client_reset_devices';
/** Never part of a JWT, so it can join several in one cookie value. */
const SEPARATOR = '~';

export function deviceTokensFromCookie(c: Context): string[] {
  return (getCookie(c, COOKIE) ?? '').split(SEPARATOR).filter(Boolean).slice(0, DEVICE_TOKENS_KEPT);
}

export function keepDeviceTokenInCookie(c: Context, deps: Deps, kept: string[], fresh: string): void {
  setCookie(c, COOKIE, keptDeviceTokens(kept, fresh).join(SEPARATOR), {
    path: `${deps.config.basePath}/login`,
    httpOnly: true,
    sameSite: 'Strict',
    secure: deps.config.publicUrl.startsWith('https:'),
    maxAge: Math.floor(lifetimes.deviceToken / 1000),
  });
}
