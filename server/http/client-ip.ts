/** The client address for rate limits: the socket's, or `X-Forwarded-For` only behind configured trusted proxies. */
import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/**
 * One bucket per IPv4 address and per IPv6 /64: a single IPv6 client usually holds a whole /64
 * and could otherwise rotate addresses to escape every per-IP limit.
 */
export function limitBucket(address: string): string {
  const ip = address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  if (!ip.includes(':')) return ip;
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((group) => group.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export function clientIp(c: Context, trustProxyHops: number): string {
  return limitBucket(clientAddress(c, trustProxyHops));
}

function clientAddress(c: Context, trustProxyHops: number): string {
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
