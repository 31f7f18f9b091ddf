/** The server a command speaks to, over its provisioning API. */

export interface ApiTarget {
  /** Where the server's API is, e.g. `https://reset.example.com/api`. */
  apiUrl: string;
  provisionKey: string;
}

/** The server refused the request: its status and its own sentence. */
export class RequestRefused extends Error {}

/** The target from CLIENT_RESET_URL, API_BASE_PATH and PROVISION_API_KEY; null without a key. */
export function targetFromEnv(env: NodeJS.ProcessEnv): ApiTarget | null {
  if (!env.PROVISION_API_KEY) return null;
  const server = (env.CLIENT_RESET_URL ?? 'http://localhost:8787').replace(/\/+$/, '');
  const base = (env.API_BASE_PATH ?? 'api').replace(/^\/+|\/+$/g, '');
  return { apiUrl: `${server}/${base}`, provisionKey: env.PROVISION_API_KEY };
}

/** Sends one request with the provisioning key; throws `RequestRefused` for an answer that is not 2xx. */
export async function callApi(
  target: ApiTarget,
  method: string,
  path: string,
  body?: { json: unknown } | { ndjson: string },
): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${target.provisionKey}` };
  let payload: string | undefined;
  if (body && 'json' in body) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body.json);
  } else if (body) {
    headers['Content-Type'] = 'application/x-ndjson';
    payload = body.ndjson;
  }
  const response = await fetch(`${target.apiUrl}${path}`, { method, headers, body: payload });
  if (!response.ok) {
    const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new RequestRefused(
      `the server answered ${response.status}: ${answer?.error?.message ?? response.statusText}`,
    );
  }
  return response;
}
