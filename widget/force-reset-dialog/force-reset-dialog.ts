/** `<force-reset-dialog>`: a member finishes a forced reset (temporary password, then their own), or changes it while logged in. */
import { html, nothing, type TemplateResult } from 'lit';
import type { PropertyValues } from 'lit';
import { emit } from '../internal/events.js';
import { dialogEn, type DialogMessages } from '../locales/en.js';
import { personalWords } from '../internal/password-fields.js';
import { deviceTokens, keepDeviceToken } from '../internal/device-tokens.js';
import { LightResetElement } from '../internal/light-element.js';
import { dialogCss } from './force-reset-dialog.styles.js';
import { field } from '../internal/field.js';
import { statusLine } from '../internal/templates.js';

interface LoginAnswer {
  status: 'ok' | 'password_change_required';
  session?: string;
  challenge?: string;
  device?: string;
}

/**
 * The forced password change of a member whose password staff reset (a native modal `<dialog>`):
 * step 1 the temporary password — skipped when the page's own login already got a `challenge` —
 * step 2 a new password checked against the listed rules. Escape cannot dismiss it while the
 * change is mandatory. With `mode="change"` it is the same dialog for a logged-in member (give
 * it the `session`): current password, then the new one.
 * Inputs live in the light DOM inside a real `<form>`, so password managers work.
 *
 * @fires reset-complete - The new password is set; `session` is a fresh member session.
 * @fires reset-error - A request failed; `code` is the API's error code (e.g. `temporary_password_expired`).
 * @cssprop --reset-accent - Button colour.
 * @cssprop --reset-accent-text - Button text colour.
 * @cssprop --reset-link - Colour of link-styled buttons (Cancel).
 * @cssprop --reset-text - Text colour.
 * @cssprop --reset-muted - Colour of hints and rules.
 * @cssprop --reset-border - Input border colour.
 * @cssprop --reset-input-bg - Input background.
 * @cssprop --reset-radius - Corner radius.
 * @cssprop --reset-focus - Focus ring colour.
 * @cssprop --reset-error - Error colour.
 * @cssprop --reset-ok - Colour of a met rule.
 * @cssprop --reset-notice-bg - Background of the "password updated" notice.
 * @cssprop --reset-notice-text - Text colour of that notice.
 * @cssprop --reset-dialog-bg - The dialog's background.
 * @cssprop --reset-backdrop - Colour behind the dialog.
 * @cssprop --reset-font - Font.
 * @cssprop --reset-max-width - Maximum width of the content (28rem).
 */
export class ForceResetDialog extends LightResetElement<DialogMessages> {
  static override properties = {
    open: { type: Boolean },
    mode: {},
    identifier: {},
    tenant: {},
    challenge: { attribute: false },
    session: { attribute: false },
    temporary: { state: true },
    current: { state: true },
    done: { state: true },
  };
  protected readonly ownEn = dialogEn;
  protected readonly localeKey = 'dialog';
  protected override readonly extraCss = dialogCss;

  /** Open the dialog (same as calling `show()`); removed when it closes. */
  declare open: boolean;
  /** `force` (default): finish a forced reset. `change`: a logged-in member changes the password. */
  declare mode: 'force' | 'change';
  /** The member's username or email: fills the login field (and the hidden one password managers read). */
  declare identifier: string;
  /** Tenant id, for its password rules and login scope. */
  declare tenant: string;
  /** The `challenge` from a `password_change_required` login answer: starts at step 2. */
  declare challenge: string;
  /** The member's session token, for `mode="change"`. */
  declare session: string;

  declare private temporary: string;
  declare private current: string;
  declare private done: boolean;

  constructor() {
    super();
    this.open = this.done = false;
    this.mode = 'force';
    this.tenant = this.challenge = this.session = this.temporary = this.current = '';
  }

  #opener: HTMLElement | null = null;

  /** Opens the dialog as a modal. */
  show(): void {
    this.open = true;
  }

  /** Closes it (a mandatory reset is better left open until it is done). */
  close(): void {
    this.open = false;
  }

  get #dialog(): HTMLDialogElement | null {
    return this.querySelector('dialog');
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const dialog = this.#dialog;
    if (!changed.has('open') || !dialog) return;
    // The attribute follows the property, so page CSS and scripts can see the dialog is open.
    this.toggleAttribute('open', this.open);
    if (this.open && !dialog.open) {
      this.#opener = document.activeElement as HTMLElement | null;
      this.done = false;
      this.error = '';
      dialog.showModal();
      void this.loadRules(this.tenant);
      this.focusLater('input:not([tabindex="-1"])');
    } else if (!this.open && dialog.open) {
      dialog.close();
    }
  }

  #onClose(): void {
    // A close that slipped past both guards reopens a reset that is still mandatory.
    if (this.#mandatory && this.open) {
      this.#dialog?.showModal();
      return;
    }
    this.open = false;
    this.temporary = this.current = this.password = this.confirm = '';
    this.#opener?.focus();
  }

  get #mandatory(): boolean {
    return this.mode === 'force' && !this.done;
  }

  /**
   * Escape must not leave a member half way through a mandatory reset. Chromium lets a page cancel
   * the dialog's `cancel` event only once per user action, so Escape is also stopped at the key.
   */
  #onCancel(event: Event): void {
    if (this.#mandatory) event.preventDefault();
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.#mandatory) event.preventDefault();
  }

  #finish(session: string | undefined): void {
    this.password = this.confirm = this.temporary = this.current = '';
    this.challenge = '';
    this.done = true;
    emit(this, 'reset-complete', { ...(session ? { session } : {}) });
    // On the button, so Enter closes; the status line is announced as it appears.
    this.focusLater('dialog .primary');
  }

  async #submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.mode === 'force' && !this.challenge) return this.#logIn();
    if (this.refusedLocally()) return;
    const answer = await this.run(() =>
      this.mode === 'change'
        ? this.api<{ session: string }>('/password/change', {
            body: { currentPassword: this.current, password: this.password },
            token: this.session,
          })
        : this.api<{ session: string }>('/password/force-change', {
            body: { challenge: this.challenge, password: this.password },
          }),
    );
    if (!answer) {
      if (this.errorCode === 'challenge_invalid') this.challenge = '';
      return;
    }
    this.#finish(answer.session);
  }

  async #logIn(): Promise<void> {
    const answer = await this.run(() =>
      this.api<LoginAnswer>('/login', {
        body: {
          identifier: this.identifier,
          password: this.temporary,
          devices: deviceTokens(this.base),
          ...(this.tenant ? { tenant: this.tenant } : {}),
        },
      }),
    );
    if (!answer) return;
    keepDeviceToken(this.base, answer.device);
    // Not a temporary password after all: the member is simply logged in.
    if (answer.status === 'ok') return this.#finish(answer.session);
    this.challenge = answer.challenge ?? '';
    this.temporary = '';
    this.focusLater(`#${this.uid}-pw`);
  }

  /** A wrong current password is the current-password field's error (no username was asked for). */
  protected override fieldOf(code: string): string | null {
    return code === 'invalid_credentials' && this.mode === 'change' ? 'cur' : null;
  }

  protected override errorMessage(code: string, serverMessage?: string): string {
    return this.fieldOf(code) === 'cur' ? this.m.wrongCurrent : super.errorMessage(code, serverMessage);
  }

  protected ruleInputs() {
    return { policy: this.rules, context: personalWords({ login: this.identifier }) };
  }

  #body(): TemplateResult {
    const m = this.m;
    const force = this.mode === 'force';
    const change = this.mode === 'change';
    const stepOne = force && !this.challenge;
    if (this.done) {
      return html`${statusLine(m.done)}
        <button type="button" class="primary" @click=${this.close}>${m.close}</button>`;
    }
    const password = (key: string, label: string, value: string, onInput: (value: string) => void) =>
      field({
        id: `${this.uid}-${key}`,
        label,
        value,
        onInput,
        type: 'password',
        name: 'current-password',
        error: this.errorFor(key),
      });
    return html`<form @submit=${this.#submit}>
      <p>${stepOne ? m.intro : force ? m.stepTwo : ''}</p>
      ${this.identifierField({ hidden: !stepOne })}
      ${
        stepOne
          ? password('tmp', m.temporary, this.temporary, (value) => (this.temporary = value))
          : html`${change ? password('cur', m.current, this.current, (value) => (this.current = value)) : nothing}
            ${this.passwordFields()}`
      }
      ${this.alert()}
      <div class="check">
        ${this.busyButton({ label: stepOne ? m.next : m.update })}
        ${change ? html`<button type="button" class="link" @click=${this.close}>${m.cancel}</button>` : nothing}
      </div>
    </form>`;
  }

  protected override render(): TemplateResult {
    const m = this.m;
    return html`<dialog
      aria-labelledby="${this.uid}-title"
      @cancel=${this.#onCancel}
      @keydown=${this.#onKeydown}
      @close=${this.#onClose}
    >
      <h2 id="${this.uid}-title">${this.mode === 'change' ? m.changeTitle : m.title}</h2>
      ${this.open ? this.#body() : nothing}
    </dialog>`;
  }
}

// A second copy of the bundle on the page must not throw: the first definition stays.
if (!customElements.get('force-reset-dialog')) customElements.define('force-reset-dialog', ForceResetDialog);

declare global {
  interface HTMLElementTagNameMap {
    'force-reset-dialog': ForceResetDialog;
  }
}
