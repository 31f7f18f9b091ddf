/**
 * Browser-side helpers for the widget tests: typed calls to the test-control routes that
 * test/helpers/widget-test-server.ts serves next to the real API. Every test file (page) has its
 * own server app, empty when the file starts; `resetServer()` starts it over.
 */
import type { OutboxMessage } from '../../server/domain.js';

export {
  codeFromMail,
  GOOD_PASSWORD,
  OTHER_GOOD_PASSWORD,
  OTHER_TENANT,
  TENANT,
  TEST_PUBLIC_URL,
  tokenFromMail,
} from '../helpers/shared.js';

/** The API's base path in the test server, for an element's `api-base`-like attribute. */
export const API_BASE = '/api';

/** A test route's answer that was not 2xx. */
export class TestRouteError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`test route answered ${status}: ${JSON.stringify(body)}`);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/__test/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await response.json();
  if (!response.ok) throw new TestRouteError(response.status, json);
  return json as T;
}

/** A fresh server for this page: new memory store, clock, signing keys and rate limits. */
export function resetServer(
  options: { env?: Record<string, string> } = {},
): Promise<{ session: string; now: number }> {
  return call('POST', 'reset', options);
}

export interface SeedFields {
  id?: string;
  name?: string;
  /** Omitted: a random address; `null`: no email. */
  email?: string | null;
  username?: string | null;
  tenants?: string[];
  loginEnabled?: boolean;
  emailConfirmed?: boolean;
  /** Makes the client active with this member password. */
  password?: string;
  /** Fields of the credential that `password` sets, e.g. `{kind: 'temporary', expiresAt}`. */
  credential?: Record<string, unknown>;
}

export interface SeededClient {
  id: string;
  name: string;
  email: string | null;
  username: string | null;
  tenants: string[];
  loginEnabled: boolean;
  emailConfirmed: boolean;
}

/** A client straight into the store (tenant `studio-a` unless `tenants` says otherwise). */
export function seedClient(fields: SeedFields = {}): Promise<SeededClient> {
  return call('POST', 'seed', fields);
}

/** PUT /api/provision/tenants/:id with the provisioning key; resolves to the tenant. */
export function provisionTenant(
  id: string,
  tenant: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  return call('POST', 'provision-tenant', { id, ...tenant });
}

/** A staff token (HS256, one hour of the server's clock) for tenant `tid` (default `studio-a`). */
export async function staffToken(
  claims: { tid?: string; sub?: string; role?: string } = {},
): Promise<string> {
  return (await call<{ token: string }>('POST', 'staff-token', claims)).token;
}

/** Every mail sent so far, newest first (waits for mail sent in the background). */
export async function outbox(filter: { to?: string } = {}): Promise<OutboxMessage[]> {
  const query = filter.to ? `?to=${encodeURIComponent(filter.to)}` : '';
  return (await call<{ items: OutboxMessage[] }>('GET', `outbox${query}`)).items;
}

/** Moves the server's clock; resolves to its new time (ms since the epoch). */
export async function advanceClock(ms: number): Promise<number> {
  return (await call<{ now: number }>('POST', 'clock', { advanceMs: ms })).now;
}

export type SetPasswordBody =
  | { mode: 'random'; delivery: 'email' | 'display'; temporary?: boolean }
  | { mode: 'custom'; password: string; delivery: 'email' | 'none'; temporary?: boolean };

/** What POST /api/admin/clients/:id/password answers: `{ok, password?}` or `{ok, delivered}`. */
export interface SetPasswordResult {
  ok: true;
  password?: string;
  delivered?: 'email' | 'none';
}

/**
 * A staff-set password through the real staff endpoint, as staff of `tid` (default `studio-a`).
 * `{mode: 'random', delivery: 'display', temporary: true}` answers the temporary password.
 */
export function setPassword(
  id: string,
  body: SetPasswordBody,
  staff: { tid?: string; sub?: string } = {},
): Promise<SetPasswordResult> {
  return call('POST', 'password', { id, ...staff, ...body });
}
