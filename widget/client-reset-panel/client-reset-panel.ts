/** `<client-reset-panel>`: staff help a client back into an account, or search the client list. */
import { html, type PropertyValues, type TemplateResult } from 'lit';
import { ApiError, type CallOptions } from '../internal/api.js';
import type { ClientEvent, ClientPage, ClientSummary } from '../internal/client-types.js';
import { emit } from '../internal/events.js';
import { langOf } from '../internal/messages.js';
import { ResetElement } from '../internal/reset-element.js';
import { statusLine } from '../internal/templates.js';
import { clientList } from './client-list.js';
import { clientPage } from './client-page.js';
import { panelEn, type PanelMessages } from '../locales/en.js';
import { panelStyles } from './client-reset-panel.styles.js';
import type { ClientResetLock } from './lock-dialog.js';

export type { ClientSummary } from '../internal/client-types.js';

/**
 * The lock dialog is its own file, loaded as soon as a client is shown (before staff can reach
 * for it), so a page that only shows the list or a status carries none of it.
 */
let lockDialog: Promise<unknown> | undefined;
const loadLockDialog = () =>
  (lockDialog ??= import('./lock-dialog.js').catch(() => {
    lockDialog = undefined;
    throw new ApiError(0, 'network_error', 'network');
  }));

/** How long typing pauses before the list is searched. */
const SEARCH_DELAY_MS = 250;

/**
 * The staff side of credential reset, for a client's page in an admin portal. With `client-id` it
 * shows the client's status (active, invited, force password reset with when, by whom and until
 * when, login disabled, email not confirmed), the lock action (custom or random password, emailed,
 * shown once or told in person, optionally temporary, confirmed before anything is replaced), send
 * reset link, resend welcome email with the day's budget, the *Enable login* and *Email
 * confirmed* toggles, *Change email* and recent activity. Without it, a searchable client list.
 * Actions the server's capabilities forbid are disabled with the reason shown.
 *
 * @fires reset-password-set - Staff set a password (`delivered`: `email`, `display` or `none`).
 * @fires reset-sent - A reset link (`kind: 'reset-link'`) or welcome email (`kind: 'invite'`) was sent; `resendsLeft`.
 * @fires reset-client-updated - Login enabled, email confirmed or email changed.
 * @fires reset-client-select - A client was picked in the list (`clientId`).
 * @fires reset-error - A request failed; `code` is the API's error code.
 * @csspart base - The element's root.
 * @csspart list - The client table.
 * @csspart row - One client row.
 * @csspart badge - A status badge.
 * @csspart lock - The lock (reset password) button.
 * @csspart dialog - The reset-password dialog.
 * @csspart activity - The recent-activity list.
 * @cssprop --reset-accent - Primary button colour.
 * @cssprop --reset-accent-text - Primary button text colour.
 * @cssprop --reset-button-bg - Other buttons' background.
 * @cssprop --reset-link - Colour of link-styled buttons.
 * @cssprop --reset-text - Text colour.
 * @cssprop --reset-muted - Colour of hints and reasons.
 * @cssprop --reset-border - Input and button border colour.
 * @cssprop --reset-border-light - Table and fieldset lines.
 * @cssprop --reset-radius - Corner radius.
 * @cssprop --reset-focus - Focus ring colour.
 * @cssprop --reset-error - Error colour.
 * @cssprop --reset-ok - Success colour.
 * @cssprop --reset-input-bg - Input background.
 * @cssprop --reset-dialog-bg - The dialog's background.
 * @cssprop --reset-badge-bg - Badge background.
 * @cssprop --reset-badge-text - Badge text.
 * @cssprop --reset-ok-bg - Background of the "active" badge.
 * @cssprop --reset-ok-text - Its text colour.
 * @cssprop --reset-info-bg - Background of the "invited" badge.
 * @cssprop --reset-info-text - Its text colour.
 * @cssprop --reset-warn-bg - Background of the "force password reset", "one-time password" and "email not confirmed" badges.
 * @cssprop --reset-warn-text - Their text colour.
 * @cssprop --reset-off-bg - Background of the "login disabled" badge.
 * @cssprop --reset-off-text - Its text colour.
 * @cssprop --reset-code-bg - Background of a password shown once.
 * @cssprop --reset-backdrop - Colour behind the dialog.
 * @cssprop --reset-font - Font.
 */
export class ClientResetPanel extends ResetElement<PanelMessages> {
  static override styles = panelStyles;
  static override properties = {
    clientId: { attribute: 'client-id' },
    token: {},
    getToken: { attribute: false },
    clients: { state: true },
    next: { state: true },
    query: { state: true },
    client: { state: true },
    events: { state: true },
    notice: { state: true },
    newEmail: { state: true },
    picked: { state: true },
    loadFailed: { state: true },
  };
  protected readonly ownEn = panelEn;
  protected readonly localeKey = 'panel';
  // The shadow root keeps ids apart from the page's and other panels': no per-element prefix.
  protected override readonly uid = 'r';

  /** The client to show; without it the panel is a searchable client list. */
  declare clientId: string;
  /** The staff token your backend signed (claims `sub`, `tid`, `role`, `exp`). */
  declare token: string;
  /** Called for a token when none is set and again after a 401 (an expired token); may be async. */
  declare getToken?: () => string | Promise<string>;

  declare private clients: ClientSummary[];
  declare private next: string | null;
  declare private query: string;
  declare private client: ClientSummary | null;
  declare private events: ClientEvent[];
  declare private notice: string;
  /** The email being typed in *Change email*; null when not changing it. */
  declare private newEmail: string | null;
  /** The client picked in the list (when no `client-id` is set). */
  declare private picked: string;
  /** The last load (list or client) failed: a Retry button is offered. */
  declare private loadFailed: boolean;
  /** A token `getToken()` gave, kept until `token` changes. */
  #freshToken = '';
  /** `showLock()` was called before the client was shown. */
  #lock = false;
  #searchTimer: ReturnType<typeof setTimeout> | undefined;
  /** Cancels the search in flight when another one starts. */
  #searchAbort: AbortController | null = null;
  /** The query whose results the list shows (and whose next page `next` points at). */
  #shownQuery = '';

  constructor() {
    super();
    this.clientId = this.token = this.query = this.notice = this.picked = '';
    this.clients = this.events = [];
    this.next = this.client = this.newEmail = null;
    this.loadFailed = false;
  }

  get #id(): string {
    return this.clientId || this.picked;
  }

  /** The lock dialog, once its code has loaded (null before). */
  get #lockDialog(): ClientResetLock | null {
    const found = this.renderRoot?.querySelector('client-reset-lock');
    return found instanceof HTMLElement && 'show' in found ? found : null;
  }

  /**
   * Opens the lock dialog, loading it first if it has not loaded yet (a failed load is shown as
   * the server not being reached; the next press tries again). Nothing opens for a client no
   * password can be set for: the lock button says why.
   */
  async #openLock(): Promise<void> {
    const c = this.client;
    if (!c || !(c.capabilities.randomPassword || c.capabilities.customPassword)) return;
    // A new try: the message of a load that failed before goes.
    this.error = this.errorCode = '';
    const loaded = await this.quietly(() => loadLockDialog());
    if (!loaded) return;
    await this.updateComplete;
    await this.#lockDialog?.show();
  }

  // `updateComplete` covers the lock dialog's own render too (tests and pages await one promise).
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    await this.#lockDialog?.updateComplete;
    return done;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#searchTimer);
    this.#searchAbort?.abort();
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // Fetched ahead once a client is shown (not on every render); a failure here is said when
    // staff press the lock.
    if (changed.has('client') && this.client) loadLockDialog().catch(() => undefined);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('token')) this.#freshToken = '';
    // Another client: a dialog about the last one must not act on this one, and nothing of the
    // last one stays on screen (or receives an action) while this one loads.
    if (changed.has('clientId') || changed.has('picked')) this.#lockDialog?.close();
    if (changed.has('clientId') && this.client && this.client.id !== this.clientId) {
      this.client = null;
      this.events = [];
    }
    // Nothing to ask before the page gives a token or a way to get one (it may come after the element).
    if (
      (this.token || this.getToken) &&
      ['clientId', 'picked', 'token', 'getToken', 'apiBase'].some((key) => changed.has(key))
    ) {
      if (this.#id) void this.#load();
      else if (!changed.has('picked') || !this.clients.length) void this.#search();
    }
  }

  /** Calls the staff API with the token, asking `getToken()` for one when there is none and once more after a 401. */
  async #staff<T>(path: string, options: CallOptions = {}, retried = false): Promise<T> {
    if (this.getToken && (retried || !(this.token || this.#freshToken)))
      this.#freshToken = await this.getToken();
    try {
      return await this.api<T>(`/admin/clients${path}`, {
        ...options,
        token: this.#freshToken || this.token,
      });
    } catch (error) {
      if (retried || !(error instanceof ApiError && error.status === 401 && this.getToken)) throw error;
      return this.#staff(path, options, true);
    }
  }

  /** Each keystroke in the search box: the list is searched once typing pauses. */
  #onQuery(query: string): void {
    this.query = query;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => void this.#search(), SEARCH_DELAY_MS);
  }

  /**
   * Searches now; a search still in flight is cancelled, so an older answer never replaces a newer
   * one (and only the latest search says whether it is busy). *Show more* pages the query that
   * is shown; if staff have typed since, it searches what they typed.
   */
  async #search(more = false): Promise<void> {
    clearTimeout(this.#searchTimer);
    this.#searchAbort?.abort();
    const abort = (this.#searchAbort = new AbortController());
    const query = this.query;
    const paging = more && !!this.next && query === this.#shownQuery;
    const path = `?q=${encodeURIComponent(query)}&limit=25${paging ? `&cursor=${encodeURIComponent(this.next!)}` : ''}`;
    this.busy = true;
    this.error = this.errorCode = '';
    this.loadFailed = false;
    // Staff may be typing: an error is shown without taking focus from the search box.
    const page = await this.quietly(() => this.#staff<ClientPage>(path, { signal: abort.signal }), {
      focus: false,
    });
    if (abort.signal.aborted) return;
    this.busy = false;
    this.#searchAbort = null;
    if (!page) {
      this.loadFailed = true;
      return;
    }
    this.clients = paging ? [...this.clients, ...page.items] : page.items;
    this.next = page.next;
    this.#shownQuery = query;
  }

  /**
   * Loads the client. Once it is shown, refreshes happen in the background: nothing is disabled
   * (focus stays where it is) and the last error stays on screen.
   */
  async #load(): Promise<void> {
    const id = this.#id;
    if (!id) return;
    const path = `/${encodeURIComponent(id)}`;
    const both = () =>
      Promise.all([
        this.#staff<ClientSummary>(path),
        this.#staff<{ items: ClientEvent[] }>(`${path}/events?limit=10`),
      ]);
    const shown = this.client?.id === id;
    if (!shown) this.loadFailed = false;
    const found = await (shown ? this.quietly(both, { focus: false }) : this.run(both));
    // Staff may have moved on to another client (or the list) meanwhile.
    if (id !== this.#id) return;
    if (found) [this.client, { items: this.events }] = found;
    else if (!shown) this.loadFailed = true;
    this.#lockIfShown();
  }

  /**
   * Opens the lock action (the password dialog) as soon as the client is shown: for a lock icon
   * in the page's own client list that leads here.
   */
  showLock(): void {
    this.#lock = true;
    this.#lockIfShown();
  }

  #lockIfShown(): void {
    if (this.#lock && this.client) {
      this.#lock = false;
      void this.#openLock();
    }
  }

  /** Sends a request about the shown client; its answer, or undefined after a shown error. */
  #act<T>(path: string, options: CallOptions): Promise<T | undefined> {
    return this.run(() => this.#request<T>(path, options));
  }

  /** The lock dialog's way to the API: about the shown client, with the panel's token. */
  #request = <T>(path: string, options: CallOptions): Promise<T> =>
    this.#staff<T>(`/${encodeURIComponent(this.client!.id)}${path}`, options);

  #pick(client: ClientSummary, lock: boolean): void {
    this.picked = client.id;
    this.client = client;
    this.notice = '';
    this.newEmail = null;
    emit(this, 'reset-client-select', { clientId: client.id });
    if (lock) this.showLock();
    else this.focusLater('h2');
  }

  #backToList(): void {
    this.error = this.errorCode = '';
    this.loadFailed = false;
    this.picked = '';
    this.client = null;
    this.focusLater('[type=search]');
  }

  async #sendLink(kind: 'reset-link' | 'invite'): Promise<void> {
    const { email } = this.client!;
    const sent = await this.#act<{ resendsLeft: number }>(`/${kind}`, { method: 'POST' });
    void this.#load();
    if (!sent) return;
    this.notice = this.m.linkSent(email!);
    emit(this, 'reset-sent', { kind, resendsLeft: sent.resendsLeft });
    this.focusLater('.status');
  }

  async #patch(body: Record<string, unknown>): Promise<boolean> {
    const updated = await this.#act<ClientSummary>('', { method: 'PATCH', body });
    if (!updated) {
      // A refused toggle: the box goes back to what the server has. (The template's value did not
      // change, so a render alone would leave the box as it was clicked.)
      const c = this.client!;
      const box = (id: string) => this.renderRoot.querySelector<HTMLInputElement>(`#${id}`);
      if (box('login')) box('login')!.checked = c.loginEnabled;
      if (box('confirmed')) box('confirmed')!.checked = c.emailConfirmed;
      return false;
    }
    this.client = updated;
    this.notice = this.m.saved;
    emit(this, 'reset-client-updated', { clientId: updated.id });
    void this.#load();
    return true;
  }

  async #saveEmail(event: Event): Promise<void> {
    event.preventDefault();
    if (await this.#patch({ email: this.newEmail })) this.#editEmail(false, '.status');
  }

  #editEmail(on: boolean, focus = on ? '#r-email' : '[data-action=changeEmail]'): void {
    this.newEmail = on ? (this.client!.email ?? '') : null;
    this.error = this.errorCode = '';
    this.focusLater(focus);
  }

  #onLockClosed = (): void => {
    this.focusLater('[part~=lock]');
    void this.#load();
  };

  #date(iso: string | null): string {
    return iso ? new Date(iso).toLocaleString(langOf(this), { dateStyle: 'medium', timeStyle: 'short' }) : '';
  }

  /** A refused address is said beside the email being typed. */
  protected override fieldOf(code: string): string | null {
    return this.newEmail !== null && (code === 'invalid_email' || code === 'email_in_use') ? 'email' : null;
  }

  #retry = (): void => void (this.#id ? this.#load() : this.#search());

  /** The alert, and Retry beside it when a load failed. */
  #alertWithRetry(): TemplateResult {
    return html`<div class="row">
      ${this.alert()}
      ${this.loadFailed ? html`<button type="button" @click=${this.#retry}>${this.m.retry}</button>` : ''}
    </div>`;
  }

  #body(): TemplateResult {
    const m = this.m;
    const client = this.#id ? this.client : null;
    if (client)
      return html`${clientPage({
          m,
          client,
          events: this.events,
          busy: this.busy,
          standalone: !!this.clientId,
          notice: statusLine(this.notice),
          alert: this.alert(),
          newEmail: this.newEmail,
          emailError: this.errorFor('email'),
          date: (iso) => this.#date(iso),
          saveButton: this.busyButton({ label: m.save }),
          onBack: () => this.#backToList(),
          onLock: () => void this.#openLock(),
          onSend: (kind) => void this.#sendLink(kind),
          onPatch: (body) => void this.#patch(body),
          onEditEmail: (on) => this.#editEmail(on),
          onEmailInput: (value) => (this.newEmail = value),
          onSaveEmail: (event) => void this.#saveEmail(event),
        })}
        <client-reset-lock
          lang=${langOf(this)}
          .apiBase=${this.apiBase}
          .messages=${this.messages}
          .client=${client}
          .request=${this.#request}
          .onClosed=${this.#onLockClosed}
        ></client-reset-lock>`;
    if (this.#id)
      return html`<p role="status">${this.busy ? m.loading : ''}</p>
        ${this.#alertWithRetry()}`;
    return clientList({
      m,
      clients: this.clients,
      query: this.query,
      busy: this.busy,
      hasMore: !!this.next,
      alert: this.#alertWithRetry(),
      onQuery: (query) => this.#onQuery(query),
      onSearch: () => void this.#search(),
      onPick: (client, lock) => this.#pick(client, lock),
      onMore: () => void this.#search(true),
    });
  }

  protected override render(): TemplateResult {
    return html`<div part="base">${this.#body()}</div>`;
  }
}

if (!customElements.get('client-reset-panel')) customElements.define('client-reset-panel', ClientResetPanel);

declare global {
  interface HTMLElementTagNameMap {
    'client-reset-panel': ClientResetPanel;
  }
}
