/** `<client-reset-panel>`: staff help a client back into an account, or search the client list. */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import type { PropertyValues } from '../internal/base-element.js';
import { ApiError, type CallOptions } from '../internal/api.js';
import { emit } from '../internal/events.js';
import { langOf } from '../internal/messages.js';
import { contextWords } from '../internal/password-fields.js';
import { onValue, ResetElement } from '../internal/reset-element.js';
import { panelEn, type PanelMessages } from './client-reset-panel.messages.js';
import { panelStyles } from './client-reset-panel.styles.js';
import type { Capability, ClientSummary } from '../../server/flows/client-summary.js';

// The summary's shape comes from the server's own type: one contract, checked at build time.
export type { ClientSummary } from '../../server/flows/client-summary.js';

interface ClientEvent {
  at: string;
  actor: string;
  action: string;
  outcome: string;
  /** What happened, in words, in the element's language (from the server). */
  text?: string;
}

type Step = 'choose' | 'confirm' | 'result';

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
 * @cssprop --reset-badge-bg - Badge background.
 * @cssprop --reset-badge-text - Badge text.
 * @cssprop --reset-warn-bg - Background of the "force password reset" and "email not confirmed" badges.
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
    editingEmail: { state: true },
    newEmail: { state: true },
    step: { state: true },
    mode: { state: true },
    delivery: { state: true },
    temporary: { state: true },
    shown: { state: true },
    copied: { state: true },
    picked: { state: true },
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
  declare private editingEmail: boolean;
  declare private newEmail: string;
  declare private step: Step;
  declare private mode: 'custom' | 'random';
  declare private delivery: 'email' | 'display' | 'none';
  declare private temporary: boolean;
  declare private shown: string;
  declare private copied: boolean;
  /** The client picked in the list (when no `client-id` is set). */
  declare private picked: string;
  /** A token `getToken()` gave, kept until `token` changes. */
  #freshToken = '';
  /** `showLock()` was called before the client was shown. */
  #lock = false;

  constructor() {
    super();
    this.clientId = this.token = this.query = this.notice = this.newEmail = this.shown = this.picked = '';
    this.clients = this.events = [];
    this.next = this.client = null;
    this.editingEmail = this.temporary = this.copied = false;
    this.step = 'choose';
    this.mode = 'random';
    this.delivery = 'email';
  }

  get #id(): string {
    return this.clientId || this.picked;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('token')) this.#freshToken = '';
    // Another client: a dialog about the last one must not act on this one.
    if (changed.has('clientId') || changed.has('picked')) this.#closeDialog();
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

  async #search(more = false): Promise<void> {
    const cursor = more && this.next ? `&cursor=${encodeURIComponent(this.next)}` : '';
    const page = await this.run(() =>
      this.#staff<{ items: ClientSummary[]; next: string | null }>(
        `?q=${encodeURIComponent(this.query)}&limit=25${cursor}`,
      ),
    );
    if (!page) return;
    this.clients = more ? [...this.clients, ...page.items] : page.items;
    this.next = page.next;
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
    const found = await (this.client ? this.quietly(both) : this.run(both));
    // Staff may have moved on to another client (or the list) meanwhile.
    if (found && id === this.#id) [this.client, { items: this.events }] = found;
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
      void this.updateComplete.then(() => this.#openDialog());
    }
  }

  /** Sends a request about the shown client; its answer, or undefined after a shown error. */
  #act<T>(path: string, options: CallOptions): Promise<T | undefined> {
    return this.run(() => this.#staff<T>(`/${encodeURIComponent(this.client!.id)}${path}`, options));
  }

  #pick(client: ClientSummary, lock = false): void {
    this.picked = client.id;
    this.client = client;
    this.notice = '';
    emit(this, 'reset-client-select', { clientId: client.id });
    if (lock) this.showLock();
    else this.focusLater('h2');
  }

  #backToList(): void {
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
    if (!updated) return false;
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

  #editEmail(on: boolean, focus: string): void {
    this.newEmail = this.client!.email ?? '';
    this.editingEmail = on;
    this.focusLater(focus);
  }

  get #dialog(): HTMLDialogElement | null | undefined {
    return this.renderRoot.querySelector('dialog');
  }

  /** Every change of the dialog renders (focus moves), so its `open` is read from the DOM. */
  get #dialogOpen(): boolean {
    return !!this.#dialog?.open;
  }

  #openDialog(): void {
    const c = this.client!;
    this.step = 'choose';
    this.mode = c.capabilities.randomPassword ? 'random' : 'custom';
    this.delivery = c.email ? 'email' : c.capabilities.temporaryPassword ? 'display' : 'none';
    this.temporary = this.copied = false;
    this.password = this.confirm = this.shown = this.error = '';
    this.failed = [];
    this.#dialog?.showModal();
    this.focusLater('dialog input:not([disabled])');
  }

  #closeDialog(): void {
    this.#dialog?.close();
  }

  #onDialogClose(): void {
    // The password shown once is gone with the dialog, and so is what the dialog said.
    this.shown = this.password = this.confirm = this.error = '';
    this.step = 'choose';
    this.focusLater('[part~=lock]');
    void this.#load();
  }

  /** While the dialog is open, its own alert speaks (the page's is behind the modal). */
  protected override get alertSelector(): string {
    return `${this.#dialogOpen ? 'dialog ' : ''}[role=alert]`;
  }

  #setMode(mode: 'custom' | 'random'): void {
    this.mode = mode;
    // Random passwords can be shown but not told in person; custom ones the other way round.
    if (this.delivery !== 'email')
      this.delivery = this.client!.email ? 'email' : mode === 'custom' ? 'none' : 'display';
  }

  #next(event: Event): void {
    event.preventDefault();
    if (this.mode === 'custom') {
      // Nothing typed: keep the current password.
      if (!this.password) return this.#closeDialog();
      if (this.refusedLocally()) return;
    }
    this.step = 'confirm';
    this.focusLater('dialog .primary');
  }

  async #resetAndSend(): Promise<void> {
    const { mode, delivery, temporary } = this;
    const done = await this.#act<{ password?: string }>('/password', {
      body: { mode, ...(mode === 'custom' && { password: this.password }), delivery, temporary },
    });
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
      getSelection()?.selectAllChildren(this.renderRoot.querySelector('code')!);
    }
  }

  protected ruleInputs() {
    const c = this.client;
    return { policy: c?.passwordPolicy ?? null, context: contextWords(c?.name, c?.email, c?.username) };
  }

  #date(iso: string | null): string {
    return iso ? new Date(iso).toLocaleString(langOf(this), { dateStyle: 'medium', timeStyle: 'short' }) : '';
  }

  #badges(c: ClientSummary): TemplateResult {
    const m = this.m;
    const badge = (text: string, tone = '') => html`<span part="badge" data-tone=${tone}>${text}</span>`;
    return html`${badge(m.statuses[c.status], c.status === 'force_reset' ? 'warn' : '')}
    ${c.loginEnabled ? nothing : badge(m.loginDisabled, 'off')}
    ${c.email && !c.emailConfirmed ? badge(m.emailUnconfirmed, 'warn') : nothing}
    ${c.tenantCount > 1 ? badge(m.shared(c.tenantCount)) : nothing}`;
  }

  /** Why staff cannot do this, in the server's words (in the element's language); nothing when they can. */
  #why(capability: Capability): string | undefined {
    const c = this.client!;
    return c.capabilities[capability] ? undefined : c.reasons[capability];
  }

  /**
   * Why an option is unavailable, with the capability as its id for the option's
   * `aria-describedby`, then `note` (shown alone when the option is available).
   */
  #reason(capability: Capability, note = ''): TemplateResult | typeof nothing {
    const why = this.#why(capability);
    const text = [why, note].filter(Boolean).join(' ');
    return text ? html`<span class=${why ? 'reason' : 'muted'} id=${capability}>${text}</span>` : nothing;
  }

  /** A button that is disabled, with its reason read out, when the server says the action is unavailable. */
  #action(label: string, capability: Capability, onClick: () => void, note = ''): TemplateResult {
    const why = this.#why(capability);
    return html`<div>
      <button
        data-action=${capability}
        ?disabled=${!!why || this.busy}
        aria-describedby=${why ? capability : nothing}
        @click=${onClick}
      >
        ${label}
      </button>
      ${this.#reason(capability, note)}
    </div>`;
  }

  #renderList(): TemplateResult {
    const m = this.m;
    return html`<form
        role="search"
        @submit=${(e: Event) => {
          e.preventDefault();
          void this.#search();
        }}
      >
        <label for="q">${m.search}</label>
        <div class="row">
          <input
            id="q"
            type="search"
            placeholder=${m.searchHint}
            .value=${this.query}
            @input=${onValue((value) => (this.query = value))}
          />
          <button>${m.search}</button>
        </div>
      </form>
      ${this.alert()}
      <table part="list">
        <thead>
          <tr>
            ${[m.name, m.email, m.username, m.status].map((text) => html`<th scope="col">${text}</th>`)}
            <th scope="col"><span class="sr">${m.actions}</span></th>
          </tr>
        </thead>
        <tbody>
          ${this.clients.map(
            (c) =>
              html`<tr part="row">
                <td><button class="link" @click=${() => this.#pick(c)}>${c.name}</button></td>
                <td>${c.email ?? html`<span class="muted">${m.noEmail}</span>`}</td>
                <td>${c.username}</td>
                <td>${this.#badges(c)}</td>
                <td>
                  <button
                    part="lock"
                    aria-label=${m.lock(c.name)}
                    title=${m.lock(c.name)}
                    @click=${() => this.#pick(c, true)}
                  >
                    🔒
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      <p role="status" class="muted">${this.busy || this.clients.length ? '' : m.noClients}</p>
      ${this.next ? html`<button @click=${() => this.#search(true)}>${m.more}</button>` : nothing}`;
  }

  #renderClient(c: ClientSummary): TemplateResult {
    const m = this.m;
    const credential = c.credential;
    // No way to set a password at all (shared and no email): the lock action says why instead.
    const noPassword = !c.capabilities.randomPassword && !c.capabilities.customPassword;
    const budget = c.email
      ? c.resendsLeft
        ? m.left(c.resendsLeft, c.resendsLimit)
        : m.nextAt(this.#date(c.resendsRetryAt))
      : '';
    return html`${this.clientId ? nothing : html`<button class="link" @click=${this.#backToList}>← ${m.back}</button>`}
      <h2 tabindex="-1">${c.name}</h2>
      <div>${this.#badges(c)}</div>
      <dl>
        <dt>${m.email}</dt>
        <dd>${c.email ?? m.noEmail}</dd>
        ${
          c.username
            ? html`<dt>${m.username}</dt>
                <dd>${c.username}</dd>`
            : nothing
        }
      </dl>
      ${
        credential?.kind !== 'member' && credential?.expiresAt
          ? html`<p class="muted">
              ${m.issued(this.#date(credential.setAt), credential.issuedBy ?? '—', this.#date(credential.expiresAt))}
            </p>`
          : nothing
      }
      ${this.statusLine(this.notice)} ${this.#dialogOpen ? nothing : this.alert()}
      <div class="row">
        <button
          part="lock"
          class="primary"
          ?disabled=${this.busy || noPassword}
          aria-describedby=${noPassword ? 'randomPassword' : nothing}
          @click=${this.#openDialog}
        >
          🔒 ${m.resetPassword}
        </button>
        ${noPassword ? this.#reason('randomPassword') : nothing}
      </div>
      ${this.#action(m.sendLink, 'resetLink', () => this.#sendLink('reset-link'), budget)}
      ${this.#action(m.resendWelcome, 'invite', () => this.#sendLink('invite'), budget)}
      ${this.check('login', m.enableLogin, c.loginEnabled, (on) => this.#patch({ loginEnabled: on }))}
      ${this.check('confirmed', m.emailConfirmed, c.emailConfirmed, (on) => this.#patch({ emailConfirmed: on }), !c.email)}
      ${
        this.editingEmail
          ? html`<form class="row" @submit=${this.#saveEmail}>
              <label for="email">${m.newEmail}</label>
              <input
                id="email"
                type="email"
                required
                .value=${this.newEmail}
                @input=${onValue((value) => (this.newEmail = value))}
              />
              ${this.busyButton(m.save)}
              <button type="button" @click=${() => this.#editEmail(false, '[data-action=changeEmail]')}>
                ${m.cancel}
              </button>
            </form>`
          : this.#action(m.changeEmail, 'changeEmail', () => this.#editEmail(true, '#email'))
      }
      <section>
        <h3>${m.activity}</h3>
        ${
          this.events.length
            ? html`<ol part="activity">
                ${this.events.map(
                  (e) =>
                    html`<li>
                      ${this.#date(e.at)} — ${e.text ?? e.action} · <span class="muted">${e.actor}</span>
                    </li>`,
                )}
              </ol>`
            : html`<p class="muted">${m.noActivity}</p>`
        }
      </section>
      ${this.#renderDialog(c)}`;
  }

  #renderDialog(c: ClientSummary): TemplateResult {
    const m = this.m;
    const caps = c.capabilities;
    const custom = this.mode === 'custom';
    const delivery = (value: 'email' | 'display' | 'none', label: string, disabled: boolean, why?: string) =>
      this.check(
        `delivery-${value}`,
        label,
        this.delivery === value,
        () => (this.delivery = value),
        disabled,
        why,
        'delivery',
      );
    const cancel = (onClick = this.#closeDialog) =>
      html`<button type="button" @click=${onClick}>${m.cancel}</button>`;
    let body: TemplateResult;
    if (this.step === 'result') {
      body = html`${
          this.shown
            ? html`${this.statusLine(m.shownOnce)}
                <div class="row">
                  <code>${this.shown}</code>
                  <button type="button" @click=${this.#copy}>${this.copied ? m.copied : m.copy}</button>
                </div>`
            : this.statusLine(this.delivery === 'email' ? m.emailed(c.email!) : m.setDone)
        } <button type="button" class="primary" @click=${this.#closeDialog}>${m.close}</button>`;
    } else if (this.step === 'confirm') {
      body = html`<p>${m.confirmText(c.name)}</p>
        ${this.alert()}
        <div class="row">
          ${cancel(() => (this.step = 'choose'))}
          ${this.busyButton(this.delivery === 'email' ? m.resetAndSend : m.resetPassword, 'button', this.#resetAndSend)}
        </div>`;
    } else {
      body = html`<form @submit=${this.#next}>
        <fieldset>
          <legend>${m.kind}</legend>
          ${this.check('mode-random', m.random, !custom, () => this.#setMode('random'), !caps.randomPassword, '', 'mode')}
          ${this.check('mode-custom', m.custom, custom, () => this.#setMode('custom'), !caps.customPassword, 'customPassword', 'mode')}
          ${this.#reason('customPassword')}
        </fieldset>
        ${custom ? this.passwordFields(m.keep) : nothing}
        <fieldset>
          <legend>${m.delivery}</legend>
          ${delivery('email', m.byEmail, !c.email)}
          ${custom ? delivery('none', m.inPerson, false) : delivery('display', m.showOnce, !caps.temporaryPassword, 'temporaryPassword')}
        </fieldset>
        ${this.check('temp', m.temporary, this.temporary, (on) => (this.temporary = on), !caps.temporaryPassword, 'temporaryPassword')}
        ${this.#reason('temporaryPassword')} ${this.alert()}
        <div class="row">
          ${cancel()}
          <button class="primary">${custom && !this.password ? m.keepButton : m.next}</button>
        </div>
      </form>`;
    }
    // A closed dialog holds nothing: no second alert, no field with an id the page also uses.
    return html`<dialog part="dialog" aria-labelledby="dt" @close=${this.#onDialogClose}>
      <h2 id="dt">${m.lock(c.name)}</h2>
      ${this.#dialogOpen ? body : nothing}
    </dialog>`;
  }

  protected override render(): TemplateResult {
    const client = this.#id ? this.client : null;
    return html`<div part="base">
      ${
        client
          ? this.#renderClient(client)
          : this.#id
            ? html`<p role="status">${this.busy ? this.m.loading : ''}</p>
                ${this.alert()}`
            : this.#renderList()
      }
    </div>`;
  }
}

customElements.define('client-reset-panel', ClientResetPanel);

declare global {
  interface HTMLElementTagNameMap {
    'client-reset-panel': ClientResetPanel;
  }
}
