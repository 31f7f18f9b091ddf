/** `<client-reset-panel>`: staff help a client back into an account, or search the client list. */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { ApiError, call, type CallOptions } from '../internal/api.js';
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
    dialogOpen: { state: true },
    picked: { state: true },
  };
  protected readonly ownEn = panelEn;
  protected readonly localeKey = 'panel';

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
  declare private dialogOpen: boolean;
  /** The client picked in the list (when no `client-id` is set). */
  declare private picked: string;
  /** A token `getToken()` gave after a 401, kept until `token` changes. */
  #freshToken = '';

  constructor() {
    super();
    this.clientId = this.token = this.query = this.notice = this.newEmail = '';
    this.shown = this.picked = '';
    this.clients = [];
    this.events = [];
    this.next = this.client = null;
    this.editingEmail = this.temporary = this.copied = this.dialogOpen = false;
    this.step = 'choose';
    this.mode = 'random';
    this.delivery = 'email';
  }

  get #currentId(): string {
    return this.clientId || this.picked;
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('token')) this.#freshToken = '';
    if (changed.has('clientId') || changed.has('picked') || changed.has('token') || changed.has('apiBase')) {
      if (this.#currentId) void this.#load();
      else if (!changed.has('picked') || this.clients.length === 0) void this.#search();
    }
  }

  /** Calls the staff API with the token, asking `getToken()` once more after a 401. */
  async #staff<T>(path: string, options: CallOptions = {}): Promise<T> {
    if (!this.token && !this.#freshToken && this.getToken) this.#freshToken = await this.getToken();
    try {
      return await call<T>(this.base, `/admin${path}`, { ...options, token: this.#freshToken || this.token });
    } catch (error) {
      if (!(error instanceof ApiError && error.status === 401 && this.getToken)) throw error;
      this.#freshToken = await this.getToken();
      return call<T>(this.base, `/admin${path}`, { ...options, token: this.#freshToken });
    }
  }

  async #search(more = false): Promise<void> {
    const cursor = more && this.next ? `&cursor=${encodeURIComponent(this.next)}` : '';
    const page = await this.run(() =>
      this.#staff<{ items: ClientSummary[]; next: string | null }>(
        `/clients?q=${encodeURIComponent(this.query)}&limit=25${cursor}`,
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
    const id = encodeURIComponent(this.#currentId);
    const found = await (this.client ? this.quietly.bind(this) : this.run.bind(this))(() =>
      Promise.all([
        this.#staff<ClientSummary>(`/clients/${id}`),
        this.#staff<{ items: ClientEvent[] }>(`/clients/${id}/events?limit=10`),
      ]),
    );
    if (!found) return;
    [this.client, { items: this.events }] = found;
  }

  #pick(client: ClientSummary, lock = false): void {
    this.picked = client.id;
    this.client = client;
    this.notice = '';
    emit(this, 'reset-client-select', { clientId: client.id });
    if (lock) void this.updateComplete.then(() => this.#openDialog());
    else this.focusLater('h2');
  }

  #backToList(): void {
    this.picked = '';
    this.client = null;
    this.focusLater('input[type=search]');
  }

  async #sendLink(kind: 'reset-link' | 'invite'): Promise<void> {
    const client = this.client!;
    const path = kind === 'invite' ? 'invite' : 'reset-link';
    const sent = await this.run(() =>
      this.#staff<{ resendsLeft: number }>(`/clients/${encodeURIComponent(client.id)}/${path}`, {
        method: 'POST',
      }),
    );
    void this.#load();
    if (!sent) return;
    this.notice = this.m.linkSent(client.email ?? '');
    emit(this, 'reset-sent', { kind, resendsLeft: sent.resendsLeft });
    this.focusLater('.status');
  }

  async #patch(body: Record<string, unknown>): Promise<boolean> {
    const client = this.client!;
    const updated = await this.run(() =>
      this.#staff<ClientSummary>(`/clients/${encodeURIComponent(client.id)}`, { method: 'PATCH', body }),
    );
    if (!updated) return false;
    this.client = updated;
    this.notice = this.m.saved;
    emit(this, 'reset-client-updated', { clientId: client.id });
    void this.#load();
    return true;
  }

  async #saveEmail(event: Event): Promise<void> {
    event.preventDefault();
    if (await this.#patch({ email: this.newEmail })) {
      this.editingEmail = false;
      this.focusLater('.status');
    }
  }

  get #dialog(): HTMLDialogElement | null | undefined {
    return this.shadowRoot?.querySelector('dialog');
  }

  #openDialog(): void {
    const caps = this.client!.capabilities;
    this.step = 'choose';
    this.mode = caps.randomPassword ? 'random' : 'custom';
    this.delivery = this.client!.email ? 'email' : caps.temporaryPassword ? 'display' : 'none';
    this.temporary = false;
    this.password = this.confirm = this.shown = '';
    this.error = '';
    this.copied = false;
    this.failed = [];
    this.dialogOpen = true;
    this.#dialog?.showModal();
    this.focusLater('dialog input:not([disabled])');
  }

  #closeDialog(): void {
    this.#dialog?.close();
  }

  #onDialogClose(): void {
    // The password shown once is gone with the dialog.
    this.shown = this.password = this.confirm = '';
    this.step = 'choose';
    this.dialogOpen = false;
    this.focusLater('[part~=lock]');
    void this.#load();
  }

  /** While the dialog is open, its own alert speaks (the page's is behind the modal). */
  protected override get alertSelector(): string {
    return this.dialogOpen ? 'dialog [role=alert]' : '[role=alert]';
  }

  #setMode(mode: 'custom' | 'random'): void {
    this.mode = mode;
    if (mode === 'custom' && this.delivery === 'display')
      this.delivery = this.client?.email ? 'email' : 'none';
    if (mode === 'random' && this.delivery === 'none')
      this.delivery = this.client?.email ? 'email' : 'display';
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
    const client = this.client!;
    const body =
      this.mode === 'custom'
        ? { mode: 'custom', password: this.password, delivery: this.delivery, temporary: this.temporary }
        : { mode: 'random', delivery: this.delivery, temporary: this.temporary };
    const done = await this.run(() =>
      this.#staff<{ password?: string; delivered?: string }>(
        `/clients/${encodeURIComponent(client.id)}/password`,
        { body },
      ),
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
    emit(this, 'reset-password-set', {
      clientId: client.id,
      delivered: this.delivery === 'display' ? 'display' : this.delivery,
      temporary: this.temporary,
    });
    this.focusLater('dialog .status');
  }

  async #copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.shown);
      this.copied = true;
    } catch {
      // No clipboard (permission, insecure page): select the text so it can be copied by hand.
      const code = this.shadowRoot?.querySelector('code');
      if (code) getSelection()?.selectAllChildren(code);
    }
  }

  protected ruleInputs() {
    const c = this.client;
    return {
      policy: c?.passwordPolicy ?? null,
      context: contextWords(c?.name, c?.email, c?.username),
    };
  }

  #date(iso: string | null): string {
    return iso
      ? new Intl.DateTimeFormat(langOf(this), { dateStyle: 'medium', timeStyle: 'short' }).format(
          new Date(iso),
        )
      : '';
  }

  #badges(c: ClientSummary): TemplateResult {
    const m = this.m;
    const badge = (text: string, tone = '') => html`<span part="badge" data-tone=${tone}>${text}</span>`;
    return html`${badge(m.statuses[c.status], c.status === 'force_reset' ? 'warn' : '')}
    ${c.loginEnabled ? nothing : badge(m.loginDisabled, 'off')}
    ${c.email && !c.emailConfirmed ? badge(m.emailUnconfirmed, 'warn') : nothing}
    ${c.tenantCount > 1 ? badge(m.shared(c.tenantCount)) : nothing}`;
  }

  /** A button that is disabled with its reason read out, when the server says the action is unavailable. */
  /**
   * Why a capability is unavailable, in the element's language, from the summary's facts (the
   * server's English sentence only when none of them explains it).
   */
  #reason(capability: Capability): string | undefined {
    const c = this.client!;
    if (c.capabilities[capability]) return undefined;
    const m = this.m;
    const shared = c.tenantCount > 1;
    switch (capability) {
      case 'resetLink':
      case 'invite':
        return !c.email ? m.whyNoEmail : m.nextAt(this.#date(c.resendsRetryAt));
      case 'customPassword':
        return shared ? m.whyShared : m.whyForbidden;
      case 'temporaryPassword':
        return m.whyShared;
      case 'randomPassword':
        return `${m.whyShared} ${m.whyNoEmail}`;
      case 'changeEmail':
        return m.whyEmailShared;
      default:
        return c.reasons[capability];
    }
  }

  #action(
    label: string,
    capability: Capability,
    onClick: () => void,
    extra: TemplateResult | typeof nothing = nothing,
  ): TemplateResult {
    const reason = this.#reason(capability);
    const id = `${this.uid}-${capability}`;
    return html`<div>
      <button
        data-action=${capability}
        ?disabled=${!!reason || this.busy}
        aria-describedby=${reason ? id : nothing}
        @click=${onClick}
      >
        ${label}
      </button>
      ${reason ? html`<span class="reason" id=${id}>${reason}</span>` : extra}
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
        <label for="${this.uid}-q">${m.search}</label>
        <div class="row">
          <input
            id="${this.uid}-q"
            type="search"
            placeholder=${m.searchHint}
            .value=${this.query}
            @input=${onValue((value) => (this.query = value))}
          />
          <button type="submit">${m.search}</button>
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
                <td>${c.username ?? ''}</td>
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
      <p role="status" class="muted">${!this.busy && this.clients.length === 0 ? m.noClients : ''}</p>
      ${this.next ? html`<button @click=${() => this.#search(true)}>${m.more}</button>` : nothing}`;
  }

  /** The text saying why an option is unavailable, named by the option's `aria-describedby`. */
  #why(key: string, capability: Capability, tag = 'p'): TemplateResult | typeof nothing {
    const text = this.#reason(capability);
    return text
      ? tag === 'p'
        ? html`<p class="reason" id="${this.uid}-${key}">${text}</p>`
        : html`<span class="reason" id="${this.uid}-${key}">${text}</span>`
      : nothing;
  }

  #renderClient(c: ClientSummary): TemplateResult {
    const m = this.m;
    const credential = c.credential;
    // No way to set a password at all (shared and no email): the lock action says why instead.
    const noPassword = !c.capabilities.randomPassword && !c.capabilities.customPassword;
    const left =
      c.resendsLeft > 0 ? m.left(c.resendsLeft, c.resendsLimit) : m.nextAt(this.#date(c.resendsRetryAt));
    const budget = html`<span class="muted">${left}</span>`;
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
        credential && credential.kind !== 'member' && credential.expiresAt
          ? html`<p class="muted">
              ${m.issued(this.#date(credential.setAt), credential.issuedBy ?? '—', this.#date(credential.expiresAt))}
            </p>`
          : nothing
      }
      ${this.statusLine(this.notice)} ${this.dialogOpen ? nothing : this.alert()}
      <div class="row">
        <button
          part="lock"
          class="primary"
          ?disabled=${this.busy || noPassword}
          aria-describedby=${noPassword ? `${this.uid}-lock-why` : nothing}
          @click=${this.#openDialog}
        >
          🔒 ${m.resetPassword}
        </button>
        ${noPassword ? this.#why('lock-why', 'randomPassword', 'span') : nothing}
      </div>
      ${this.#action(m.sendLink, 'resetLink', () => this.#sendLink('reset-link'), budget)}
      ${this.#action(m.resendWelcome, 'invite', () => this.#sendLink('invite'), budget)}
      ${this.check('login', m.enableLogin, c.loginEnabled, (on) => this.#patch({ loginEnabled: on }))}
      ${this.check('confirmed', m.emailConfirmed, c.emailConfirmed, (on) => this.#patch({ emailConfirmed: on }), !c.email)}
      ${
        this.editingEmail
          ? html`<form class="row" @submit=${this.#saveEmail}>
              <label for="${this.uid}-email">${m.newEmail}</label>
              <input
                id="${this.uid}-email"
                type="email"
                required
                .value=${this.newEmail}
                @input=${onValue((value) => (this.newEmail = value))}
              />
              ${this.busyButton(m.save)}
              <button
                type="button"
                @click=${() => {
                  this.editingEmail = false;
                  this.focusLater('[data-action=changeEmail]');
                }}
              >
                ${m.cancel}
              </button>
            </form>`
          : this.#action(m.changeEmail, 'changeEmail', () => {
              this.newEmail = c.email ?? '';
              this.editingEmail = true;
              this.focusLater(`#${this.uid}-email`);
            })
      }
      <section>
        <h3>${m.activity}</h3>
        ${
          this.events.length
            ? html`<ol part="activity">
                ${this.events.map(
                  (e) =>
                    html`<li>
                      ${this.#date(e.at)} — ${m.actionNames[e.action] ?? e.action}
                      (${m.outcomes[e.outcome] ?? e.outcome}) · <span class="muted">${e.actor}</span>
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
    const cancel = html`<button type="button" @click=${this.#closeDialog}>${m.cancel}</button>`;
    let body: TemplateResult;
    if (this.step === 'result') {
      body = html`${
          this.shown
            ? html`${this.statusLine(m.shownOnce)}
                <div class="row">
                  <code>${this.shown}</code>
                  <button type="button" @click=${this.#copy}>${this.copied ? m.copied : m.copy}</button>
                </div>`
            : this.statusLine(this.delivery === 'email' ? m.emailed(c.email ?? '') : m.setDone)
        } <button type="button" class="primary" @click=${this.#closeDialog}>${m.close}</button>`;
    } else if (this.step === 'confirm') {
      body = html`<p>${m.confirmText(c.name)}</p>
        ${this.alert()}
        <div class="row">
          <button type="button" @click=${() => (this.step = 'choose')}>${m.cancel}</button>
          ${this.busyButton(m.resetAndSend, 'button', this.#resetAndSend)}
        </div>`;
    } else {
      const tempWhy = `${this.uid}-temp-why`;
      body = html`<form @submit=${this.#next}>
        <fieldset>
          <legend>${m.kind}</legend>
          ${this.check('mode-random', m.random, !custom, () => this.#setMode('random'), !caps.randomPassword, undefined, 'mode')}
          ${this.check('mode-custom', m.custom, custom, () => this.#setMode('custom'), !caps.customPassword, `${this.uid}-custom-why`, 'mode')}
          ${this.#why('custom-why', 'customPassword')}
        </fieldset>
        ${custom ? this.passwordFields(m.keep) : nothing}
        <fieldset>
          <legend>${m.delivery}</legend>
          ${delivery('email', m.byEmail, !c.email)}
          ${custom ? delivery('none', m.inPerson, false) : delivery('display', m.showOnce, !caps.temporaryPassword, tempWhy)}
        </fieldset>
        ${this.check('temp', m.temporary, this.temporary, (on) => (this.temporary = on), !caps.temporaryPassword, tempWhy)}
        ${this.#why('temp-why', 'temporaryPassword')} ${this.alert()}
        <div class="row">
          ${cancel}
          <button type="submit" class="primary">${custom && !this.password ? m.keepButton : m.next}</button>
        </div>
      </form>`;
    }
    return html`<dialog part="dialog" aria-labelledby="${this.uid}-dt" @close=${this.#onDialogClose}>
      <h2 id="${this.uid}-dt">${m.dialogTitle(c.name)}</h2>
      ${body}
    </dialog>`;
  }

  protected override render(): TemplateResult {
    const client = this.#currentId ? this.client : null;
    return html`<div part="base">
      ${
        client
          ? this.#renderClient(client)
          : this.#currentId
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
