/** A small fetch wrapper for the server's JSON API: one error type carrying the API's stable code. */

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/**
 * The API of the server that served this script, unless the page says otherwise with `api-base`:
 * `api` beside the server's `widget.js` (`/auth/api` for `/auth/widget.js`, a server mounted under
 * a prefix). Built into an app's own bundle, the script's folder says nothing: the origin's `/api`.
 */
export function defaultApiBase(): string {
  // Read from the URL's parts: vite reads `new URL(path, import.meta.url)` as an asset to bundle.
  const script = new URL(import.meta.url);
  const folder = script.pathname.endsWith('/widget.js') ? script.pathname.slice(0, -'widget.js'.length) : '/';
  return `${script.origin}${folder}api`;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  token?: string | null;
  /** The language the server should answer in (`Accept-Language`: error messages and other text). */
  lang?: string;
  /** Cancels the request (a newer search replaces an older one). */
  signal?: AbortSignal;
}

export async function call<T>(base: string, path: string, options: CallOptions = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.lang) headers['Accept-Language'] = options.lang;
  let res: Response;
  try {
    res = await fetch(base.replace(/\/+$/, '') + path, {
      method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'omit',
      signal: options.signal,
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'network_error', 'network');
  }
  const data = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const error = (data.error ?? {}) as Record<string, unknown>;
    throw new ApiError(
      res.status,
      String(error.code ?? 'internal_error'),
      String(error.message ?? ''),
      error,
    );
  }
  return data as T;
}

export interface Policy {
  minLength: number;
  maxLength: number;
  historySize: number;
}

const policies = new Map<string, Promise<Policy>>();

/** The server's password rules, fetched once per API and tenant. */
export function policy(base: string, tenant = ''): Promise<Policy> {
  const key = `${base}|${tenant}`;
  let found = policies.get(key);
  if (!found) {
    found = call<Policy>(base, `/policy${tenant ? `?tenant=${encodeURIComponent(tenant)}` : ''}`);
    found.catch(() => policies.delete(key));
    policies.set(key, found);
  }
  return found;
}
