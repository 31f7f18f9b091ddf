/**
 * What the three elements share: the API base, the language and its strings, busy/error state,
 * focus after a change, and the template pieces they all use (alert, notice, a busy button).
 * The new-password fields are `password-element.ts`'s, for the elements that set a password.
 *
 * Reactive properties are declared in `static properties` with `declare`d fields, so no class
 * field ever hides the accessor LitElement defines; each public field carries its one-sentence doc.
 */
import { html, LitElement, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { ApiError, call, defaultApiBase, type CallOptions } from './api.js';
import { emit } from './events.js';
import { commonEn, type CommonMessages, type LocaleSection } from '../locales/en.js';
import { errorText, langOf, localePack } from './messages.js';
import { alertRegion } from './templates.js';

let nextId = 0;

/** A button that says it is working while a request runs. */
export interface BusyButtonView {
  label: string;
  /** `submit` unless given. */
  type?: 'submit' | 'button';
  onClick?: () => void;
}

export abstract class ResetElement<M extends object> extends LitElement {
  static override properties: PropertyDeclarations = {
    apiBase: { attribute: 'api-base' },
    messages: { attribute: false },
    busy: { state: true },
    error: { state: true },
    errorCode: { state: true },
    failed: { state: true },
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

  constructor() {
    super();
    this.apiBase = this.error = this.errorCode = '';
    this.messages = {};
    this.busy = false;
    this.failed = [];
  }

  /** A prefix that keeps ids unique when a page holds several elements. */
  protected readonly uid = `rst${++nextId}`;

  /** The element's own strings in English, and where its strings sit in a locale pack. */
  protected abstract readonly ownEn: M;
  protected abstract readonly localeKey: LocaleSection;

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

  /**
   * Like `run` for background work: nothing is disabled and an earlier error stays shown. With
   * `focus: false` an error is shown without taking focus from what the user is doing.
   */
  protected async quietly<T>(work: () => Promise<T>, o: { focus?: boolean } = {}): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      // A request the element cancelled itself (a newer search) failed no one: nothing to say.
      if (error instanceof DOMException && error.name === 'AbortError') return undefined;
      // By name, not class: a page that loaded the bundle twice has two ApiError classes.
      const apiError =
        error instanceof Error && error.name === 'ApiError'
          ? (error as ApiError)
          : new ApiError(0, 'internal_error', String(error));
      this.errorCode = apiError.code;
      const rules = apiError.body.rules;
      if (Array.isArray(rules)) this.failed = rules.map(String);
      // The server words its errors in the language the request asked for (`api()`).
      this.error = this.errorMessage(apiError.code, apiError.message);
      emit(this, 'reset-error', { code: apiError.code, message: this.error });
      const field = this.fieldOf(apiError.code);
      if (o.focus !== false) this.focusLater(field ? `#${this.uid}-${field}` : this.alertSelector);
      return undefined;
    }
  }

  /** Where an error is announced and focus goes when one happens. */
  protected get alertSelector(): string {
    return '[role=alert]';
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

  /**
   * The alert region: where errors about the whole form are announced (and focus goes) — hidden
   * while there is none, or while the error is about one field and shown beside it.
   */
  protected alert(): TemplateResult {
    return alertRegion(this.errorId, this.fieldOf(this.errorCode) ? '' : this.error);
  }

  /** The words for an error: the element's own where it has some, else the server's. */
  protected errorMessage(code: string, serverMessage?: string): string {
    return errorText(this.m, code, serverMessage);
  }

  /** The key of the field an error code is about (its id is `${uid}-${key}`); null: the whole form's. */
  protected fieldOf(_code: string): string | null {
    return null;
  }

  /** The error to show beside the field `key`, if the last error is about it. */
  protected errorFor(key: string): string | undefined {
    return this.error && this.fieldOf(this.errorCode) === key ? this.error : undefined;
  }

  /** A button that says it is working while a request runs. */
  protected busyButton(o: BusyButtonView): TemplateResult {
    return html`<button type=${o.type ?? 'submit'} class="primary" ?disabled=${this.busy} @click=${o.onClick}>
      ${this.busy ? this.m.working : o.label}
    </button>`;
  }
}
