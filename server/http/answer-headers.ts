/**
 * Headers every answer carries, set the cheapest way the runtime allows. On Node they go on the
 * outgoing response before the route runs, so an answer is written with its own few headers in
 * one step (the adapter's fast path): set afterwards on a web `Response`, each header is parsed
 * and validated again, which cost a small JSON answer about a sixth of its time. Elsewhere (Bun,
 * Deno, `app.request` in tests) they are added to the `Response` afterwards. Either way a header
 * the route set itself wins (the widget's Cross-Origin-Resource-Policy, a page's Cache-Control).
 */
import type { ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';

export type HeaderList = ReadonlyArray<readonly [name: string, value: string]>;

/** OWASP's HTTP headers for every answer: pages, API and files alike (pages add their own CSP). */
export const SECURITY_HEADERS: HeaderList = [
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Origin-Agent-Cluster', '?1'],
  ['Referrer-Policy', 'no-referrer'],
  ['Strict-Transport-Security', 'max-age=15552000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Download-Options', 'noopen'],
  ['X-Frame-Options', 'DENY'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
];

/** The Node response under this request, when the app runs on `@hono/node-server`. */
function nodeResponse(c: Context): ServerResponse | null {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  return outgoing && typeof outgoing.setHeader === 'function' && !outgoing.headersSent ? outgoing : null;
}

export function answerHeaders(headers: HeaderList): MiddlewareHandler {
  return async (c, next) => {
    const outgoing = nodeResponse(c);
    if (outgoing) {
      for (const [name, value] of headers) outgoing.setHeader(name, value);
      return next();
    }
    await next();
    // On the answer's own headers (`c.header` now would copy the answer into a streamed one).
    for (const [name, value] of headers) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  };
}
