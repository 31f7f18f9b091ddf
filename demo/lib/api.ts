/** JSON calls to the server's API from the demo pages, with the API's error code and sentence kept. */

export class DemoApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CallInit {
  method?: string;
  body?: unknown;
  /** A staff token or a member session. */
  token?: string;
}

/** Calls `/api<path>`; a non-2xx answer throws with the server's `error.code` and `error.message`. */
export async function api<T>(path: string, init: CallInit = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.token) headers.Authorization = `Bearer ${init.token}`;
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  } catch {
    throw new DemoApiError(0, 'network_error', 'The server cannot be reached. Is `npm start` running?');
  }
  const data = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
  if (!res.ok) {
    throw new DemoApiError(
      res.status,
      data.error?.code ?? 'internal_error',
      data.error?.message || `The server answered ${res.status}.`,
    );
  }
  return data as T;
}

/** The message of anything thrown, for a page's alert. */
export const messageOf = (error: unknown): string =>
  error instanceof Error ? error.message : 'Something went wrong.';
