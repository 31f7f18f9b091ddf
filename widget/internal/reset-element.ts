/**
 * What the three elements share: the API base, the language and its strings, busy/error state,
 * focus after a change, and the template pieces they all use (alert, notice, fields, the
 * new-password fields with their rule checklist).
 *
 * Reactive properties are declared in `static properties` (see `base-element.ts`) with `declare`d
 * fields, so no class field ever hides the accessor the base defines; each public field carries
 * its one-sentence doc.
 */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { BaseElement, type PropertyDeclarations, type PropertyValues } from './base-element.js';
import { ApiError, call, defaultApiBase, type CallOptions } from './api.js';
import { emit } from './events.js';
import { commonEn, errorText, langOf, localePack, type CommonMessages, type LocalePack } from './messages.js';
import { ruleStates, type RuleInputs } from './password-fields.js';

let nextId = 0;

/** What an input may say besides its label and value. */
export interface FieldOptions {
  /** `name`, and `autocomplete` unless that is given too. */
  name?: string;
  autocomplete?: string;
  type?: string;
  /** Required unless false. */
  required?: boolean;
  /** Known already and only there for the password manager: visually hidden, read-only, out of the tab order. */
  hidden?: boolean;
  describedBy?: string;
  invalid?: boolean;
}

/** `@input` / `@change` handlers that hand over the input's value or checked state. */
export const onValue = (set: (value: string) => void) => (e: Event) =>
  set((e.target as HTMLInputElement).value);
export const onChecked = (set: (checked: boolean) => void) => (e: Event) =>
  set((e.target as HTMLInputElement).checked);

export abstract class ResetElement<M extends object> extends BaseElement {
  static override properties: PropertyDeclarations = {
    apiBase: { attribute: 'api-base' },
    messages: { attribute: false },
    busy: { state: true },
    error: { state: true },
    errorCode: { state: true },
    failed: { state: true },
    password: { state: true },
    confirm: { state: true },
    reveal: { state: true },
  };

  /** Base URL of the API, e.g. `https://reset.example.com/api`; defaults to `/api` on the server that served the script. */
  declare apiBase: string;
  /** Overrides any string of the element (both the shared ones and its own), e.g. `{send: 'Email me'}`. */
  declare messages: Partial<CommonMessages & M>;
  declare protected busy: boolean;
  /** The message of the last error, shown in the element's alert region. */
  declare protected error: string;
  declare protected errorCode: string;
  /** Password rules the server named in its last `password_rejected` answer. */
  declare protected failed: string[];
  /** The new password, its confirmation, and whether they are shown in clear. */
  declare protected password: string;
  declare protected confirm: string;
  declare protected reveal: boolean;

  constructor() {
    super();
    this.apiBase = this.error = this.errorCode = this.password = this.confirm = '';
    this.messages = {};
    this.busy = this.reveal = false;
    this.failed = [];
  }

  /** A prefix that keeps ids unique when a page holds several elements. */
  protected readonly uid = `rst${++nextId}`;

  /** The element's own strings in English, and where its strings sit in a locale pack. */
  protected abstract readonly ownEn: M;
  protected abstract readonly localeKey: Exclude<keyof LocalePack, 'common'>;
  /** The server's password rules and the words a new password must not contain. */
  protected abstract ruleInputs(): Pick<RuleInputs, 'policy' | 'context'>;

  /** The strings in the element's language; a missing locale pack is loaded, then the element renders again. */
  protected get m(): CommonMessages & M {
    const lang = langOf(this);
    const pack = localePack(lang, () => this.requestUpdate());
    // Merged on each use: a few dozen keys, cheaper than keeping a cache in step with `messages`.
    const m: Record<string, unknown> = {
      ...commonEn,
      ...this.ownEn,
      ...pack?.common,
      ...(pack?.[this.localeKey] as M | undefined),
    };
    // A table the page overrides (`errors`, `rules`, `statuses`) keeps the entries it does not name.
    for (const [key, value] of Object.entries(this.messages))
      m[key] = typeof value === 'object' ? { ...(m[key] as object), ...value } : value;
    return m as CommonMessages & M;
  }

  protected get base(): string {
    return this.apiBase || defaultApiBase();
  }

  /** Calls the API, asking for its human text (error messages, reasons) in the element's language. */
  protected api<T>(path: string, options?: CallOptions): Promise<T> {
    return call<T>(this.base, path, { lang: langOf(this), ...options });
  }

  /** Runs one request with the busy flag set; an API error becomes the shown error and a `reset-error` event. */
  protected async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = this.errorCode = '';
    this.failed = [];
    try {
      return await this.quietly(work);
    } finally {
      this.busy = false;
    }
  }

  /** Like `run` for background work: nothing is disabled and an earlier error stays shown. */
  protected async quietly<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      const apiError = error instanceof ApiError ? error : new ApiError(0, 'internal_error', String(error));
      this.errorCode = apiError.code;
      const rules = apiError.body.rules;
      if (Array.isArray(rules)) this.failed = rules.map(String);
      // The server words its errors in the language the request asked for (`api()`).
      this.error = errorText(this.m, apiError.code, apiError.message);
      emit(this, 'reset-error', { code: apiError.code, message: this.error });
      this.focusLater(this.alertSelector);
      return undefined;
    }
  }

  /** Where an error is announced and focus goes when one happens. */
  protected get alertSelector(): string {
    return '[role=alert]';
  }

  /**
   * Refuses a password the page can already see failing, the way the server would: rules marked,
   * message shown, focus on the password. True when it did.
   */
  protected refusedLocally(): boolean {
    const unmet = ruleStates({
      ...this.ruleInputs(),
      password: this.password,
      confirm: this.confirm,
      failed: [],
    })
      .filter(([, , state]) => state === 'unmet')
      .map(([rule]) => rule);
    if (!unmet.length) return false;
    this.failed = unmet;
    this.errorCode = 'password_rejected';
    this.error = errorText(this.m, 'password_rejected');
    this.focusLater(`#${this.uid}-pw`);
    return true;
  }

  /** The id of the element's alert, for `aria-describedby` on the fields it speaks about. */
  protected get errorId(): string {
    return `${this.uid}-err`;
  }

  #pendingFocus: string | null = null;

  /** Moves focus, after the next render, to what changed (a heading, the first field, the alert). */
  protected focusLater(selector: string): void {
    this.#pendingFocus = selector;
    this.requestUpdate();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (!this.#pendingFocus) return;
    const root = this.renderRoot as ParentNode;
    const target = root.querySelector<HTMLElement>(this.#pendingFocus);
    this.#pendingFocus = null;
    target?.focus();
  }

  /** The alert region: where errors are announced (and focus goes) — hidden while there is none. */
  protected alert(): TemplateResult {
    return html`<p role="alert" id=${this.errorId} tabindex="-1" ?hidden=${!this.error}>${this.error}</p>`;
  }

  /** A notice of what just happened; focus goes there. */
  protected statusLine(text: unknown): TemplateResult {
    return html`<p class="status" role="status" tabindex="-1">${text}</p>`;
  }

  /** A button that says it is working while a request runs. */
  protected busyButton(label: string, type = 'submit', onClick?: () => void): TemplateResult {
    return html`<button type=${type} class="primary" ?disabled=${this.busy} @click=${onClick}>
      ${this.busy ? this.m.working : label}
    </button>`;
  }

  /** A labelled input; `key` makes its id. */
  protected field(
    key: string,
    label: string,
    value: string,
    set: (value: string) => void,
    o: FieldOptions = {},
    after: unknown = nothing,
  ): TemplateResult {
    const id = `${this.uid}-${key}`;
    return html`<div class="field ${o.hidden ? 'hidden-field' : ''}">
      <label for=${id}>${label}</label>
      <input
        id=${id}
        type=${o.type ?? 'text'}
        name=${o.name ?? nothing}
        autocomplete=${o.autocomplete ?? o.name ?? nothing}
        ?required=${o.required ?? !o.hidden}
        ?readonly=${o.hidden}
        tabindex=${o.hidden ? -1 : nothing}
        aria-describedby=${o.describedBy ?? nothing}
        aria-invalid=${o.invalid ?? nothing}
        .value=${value}
        @input=${onValue(set)}
      />
      ${after}
    </div>`;
  }

  /** A labelled checkbox (or radio); `key` makes its id. */
  protected check(
    key: string,
    label: string,
    checked: boolean,
    set: (checked: boolean) => void,
    disabled = false,
    describedBy?: string,
    radio?: string,
  ): TemplateResult {
    const id = `${this.uid}-${key}`;
    return html`<div class="check">
      <input
        id=${id}
        type=${radio ? 'radio' : 'checkbox'}
        name=${radio ?? nothing}
        .checked=${checked}
        ?disabled=${disabled}
        aria-describedby=${disabled && describedBy ? describedBy : nothing}
        @change=${onChecked(set)}
      />
      <label for=${id}>${label}</label>
    </div>`;
  }

  /**
   * The new password and its confirmation, the show/hide toggle and the live checklist of the
   * server's rules. With `keep` (staff), both may stay empty to keep the current password.
   */
  protected passwordFields(keep?: string): TemplateResult {
    const m = this.m;
    const id = this.uid;
    const type = this.reveal ? 'text' : 'password';
    const autocomplete = keep ? 'off' : 'new-password';
    const states = ruleStates({
      ...this.ruleInputs(),
      password: this.password,
      confirm: this.confirm,
      failed: this.failed,
    });
    const stateText = { met: m.ruleMet, unmet: m.ruleUnmet, pending: m.ruleChecked };
    const described = [`${id}-rules`, keep && `${id}-hint`, this.error && this.errorId];
    return html`
      ${this.field(
        'pw',
        m.newPassword,
        this.password,
        (value) => {
          this.password = value;
          this.failed = [];
        },
        {
          type,
          name: 'new-password',
          autocomplete,
          required: !keep,
          describedBy: described.filter(Boolean).join(' '),
          invalid: this.failed.length > 0,
        },
        keep ? html`<p class="hint" id="${id}-hint">${keep}</p>` : nothing,
      )}
      ${this.field('pw2', m.confirmPassword, this.confirm, (value) => (this.confirm = value), {
        type,
        name: 'confirm-password',
        autocomplete,
        required: !keep || this.password !== '',
        describedBy: `${id}-rules`,
      })}
      ${this.check('reveal', m.showPassword, this.reveal, (on) => (this.reveal = on))}
      <div class="rules" id="${id}-rules">
        ${
          states.length
            ? html`<p>${m.rulesTitle}</p>
                <ul>
                  ${states.map(
                    ([rule, n, state]) =>
                      html`<li data-rule=${rule} data-state=${state}>
                        ${m.rules[rule](n)}<span class="sr"> (${stateText[state]})</span>
                      </li>`,
                  )}
                </ul>`
            : nothing
        }
      </div>
    `;
  }
}
