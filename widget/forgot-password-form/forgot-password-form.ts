/** `<forgot-password-form>`: a member asks for a reset link, or arrives from one and sets the password. */
import { html, nothing, type TemplateResult } from 'lit';
import { emit } from '../internal/events.js';
import { formEn, type FormMessages } from '../locales/en.js';
import { personalWords } from '../internal/password-fields.js';
import { LightResetElement } from '../internal/light-element.js';
import { onValue, statusLine } from '../internal/templates.js';

type View =
  'request' | 'sent' | 'code' | 'checking' | 'set' | 'done' | 'dead' | 'renewed' | 'verify' | 'verified';

interface Inspection {
  purpose: 'reset' | 'invite' | 'verify-email';
  name: string;
  login: string | null;
  email: string | null;
  tenant: { id: string } | null;
}

/** Link errors that a fresh link fixes in one click. */
const RENEWABLE = ['link_expired', 'link_replaced', 'link_revoked'];

/**
 * A member's forgotten-password form. It asks for an email or username and always answers the
 * same way; opened from a link (token in the URL fragment) it checks the link first, then asks for
 * the new password — or the first one, for a welcome link — and explains a dead link, offering a
 * fresh one in one click. It reads the token and removes it from the address bar at once.
 * Inputs live in the light DOM inside a real `<form>`, so password managers work.
 *
 * @fires reset-sent - A link was requested (`kind`: `forgot` or `renew`).
 * @fires reset-complete - The password was set (`purpose`: `reset` or `invite`).
 * @fires reset-email-verified - The email address was confirmed.
 * @fires reset-error - A request failed; `code` is the API's error code.
 * @cssprop --reset-accent - Button colour.
 * @cssprop --reset-accent-text - Button text colour.
 * @cssprop --reset-link - Colour of link-styled buttons.
 * @cssprop --reset-text - Text colour.
 * @cssprop --reset-muted - Colour of hints and rules.
 * @cssprop --reset-border - Input border colour.
 * @cssprop --reset-input-bg - Input background.
 * @cssprop --reset-radius - Corner radius.
 * @cssprop --reset-focus - Focus ring colour.
 * @cssprop --reset-error - Error colour.
 * @cssprop --reset-ok - Colour of a met rule.
 * @cssprop --reset-notice-bg - Background of status notices.
 * @cssprop --reset-notice-text - Text colour of status notices.
 * @cssprop --reset-font - Font.
 * @cssprop --reset-max-width - Maximum width (28rem).
 */
export class ForgotPasswordForm extends LightResetElement<FormMessages> {
  static override properties = {
    tenant: {},
    loginUrl: { attribute: 'login-url' },
    token: { attribute: false },
    view: { state: true },
    code: { state: true },
    link: { state: true },
    loginKnown: { state: true },
  };
  protected readonly ownEn = formEn;
  protected readonly localeKey = 'form';

  /** Tenant id: limits the request to this company's members and picks its password rules. */
  declare tenant: string;
  /** Where members log in: offered once the password is set, and first when a link was already used. */
  declare loginUrl: string;
  /** A link token given by the page instead of the URL fragment (for single-page apps that route on the hash). */
  declare token: string;

  declare private view: View;
  declare private code: string;
  declare private link: Inspection | null;
  /** The link named the login (a username): the field is then hidden, there for the password manager. */
  declare private loginKnown: boolean;
  #inspected = false;

  constructor() {
    super();
    this.tenant = this.loginUrl = this.token = this.code = '';
    this.view = 'request';
    this.loginKnown = false;
    this.link = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
    if (fromHash) {
      // Off the address bar at once: out of history, bookmarks and screenshots.
      history.replaceState(history.state, '', location.pathname + location.search);
      this.token = fromHash;
    }
    // Once: a framework moving the element in the page must not check (or re-show) the link again.
    if (this.token && !this.#inspected) {
      this.#inspected = true;
      void this.#inspect();
    }
  }

  async #inspect(): Promise<void> {
    this.view = 'checking';
    const found = await this.run(() =>
      this.api<Inspection>('/links/inspect', { body: { token: this.token } }),
    );
    if (!found) return this.#showDead();
    this.link = found;
    // The login name in a hidden field tells the password manager which account to save under.
    // A masked email is no login name: then the member may type theirs (the field is optional).
    this.loginKnown = Boolean(found.login && !found.login.includes('***'));
    this.identifier = this.loginKnown ? found.login! : '';
    this.view = found.purpose === 'verify-email' ? 'verify' : 'set';
    if (this.view === 'set') void this.loadRules(found.tenant?.id ?? '');
    this.focusLater('h2');
  }

  /** Checks the link again after a failure that was not the link's (it is still in `token`). */
  #retry(): void {
    void (this.link?.purpose === 'verify-email' ? this.#verify() : this.#inspect());
  }

  /** A dead link: the explanation gets focus, so a screen reader reads why at once. */
  #showDead(): void {
    this.view = 'dead';
    this.focusLater('[role=alert]');
  }

  #show(view: View, focus = 'h2'): void {
    this.error = this.errorCode = '';
    // Asking for a new link starts over: nothing of a dead link's member stays behind.
    if (view === 'request') {
      this.link = null;
      this.loginKnown = false;
    }
    this.view = view;
    if (view === 'code') void this.loadRules(this.tenant);
    this.focusLater(focus);
  }

  async #requestLink(event: Event): Promise<void> {
    event.preventDefault();
    const sent = await this.run(() =>
      this.api('/forgot', {
        body: { identifier: this.identifier, ...(this.tenant ? { tenant: this.tenant } : {}) },
      }),
    );
    if (!sent) return;
    emit(this, 'reset-sent', { kind: 'forgot' });
    this.#show('sent', '.status');
  }

  async #renew(): Promise<void> {
    const sent = await this.run(() => this.api('/links/renew', { body: { token: this.token } }));
    if (!sent) return;
    emit(this, 'reset-sent', { kind: 'renew' });
    this.#show('renewed', '.status');
  }

  async #setPassword(event: Event): Promise<void> {
    event.preventDefault();
    if (this.refusedLocally()) return;
    const body =
      this.view === 'code'
        ? { identifier: this.identifier, code: this.code, password: this.password }
        : { token: this.token, password: this.password };
    const done = await this.run(() => this.api('/reset', { body }));
    if (!done) {
      if (this.errorCode.startsWith('link_')) this.#showDead();
      return;
    }
    emit(this, 'reset-complete', { purpose: this.link?.purpose ?? 'reset' });
    this.password = this.confirm = '';
    this.#show('done', '.status');
  }

  async #verify(): Promise<void> {
    const done = await this.run(() => this.api('/verify-email', { body: { token: this.token } }));
    if (!done) return this.#showDead();
    emit(this, 'reset-email-verified', {});
    this.#show('verified', '.status');
  }

  protected ruleInputs() {
    return {
      policy: this.rules,
      context: [
        ...personalWords({ name: this.link?.name, email: this.link?.email, login: this.link?.login }),
        ...personalWords({ login: this.identifier }),
      ],
    };
  }

  #logIn(): TemplateResult {
    return html`<a class="button" href=${this.loginUrl}>${this.m.logIn}</a>`;
  }

  protected override render(): TemplateResult {
    const m = this.m;
    const view = this.view;
    const toCode = html`<button type="button" class="link" @click=${() => this.#show('code')}>
      ${m.enterCode}
    </button>`;
    switch (view) {
      case 'checking':
        return html`<p role="status">${m.checking}</p>`;
      case 'sent':
      case 'renewed':
      case 'done':
      case 'verified':
        return html`<div class="panel">
          ${statusLine(m[view])} ${view === 'sent' ? toCode : nothing}
          ${(view === 'done' || view === 'verified') && this.loginUrl ? this.#logIn() : nothing}
        </div>`;
      case 'dead': {
        // A used link means the password is set: logging in comes first.
        const logInFirst = this.errorCode === 'link_used' && this.loginUrl;
        // Not the link's fault (the server could not be reached, or failed): the same link may work.
        const transient = !this.errorCode.startsWith('link_');
        return html`<div class="panel">
          ${this.alert()}
          ${
            transient
              ? this.busyButton({ label: m.retry, type: 'button', onClick: this.#retry })
              : RENEWABLE.includes(this.errorCode)
                ? this.busyButton({ label: m.renew, type: 'button', onClick: this.#renew })
                : html`${logInFirst ? this.#logIn() : nothing}
                    <button
                      type="button"
                      class=${logInFirst ? 'link' : ''}
                      @click=${() => this.#show('request')}
                    >
                      ${m.startOver}
                    </button>`
          }
        </div>`;
      }
      case 'verify':
        return html`<div class="panel">
          <h2 tabindex="-1">${m.verifyTitle}</h2>
          <p>${m.verifyIntro}</p>
          ${this.alert()} ${this.busyButton({ label: m.verify, type: 'button', onClick: this.#verify })}
        </div>`;
      case 'set': {
        const invite = this.link?.purpose === 'invite';
        return html`<form @submit=${this.#setPassword}>
          <h2 tabindex="-1">${invite ? m.inviteTitle(this.link!.name) : m.resetTitle}</h2>
          ${invite ? html`<p>${m.inviteIntro}</p>` : nothing}
          ${
            // A known login sits hidden for the password manager; a masked email is none to show.
            this.loginKnown ? this.identifierField({ hidden: true }) : nothing
          }
          ${this.passwordFields()} ${this.alert()} ${this.busyButton({ label: m.setPassword })}
        </form>`;
      }
      case 'code':
        return html`<form @submit=${this.#setPassword}>
          <h2 tabindex="-1">${m.enterCode}</h2>
          ${this.identifierField()}
          <div class="field">
            <label for="${this.uid}-code">${m.code}</label>
            <input
              id="${this.uid}-code"
              name="one-time-code"
              autocomplete="one-time-code"
              autocapitalize="characters"
              spellcheck="false"
              required
              .value=${this.code}
              @input=${onValue((value) => (this.code = value))}
            />
          </div>
          ${this.passwordFields()} ${this.alert()} ${this.busyButton({ label: m.setPassword })}
          <button type="button" class="link" @click=${() => this.#show('request')}>${m.back}</button>
        </form>`;
      default:
        return html`<form @submit=${this.#requestLink}>
          <h2 tabindex="-1">${m.title}</h2>
          <p>${m.intro}</p>
          ${this.identifierField()} ${this.alert()} ${this.busyButton({ label: m.send })} ${toCode}
        </form>`;
    }
  }
}

// A second copy of the bundle on the page must not throw: the first definition stays.
if (!customElements.get('forgot-password-form'))
  customElements.define('forgot-password-form', ForgotPasswordForm);

declare global {
  interface HTMLElementTagNameMap {
    'forgot-password-form': ForgotPasswordForm;
  }
}
