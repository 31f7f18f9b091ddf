/**
 * Device tokens the server gives this browser after a right password (OWASP device cookies): shown
 * again at later logins, they let the server tell this device from an attacker guessing the same
 * account elsewhere, so the member is never locked out by someone else's failures. Kept in
 * localStorage per API, a few accounts at most; a browser that blocks storage simply has none.
 */
const STORE_KEY = 'client-reset:devices';
const KEPT = 5;

type Kept = Record<string, string[]>;

function read(): Kept {
  try {
    return JSON.parse(localStorage.getItem(STORE_KEY) ?? '{}') as Kept;
  } catch {
    return {};
  }
}

/** The account a token names (its `sub`), read without verifying: only to keep one per account. */
function subjectOf(token: string): string | undefined {
  try {
    return (JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string })
      .sub;
  } catch {
    return undefined;
  }
}

const apiKey = (apiBase: string) => new URL(apiBase, location.href).href;

/** The tokens this browser keeps for the API at `apiBase`, newest first. */
export function deviceTokens(apiBase: string): string[] {
  const list = read()[apiKey(apiBase)];
  return Array.isArray(list) ? list.slice(0, KEPT) : [];
}

/** Keeps the token a login answered with, in place of an older one for the same account. */
export function keepDeviceToken(apiBase: string, token: string | undefined): void {
  if (!token) return;
  const kept = read();
  const key = apiKey(apiBase);
  const subject = subjectOf(token);
  kept[key] = [token, ...deviceTokens(apiBase).filter((old) => subjectOf(old) !== subject)].slice(0, KEPT);
  try {
    localStorage.setItem(STORE_KEY, JSON.stringify(kept));
  } catch {
    // Storage full or blocked: the next login is simply from an unknown device.
  }
}
