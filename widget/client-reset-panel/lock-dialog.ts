/**
 * The lock action of `<client-reset-panel>`: a modal dialog in which staff choose a custom or
 * random password, how it reaches the client and whether it is temporary, confirm, and — for a
 * password shown once — note it before the dialog lets it go. An element of its own (rendered in
 * the panel's shadow root, styled by it and by `lock-dialog.styles.ts`) so that its fields, errors and busy state are its own.
 */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { emit } from '../internal/events.js';
import type { ClientSummary } from '../internal/client-types.js';
import type { CallOptions } from '../internal/api.js';
import { PasswordElement } from '../internal/password-element.js';
import { check, statusLine } from '../internal/templates.js';
import { panelEn, type PanelMessages } from '../locales/en.js';
import { personalWords } from '../internal/password-fields.js';
import { adoptStyles } from '../internal/adopt-styles.js';
import { lockStyles } from './lock-dialog.styles.js';

type Step = 'choose' | 'confirm' | 'result';
type Delivery = 'email' | 'display' | 'none';

/** Sends a request about the client to the staff API (the panel adds the token and the client's path). */
export type ClientRequest = <T>(path: string, options: CallOptions) => Promise<T>;

export class ClientResetLock extends PasswordElement<PanelMessages> {
  static override properties = {
    client: { attribute: false },
    request: { attribute: false },
    onClosed: { attribute: false },
    step: { state: true },
    mode: { state: true },
    delivery: { state: true },
    temporary: { state: true },
    shown: { state: true },
    copied: { state: true },
  };
  protected readonly ownEn = panelEn;
  protected readonly localeKey = 'panel';
  protected override readonly uid = 'rl';
  protected override readonly newPasswordAutocomplete = 'off';

  declare client: ClientSummary | null;
  declare request: ClientRequest;
  /**
   * Called once the dialog has closed (the panel refreshes the client and takes focus back).
   * Reactive like the others, so a value the panel set before this file loaded is kept.
   */
  declare onClosed: () => void;

  declare private step: Step;
  declare private mode: 'custom' | 'random';
  declare private delivery: Delivery;
  declare private temporary: boolean;
  declare private shown: string;
  declare private copied: boolean;

  constructor() {
    super();
    this.client = null;
    this.onClosed = () => undefined;
    this.step = 'choose';
    this.mode = 'random';
    this.delivery = 'email';
    this.temporary = this.copied = false;
    this.shown = '';
  }

  // Rendered in the panel's shadow root, where the panel's styles apply; its own are added there.
  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptStyles(this.getRootNode(), lockStyles);
  }

  get #dialog(): HTMLDialogElement | null {
    return this.querySelector('dialog');
  }

  /** Every change of the dialog renders (focus moves), so its `open` is read from the DOM. */
  get isOpen(): boolean {
    return !!this.#dialog?.open;
  }

  /** Opens the dialog at its first step, with the options this client allows. */
  async show(): Promise<void> {
    const c = this.client;
    if (!c) return;
    this.step = 'choose';
    this.mode = c.capabilities.randomPassword ? 'random' : 'custom';
    this.delivery = c.email ? 'email' : c.capabilities.temporaryPassword ? 'display' : 'none';
    this.temporary = this.copied = this.reveal = false;
    this.password = this.confirm = this.shown = this.error = this.errorCode = '';
    this.failed = [];
    await this.updateComplete;
    this.#dialog?.showModal();
    this.focusLater('dialog input:not([disabled])');
  }

  close(): void {
    this.#dialog?.close();
  }

  protected override willUpdate(changed: PropertyValues): void {
    // Another client: a dialog about the last one must not act on this one.
    if (
      changed.has('client') &&
      changed.get('client') &&
      this.client?.id !== (changed.get('client') as ClientSummary).id
    )
      this.close();
  }

  #onClose(): void {
    // The password shown once is gone with the dialog, and so is what the dialog said.
    this.shown = this.password = this.confirm = this.error = '';
    this.step = 'choose';
    this.onClosed();
  }

  /**
   * The password shown once may not be lost to a stray Escape: the client would be locked out.
   * Chromium lets a page cancel `cancel` only once per user action, so Escape is stopped at the key too.
   */
  #onCancel(event: Event): void {
    if (this.shown) event.preventDefault();
  }

  #onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Escape' && this.shown) event.preventDefault();
  }

  #setMode(mode: 'custom' | 'random'): void {
    this.mode = mode;
    this.failed = [];
    this.error = '';
    // Random passwords can be shown but not told in person; custom ones the other way round.
    if (this.delivery !== 'email')
      this.delivery = this.client!.email ? 'email' : mode === 'custom' ? 'none' : 'display';
  }

  /** Back from the confirm step to the options, focus on the first of them. */
  #backToChoose(): void {
    this.step = 'choose';
    this.focusLater('dialog input:not([disabled])');
  }

  #next(event: Event): void {
    event.preventDefault();
    if (this.mode === 'custom') {
      if (!this.password) {
        this.errorCode = 'password_required';
        this.error = this.m.passwordRequired;
        this.focusLater(`#${this.uid}-pw`);
        return;
      }
      if (this.refusedLocally()) return;
    }
    this.step = 'confirm';
    this.focusLater('dialog .primary');
  }

  async #resetAndSend(): Promise<void> {
    const { mode, delivery, temporary } = this;
    const done = await this.run(() =>
      this.request<{ password?: string }>('/password', {
        body: { mode, ...(mode === 'custom' && { password: this.password }), delivery, temporary },
      }),
    );
    if (!done) {
      if (this.errorCode === 'password_rejected') {
        this.step = 'choose';
        // The alert that had focus was in the confirm step, which is gone now.
        this.focusLater(this.alertSelector);
      }
      return;
    }
    this.shown = done.password ?? '';
    this.password = this.confirm = '';
    this.step = 'result';
    emit(this, 'reset-password-set', { clientId: this.client!.id, delivered: delivery, temporary });
    this.focusLater('dialog .status');
  }

  async #copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.shown);
      this.copied = true;
    } catch {
      // No clipboard (permission, insecure page): select the text so it can be copied by hand.
      getSelection()?.selectAllChildren(this.querySelector('code')!);
    }
  }

  protected ruleInputs() {
    const c = this.client;
    return { policy: c?.passwordPolicy ?? null, context: personalWords(c ?? {}) };
  }

  /** Staff read the rules about the client, not about themselves. */
  protected override rulesTitle(): string {
    return this.m.clientRulesTitle;
  }

  protected override ruleText(rule: string, n: number): string {
    return this.m.clientRules[rule]?.(n) ?? super.ruleText(rule, n);
  }

  /** Why an option is unavailable, as the text its `aria-describedby` points at. */
  #reason(
    capability: 'randomPassword' | 'customPassword' | 'temporaryPassword',
  ): TemplateResult | typeof nothing {
    const c = this.client!;
    const why = c.capabilities[capability] ? '' : c.reasons[capability];
    return why ? html`<span class="reason" id="rl-${capability}">${why}</span>` : nothing;
  }

  #result(c: ClientSummary): TemplateResult {
    const m = this.m;
    if (!this.shown)
      return html`${statusLine(this.delivery === 'email' ? m.emailed(c.email!) : m.setDone)}
        <button type="button" class="primary" @click=${this.close}>${m.close}</button>`;
    return html`${statusLine(m.shownOnce)}
      <code class="shown">${this.shown}</code>
      <div class="row">
        <button type="button" @click=${this.#copy}>${this.copied ? m.copied : m.copy}</button>
        <button type="button" class="primary" @click=${this.close}>${m.noted}</button>
      </div>`;
  }

  #choose(c: ClientSummary): TemplateResult {
    const m = this.m;
    const caps = c.capabilities;
    const custom = this.mode === 'custom';
    const option = (
      group: string,
      value: string,
      label: string,
      on: boolean,
      set: () => void,
      why?: string,
    ) =>
      check({
        id: `${this.uid}-${group}-${value}`,
        label,
        checked: on,
        onChange: set,
        disabled: !!why,
        describedBy: why,
        radio: group,
      });
    const unless = (allowed: boolean, id: string) => (allowed ? undefined : id);
    const delivery = (value: Delivery, label: string, why?: string) =>
      option('delivery', value, label, this.delivery === value, () => (this.delivery = value), why);
    return html`<form @submit=${this.#next} novalidate>
      <fieldset>
        <legend>${m.kind}</legend>
        ${option('mode', 'random', m.random, !custom, () => this.#setMode('random'), unless(caps.randomPassword, 'rl-randomPassword'))}
        ${option('mode', 'custom', m.custom, custom, () => this.#setMode('custom'), unless(caps.customPassword, 'rl-customPassword'))}
        ${this.#reason('randomPassword')} ${this.#reason('customPassword')}
      </fieldset>
      ${custom ? this.passwordFields() : nothing}
      <fieldset>
        <legend>${m.delivery}</legend>
        ${delivery('email', m.byEmail, c.email ? undefined : 'rl-noEmail')}
        ${c.email ? nothing : html`<span class="reason" id="rl-noEmail">${m.noEmail}</span>`}
        ${
          custom
            ? delivery('none', m.inPerson)
            : delivery('display', m.showOnce, unless(caps.temporaryPassword, 'rl-temporaryPassword'))
        }
      </fieldset>
      ${check({
        id: `${this.uid}-temp`,
        label: m.temporary,
        checked: this.temporary,
        onChange: (on) => (this.temporary = on),
        disabled: !caps.temporaryPassword,
        describedBy: 'rl-temporaryPassword',
      })}
      ${this.#reason('temporaryPassword')} ${this.alert()}
      <div class="row end">
        <button type="button" @click=${this.close}>${m.cancel}</button>
        <button class="primary">${m.next}</button>
      </div>
    </form>`;
  }

  #body(c: ClientSummary): TemplateResult {
    const m = this.m;
    if (this.step === 'result') return this.#result(c);
    if (this.step === 'choose') return this.#choose(c);
    return html`<p>${m.confirmText(c.name)}</p>
      ${this.alert()}
      <div class="row end">
        <button type="button" @click=${this.#backToChoose}>${m.cancel}</button>
        ${this.busyButton({
          label: this.delivery === 'email' ? m.resetAndSend : m.resetPassword,
          type: 'button',
          onClick: this.#resetAndSend,
        })}
      </div>`;
  }

  protected override render(): TemplateResult {
    const c = this.client;
    // A closed dialog holds nothing: no second alert, no field with an id the page also uses.
    return html`<dialog
      part="dialog"
      aria-labelledby="rl-title"
      @close=${this.#onClose}
      @cancel=${this.#onCancel}
      @keydown=${this.#onKeydown}
    >
      <h2 id="rl-title">${c ? this.m.lock(c.name) : nothing}</h2>
      ${c && this.isOpen ? this.#body(c) : nothing}
    </dialog>`;
  }
}

if (!customElements.get('client-reset-lock')) customElements.define('client-reset-lock', ClientResetLock);

declare global {
  interface HTMLElementTagNameMap {
    'client-reset-lock': ClientResetLock;
  }
}
