/** The keys of rate windows and attempt counters. */

/**
 * A counter's key: its kind, then each part encoded, so that no part (an identifier someone typed
 * may hold `:`) can run into the next and make two counters one.
 */
export function counterKey(kind: string, ...parts: Array<string | number>): string {
  return [kind, ...parts.map((part) => encodeURIComponent(String(part)))].join(':');
}
