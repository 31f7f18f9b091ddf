/** What the three elements share: the API base, the language and its strings, busy/error state, focus after a change. */
import { LitElement, type CSSResult, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiError, defaultApiBase } from './api.js';
import { emit } from './events.js';
import {
  commonEn,
  errorText,
  langOf,
  loadLocale,
  localePack,
  type CommonMessages,
  type LocalePack,
} from './messages.js';

let nextId = 0;

export abstract class ResetElement<M extends object> extends LitElement {
  /** Base URL of the API, e.g. `https://reset.example.com/api`; defaults to `/api` on the server that served the script. */
  @property({ attribute: 'api-base' }) apiBase = '';

  /** Overrides any string of the element (both the shared ones and its own), e.g. `{send: 'Email me'}`. */
  @property({ attribute: false }) messages: Partial<CommonMessages & M> = {};

  @state() protected busy = false;
  /** The message of the last error, shown in the element's alert region. */
  @state() protected error = '';
  @state() protected errorCode = '';
  /** Password rules the server named in its last `password_rejected` answer. */
  @state() protected failed: string[] = [];

  /** A prefix that keeps ids unique when a page holds several elements. */
  protected readonly uid = `rst${++nextId}`;

  /** The element's own strings in English, and where its strings sit in a locale pack. */
  protected abstract readonly ownEn: M;
  protected abstract readonly localeKey: Exclude<keyof LocalePack, 'common'>;

  /** The strings in the element's language; a missing locale pack is loaded, then the element renders again. */
  protected get m(): CommonMessages & M {
    const lang = langOf(this);
    const pack = localePack(lang);
    if (lang !== 'en' && !pack) loadLocale(lang, () => this.requestUpdate());
    return {
      ...commonEn,
      ...this.ownEn,
      ...pack?.common,
      ...(pack?.[this.localeKey] as M | undefined),
      ...this.messages,
    };
  }

  protected get base(): string {
    return this.apiBase || defaultApiBase();
  }

  /** Runs one request with the busy flag set; an API error becomes the shown error and a `reset-error` event. */
  protected async run<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.busy = true;
    this.error = '';
    this.errorCode = '';
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
      // The server's own sentence is English: a fallback for English pages only.
      this.error = errorText(this.m, apiError.code, langOf(this) === 'en' ? apiError.message : undefined);
      emit(this, 'reset-error', { code: apiError.code, message: this.error });
      this.focusLater(this.alertSelector);
      return undefined;
    }
  }

  /** Where an error is announced and focus goes when one happens. */
  protected get alertSelector(): string {
    return '[role=alert]';
  }

  /** Refuses a password the page can already see failing, the way the server would: rules marked, message shown. */
  protected refuseLocally(rules: string[], field: string): void {
    this.failed = rules;
    this.errorCode = 'password_rejected';
    this.error = errorText(this.m, 'password_rejected');
    this.focusLater(field);
  }

  /** The id of the element's alert, for `aria-describedby` on the fields it speaks about. */
  protected get errorId(): string {
    return `${this.uid}-err`;
  }

  private pendingFocus: string | null = null;

  /** Moves focus, after the next render, to what changed (a heading, the first field, the alert). */
  protected focusLater(selector: string): void {
    this.pendingFocus = selector;
    this.requestUpdate();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (!this.pendingFocus) return;
    const root = this.renderRoot as ParentNode;
    const target = root.querySelector<HTMLElement>(this.pendingFocus);
    this.pendingFocus = null;
    target?.focus();
  }
}

/**
 * Member elements render into the light DOM, so password managers see a real form. Their styles
 * are adopted once by the document or shadow root the element lives in.
 */
export abstract class LightResetElement<M extends object> extends ResetElement<M> {
  protected abstract readonly sheet: CSSResult;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const root = this.getRootNode() as Document | ShadowRoot;
    const sheet = this.sheet.styleSheet;
    if (sheet && root.adoptedStyleSheets && !root.adoptedStyleSheets.includes(sheet)) {
      root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    }
  }
}
