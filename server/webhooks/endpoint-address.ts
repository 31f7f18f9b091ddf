/**
 * Where a webhook may go: `https:` to a public address only, checked after DNS resolution and
 * on the very address the connection then uses, so a name that resolves to a public address when
 * registered and to 10.0.0.1 or 169.254.169.254 later (DNS rebinding) still cannot reach inside
 * the operator's network. WEBHOOKS_ALLOW_PRIVATE=1 lifts both rules, for development and tests.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

export type Resolve = (hostname: string) => Promise<Array<{ address: string; family: number }>>;

export const resolveAll: Resolve = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Public unicast only: not loopback, private, link-local, unique-local, carrier NAT, reserved, multicast… */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  let parsed = ipaddr.parse(address);
  if (parsed instanceof ipaddr.IPv6) {
    if (parsed.isIPv4MappedAddress()) parsed = parsed.toIPv4Address();
    // IPv4-compatible (::a.b.c.d, deprecated): the library calls it unicast, some kernels route it.
    else if (parsed.parts.slice(0, 6).every((part) => part === 0)) return false;
  }
  return parsed.range() === 'unicast';
}

/** A URL's host as a name or address, without an IPv6 literal's brackets. */
export function bareHost(hostname: string): string {
  return hostname.replace(/^\[|\]$/g, '');
}

export class AddressRefused extends Error {
  readonly code = 'ADDRESS_NOT_ALLOWED';
}

/** What is wrong with a URL as a webhook endpoint, before any lookup; null when nothing is. */
export function endpointUrlProblem(text: string, allowPrivate: boolean): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && !(allowPrivate && url.protocol === 'http:'))
    return 'must be an https: URL';
  if (url.username || url.password) return 'must not hold a user name or password';
  if (url.hash) return 'must not have a fragment';
  const host = bareHost(url.hostname);
  if (!allowPrivate && ipaddr.isValid(host) && !isPublicAddress(host)) {
    return 'must not point to a private, loopback or link-local address';
  }
  return null;
}

/** The host's addresses, every one of them public (unless allowed); throws `AddressRefused` otherwise. */
export async function resolvePublic(
  hostname: string,
  allowPrivate: boolean,
  resolve: Resolve = resolveAll,
): Promise<Array<{ address: string; family: number }>> {
  const host = bareHost(hostname);
  const addresses = ipaddr.isValid(host)
    ? [{ address: host, family: host.includes(':') ? 6 : 4 }]
    : await resolve(host);
  if (addresses.length === 0) throw new AddressRefused(`${host} has no address`);
  const refused = allowPrivate ? undefined : addresses.find(({ address }) => !isPublicAddress(address));
  // Not the address itself: the delivery log is the integrator's to read, and would map the
  // operator's internal names.
  if (refused)
    throw new AddressRefused(
      `address not allowed: ${host} resolves to a private, loopback or link-local address`,
    );
  return addresses;
}

/** A `lookup` for `http.request` that hands the socket only the addresses it has just checked. */
export function checkedLookup(allowPrivate: boolean, resolve: Resolve = resolveAll): LookupFunction {
  return (hostname, options, callback) => {
    resolvePublic(hostname, allowPrivate, resolve).then(
      (addresses) => {
        const wanted = options.family === 4 || options.family === 6 ? options.family : undefined;
        const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
        if (usable.length === 0) {
          callback(new AddressRefused(`${hostname} has no IPv${wanted} address`), '', 4);
        } else if (options.all) {
          (callback as unknown as (err: null, all: typeof usable) => void)(null, usable);
        } else {
          callback(null, usable[0].address, usable[0].family);
        }
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 4),
    );
  };
}
