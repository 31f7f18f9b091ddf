/** Every element event: one `reset-` prefix, bubbling and composed so a host page anywhere can listen. */

export interface ResetEventMap {
  /** A link or code mail was requested (forgot form) or sent by staff (panel). */
  'reset-sent': { kind: 'forgot' | 'reset-link' | 'invite' | 'renew'; resendsLeft?: number };
  /** A password was set: `session` when the member is now logged in. */
  'reset-complete': { session?: string; purpose?: string };
  /** Staff set a password; `delivered` says how it reached the client. */
  'reset-password-set': { clientId: string; delivered: 'email' | 'display' | 'none'; temporary: boolean };
  /** Staff changed a client (email, login enabled, email confirmed). */
  'reset-client-updated': { clientId: string };
  /** Staff picked a client in the list. */
  'reset-client-select': { clientId: string };
  /** The email address was confirmed through a link. */
  'reset-email-verified': Record<string, never>;
  /** Something failed; `code` is the API's error code. */
  'reset-error': { code: string; message: string };
}

export function emit<K extends keyof ResetEventMap>(
  target: EventTarget,
  name: K,
  detail: ResetEventMap[K],
): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}

declare global {
  interface HTMLElementEventMap {
    'reset-sent': CustomEvent<ResetEventMap['reset-sent']>;
    'reset-complete': CustomEvent<ResetEventMap['reset-complete']>;
    'reset-password-set': CustomEvent<ResetEventMap['reset-password-set']>;
    'reset-client-updated': CustomEvent<ResetEventMap['reset-client-updated']>;
    'reset-client-select': CustomEvent<ResetEventMap['reset-client-select']>;
    'reset-email-verified': CustomEvent<ResetEventMap['reset-email-verified']>;
    'reset-error': CustomEvent<ResetEventMap['reset-error']>;
  }
}
