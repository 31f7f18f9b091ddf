/**
 * A member app's login, as the hosted /login page and the demo's member app do it: log in with a
 * username or the main email, follow a `password_change_required` answer into
 * `<force-reset-dialog>`, and hand the session to the page. Self-contained (no Lit, no shared
 * chunk with widget.js) so that the hosted page loads one small file of its own.
 */
import type { ForceResetDialog } from '../force-reset-dialog/force-reset-dialog.js';

export interface MemberLoginOptions {
  /** The form: inputs named `identifier` and `password`, and a submit button. */
  form: HTMLFormElement;
  /** Where the server's sentence for a refused login goes (given `role="alert"` by the page). */
  error: HTMLElement;
  /** The dialog that takes over when the password must be changed first. */
  dialog: ForceResetDialog;
  /** Limits the login to this company's members. */
  tenant?: string;
  /** The API base, e.g. `/api`. */
  apiBase: string;
  /** Language of the server's sentences (the page's `lang`). */
  lang: string;
  /** Shown when the server cannot be reached. */
  networkError: string;
  /**
   * The member is in, with `session` (a member session JWT): after logging in, after a forced
   * change, or with a fresh session after changing the password (which ends every older one).
   */
  onSession(session: string, identifier: string, how: 'login' | 'forced' | 'changed'): void;
  /**
   * The dialog closed and gave focus back to what opened it, which is no longer on screen (the
   * login form after a forced reset): the page puts focus where the member now is.
   */
  onFocusLost(): void;
}

interface LoginAnswer {
  status?: 'ok' | 'password_change_required';
  session?: string;
  challenge?: string;
  error?: { code: string; message: string };
}

/** POST /login; the answer's JSON whatever the status (errors carry the server's sentence). */
async function postLogin(apiBase: string, body: unknown, lang: string): Promise<LoginAnswer> {
  const response = await fetch(`${apiBase}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Accept-Language': lang },
    body: JSON.stringify(body),
  });
  return (await response.json().catch(() => ({}))) as LoginAnswer;
}

export function connectMemberLogin(options: MemberLoginOptions): void {
  const { form, error, dialog } = options;
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement;
  const button = form.querySelector<HTMLButtonElement>('button[type="submit"], button:not([type])');
  let identifier = '';

  // `close` does not bubble: listen while it goes down to the dialog, and look once the element
  // has given focus back.
  dialog.addEventListener(
    'close',
    () =>
      setTimeout(() => {
        const active = document.activeElement as HTMLElement | null;
        if (!active || active === document.body || active.offsetParent === null) options.onFocusLost();
      }),
    true,
  );

  dialog.addEventListener('reset-complete', (event) => {
    const { session } = (event as CustomEvent<{ session?: string }>).detail;
    const changed = dialog.mode === 'change';
    if (session)
      options.onSession(session, changed ? dialog.identifier : identifier, changed ? 'changed' : 'forced');
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button?.disabled) return;
    identifier = field('identifier').value.trim();
    const password = field('password').value;
    error.textContent = '';
    if (button) button.disabled = true;
    let answer: LoginAnswer;
    try {
      answer = await postLogin(
        options.apiBase,
        { identifier, password, ...(options.tenant ? { tenant: options.tenant } : {}) },
        options.lang,
      );
    } catch {
      error.textContent = options.networkError;
      return;
    } finally {
      if (button) button.disabled = false;
    }
    // Outside the try: a failure of the page's own handling is not the network's.
    if (answer.status === 'ok' && answer.session) {
      form.reset();
      options.onSession(answer.session, identifier, 'login');
    } else if (answer.status === 'password_change_required' && answer.challenge) {
      field('password').value = '';
      dialog.mode = 'force';
      dialog.identifier = identifier;
      if (options.tenant) dialog.tenant = options.tenant;
      dialog.challenge = answer.challenge;
      dialog.show();
    } else {
      error.textContent = answer.error?.message ?? options.networkError;
      field('password').select();
    }
  });
}

/** Opens the dialog for a logged-in member's own change of password. */
export function openPasswordChange(dialog: ForceResetDialog, session: string, identifier: string): void {
  dialog.mode = 'change';
  dialog.challenge = '';
  dialog.session = session;
  dialog.identifier = identifier;
  dialog.show();
}
