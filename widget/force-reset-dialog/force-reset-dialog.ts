/** `<force-reset-dialog>`: a member finishes a forced reset (temporary password, then their own), or changes it while logged in. */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import { call, policy, type Policy } from '../internal/api.js';
import { emit } from '../internal/events.js';
import { dialogEn, type DialogMessages } from './force-reset-dialog.messages.js';
import { memberStyles } from '../internal/member-styles.js';
import { contextWords, passwordFields, unmetRules } from '../internal/password-fields.js';
import { LightResetElement } from '../internal/reset-element.js';

interface LoginAnswer {
  status: 'ok' | 'password_change_required';
  session?: string;
  challenge?: string;
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
 * @cssprop --reset-text - Text colour.
 * @cssprop --reset-muted - Colour of hints and rules.
 * @cssprop --reset-border - Input border colour.
 * @cssprop --reset-radius - Corner radius.
 * @cssprop --reset-focus - Focus ring colour.
 * @cssprop --reset-error - Error colour.
 * @cssprop --reset-ok - Colour of a met rule.
 * @cssprop --reset-backdrop - Colour behind the dialog.
 * @cssprop --reset-font - Font.
 */
@customElement('force-reset-dialog')
export class ForceResetDialog extends LightResetElement<DialogMessages> {
  protected readonly ownEn = dialogEn;
  protected readonly localeKey = 'dialog';
  protected readonly sheet = memberStyles;

  /** Open the dialog (same as calling `show()`); removed when it closes. */
  @property({ type: Boolean, reflect: true }) open = false;
  /** `force` (default): finish a forced reset. `change`: a logged-in member changes the password. */
  @property() mode: 'force' | 'change' = 'force';
  /** The member's username or email: fills the login field (and the hidden one password managers read). */
  @property() identifier = '';
  /** Tenant id, for its password rules and login scope. */
  @property() tenant = '';
  /** The `challenge` from a `password_change_required` login answer: starts at step 2. */
  @property({ attribute: false }) challenge = '';
  /** The member's session token, for `mode="change"`. */
  @property({ attribute: false }) session = '';

  @state() private temporary = '';
  @state() private current = '';
  @state() private password = '';
  @state() private confirm = '';
  @state() private reveal = false;
  @state() private rules: Policy | null = null;
  @state() private done = false;

  private opener: HTMLElement | null = null;

  /** Opens the dialog as a modal. */
  show(): void {
    this.open = true;
  }

  /** Closes it (a mandatory reset is better left open until it is done). */
  close(): void {
    this.open = false;
  }

  private get dialog(): HTMLDialogElement | null {
    return this.querySelector('dialog');
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const dialog = this.dialog;
    if (!changed.has('open') || !dialog) return;
    if (this.open && !dialog.open) {
      this.opener = document.activeElement as HTMLElement | null;
      this.done = false;
      this.error = '';
      dialog.showModal();
      void policy(this.base, this.tenant)
        .then((rules) => (this.rules = rules))
        .catch(() => undefined);
      this.focusLater('input:not([tabindex="-1"])');
    } else if (!this.open && dialog.open) {
      dialog.close();
    }
  }

  private onClose(): void {
    // A close that slipped past both guards reopens a reset that is still mandatory.
    if (this.mandatory && this.open) {
      this.dialog?.showModal();
      return;
    }
    this.open = false;
    this.temporary = this.current = this.password = this.confirm = '';
    this.opener?.focus();
  }

  private get mandatory(): boolean {
    return this.mode === 'force' && !this.done;
  }

  /**
   * Escape must not leave a member half way through a mandatory reset. Chromium lets a page cancel
   * the dialog's `cancel` event only once per user action, so Escape is also stopped at the key.
   */
  private onCancel(event: Event): void {
    if (this.mandatory) event.preventDefault();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.mandatory) event.preventDefault();
  }

  private finish(session: string | undefined): void {
    this.password = this.confirm = this.temporary = this.current = '';
    this.challenge = '';
    this.done = true;
    emit(this, 'reset-complete', { ...(session ? { session } : {}) });
    this.focusLater('.status');
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.mode === 'force' && !this.challenge) return this.logIn();
    const unmet = unmetRules(this.fields());
    if (unmet.length > 0) return this.refuseLocally(unmet, `#${this.uid}-pw`);
    const answer = await this.run(() =>
      this.mode === 'change'
        ? call<{ session: string }>(this.base, '/password/change', {
            body: { currentPassword: this.current, password: this.password },
            token: this.session,
          })
        : call<{ session: string }>(this.base, '/password/force-change', {
            body: { challenge: this.challenge, password: this.password },
          }),
    );
    if (!answer) {
      if (this.errorCode === 'challenge_invalid') this.challenge = '';
      return;
    }
    this.finish(answer.session);
  }

  private async logIn(): Promise<void> {
    const answer = await this.run(() =>
      call<LoginAnswer>(this.base, '/login', {
        body: {
          identifier: this.identifier,
          password: this.temporary,
          ...(this.tenant ? { tenant: this.tenant } : {}),
        },
      }),
    );
    if (!answer) return;
    // Not a temporary password after all: the member is simply logged in.
    if (answer.status === 'ok') return this.finish(answer.session);
    this.challenge = answer.challenge ?? '';
    this.temporary = '';
    this.focusLater(`#${this.uid}-pw`);
  }

  private fields() {
    return {
      policy: this.rules,
      password: this.password,
      confirm: this.confirm,
      failed: this.failed,
      context: contextWords(this.identifier),
    };
  }

  private input(
    id: string,
    label: string,
    value: string,
    autocomplete: string,
    set: (v: string) => void,
  ): TemplateResult {
    return html`<div class="field">
      <label for="${this.uid}-${id}">${label}</label>
      <input
        id="${this.uid}-${id}"
        type="password"
        name=${autocomplete}
        autocomplete=${autocomplete}
        required
        .value=${value}
        @input=${(e: Event) => set((e.target as HTMLInputElement).value)}
      />
    </div>`;
  }

  private body(): TemplateResult {
    const m = this.m;
    const stepOne = this.mode === 'force' && !this.challenge;
    if (this.done) {
      return html`<p class="status" role="status" tabindex="-1">${m.done}</p>
        <button type="button" @click=${this.close}>${m.close}</button>`;
    }
    return html`<form @submit=${this.submit}>
      <p>${stepOne ? m.intro : this.mode === 'force' ? m.stepTwo : ''}</p>
      <div class="field ${stepOne ? '' : 'hidden-field'}">
        <label for="${this.uid}-id">${m.identifier}</label>
        <input
          id="${this.uid}-id"
          name="username"
          autocomplete="username"
          ?required=${stepOne}
          ?readonly=${!stepOne}
          tabindex=${stepOne ? 0 : -1}
          .value=${this.identifier}
          @input=${(e: Event) => (this.identifier = (e.target as HTMLInputElement).value)}
        />
      </div>
      ${
        stepOne
          ? this.input('tmp', m.temporary, this.temporary, 'current-password', (v) => (this.temporary = v))
          : html`${
              this.mode === 'change'
                ? this.input('cur', m.current, this.current, 'current-password', (v) => (this.current = v))
                : nothing
            }
            ${passwordFields({
              ...this.fields(),
              uid: this.uid,
              m,
              reveal: this.reveal,
              errorId: this.error ? this.errorId : undefined,
              onPassword: (value) => {
                this.password = value;
                this.failed = [];
              },
              onConfirm: (value) => (this.confirm = value),
              onReveal: () => (this.reveal = !this.reveal),
            })}`
      }
      <p role="alert" id=${this.errorId} tabindex="-1" ?hidden=${!this.error}>${this.error}</p>
      <div class="check">
        <button type="submit" ?disabled=${this.busy}>
          ${this.busy ? m.working : stepOne ? m.next : m.update}
        </button>
        ${this.mode === 'change' ? html`<button type="button" class="link" @click=${this.close}>${m.cancel}</button>` : nothing}
      </div>
    </form>`;
  }

  protected override render(): TemplateResult {
    return html`<dialog
      aria-labelledby="${this.uid}-title"
      @cancel=${this.onCancel}
      @keydown=${this.onKeydown}
      @close=${this.onClose}
    >
      <h2 id="${this.uid}-title">${this.mode === 'change' ? this.m.changeTitle : this.m.title}</h2>
      ${this.open ? this.body() : nothing}
    </dialog>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'force-reset-dialog': ForceResetDialog;
  }
}
