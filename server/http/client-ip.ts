/** The client address for rate limits: the socket's, or `X-Forwarded-For` only behind configured trusted proxies. */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

export function clientIp(c: Context, trustProxyHops: number): string {
  let socketAddress = 'unknown';
  try {
    socketAddress = getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // Called without a Node socket (in-process requests): every such request shares one bucket.
  }
  if (trustProxyHops <= 0) return socketAddress;
  const forwarded = (c.req.header('X-Forwarded-For') ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  // Each trusted proxy appends the address it saw; the one the nearest untrusted hop added is
  // `trustProxyHops` from the end. Anything further left is whatever the client claimed.
  return forwarded[forwarded.length - trustProxyHops] ?? socketAddress;
}
