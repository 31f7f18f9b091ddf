/**
 * Where a tenant's mail links and logo may point: `https:` only, or plain `http:` on this machine
 * while the server itself runs on it (development). A `javascript:` or `data:` link in a reset
 * mail, or plain http on the internet, would hand the member's token to whoever can read or change it.
 */
import { isLoopbackHost } from '../config.js';

export function isSafeTenantUrl(publicUrl: string, value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  const development = isLoopbackHost(new URL(publicUrl).hostname);
  return url.protocol === 'http:' && development && isLoopbackHost(url.hostname);
}
