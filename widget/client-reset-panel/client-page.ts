/** The panel with a client shown: status, the lock action, links, login settings, email, activity. */
import { html, nothing, type TemplateResult } from 'lit';
import type { Capability, ClientEvent, ClientSummary } from '../internal/client-types.js';
import { lockIcon } from '../internal/icons.js';
import { check, onValue } from '../internal/templates.js';
import type { PanelMessages } from '../locales/en.js';
import { staffCredential, statusBadges } from './status-badges.js';

export interface ClientPageView {
  m: PanelMessages;
  client: ClientSummary;
  events: ClientEvent[];
  busy: boolean;
  /** A `client-id` was given: the page is the whole panel, with no way back to a list. */
  standalone: boolean;
  notice: TemplateResult;
  alert: TemplateResult;
  /** The email being typed while it is being changed; null when not editing. */
  newEmail: string | null;
  /** Why the server refused that email (shown beside it). */
  emailError?: string;
  /** A date and time in the element's language. */
  date: (iso: string | null) => string;
  /** The save button of the email form (it says when it is working). */
  saveButton: TemplateResult;
  onBack: () => void;
  onLock: () => void;
  onSend: (kind: 'reset-link' | 'invite') => void;
  onPatch: (body: { loginEnabled?: boolean; emailConfirmed?: boolean }) => void;
  onEditEmail: (editing: boolean) => void;
  onEmailInput: (value: string) => void;
  onSaveEmail: (event: Event) => void;
}

export function clientPage(o: ClientPageView): TemplateResult {
  const { m, client: c } = o;
  const credential = staffCredential(c);
  // No way to set a password at all (shared and no email): the lock action says why instead.
  const noPassword = !c.capabilities.randomPassword && !c.capabilities.customPassword;
  const budget = c.email
    ? c.resendsLeft
      ? m.left(c.resendsLeft, c.resendsLimit)
      : m.nextAt(o.date(c.resendsRetryAt))
    : '';
  const why = (capability: Capability) => (c.capabilities[capability] ? undefined : c.reasons[capability]);
  /** Why an action is unavailable, with the capability as its id for `aria-describedby`, then `note`. */
  const reason = (capability: Capability, note = '') => {
    const text = [why(capability), note].filter(Boolean).join(' ');
    return text
      ? html`<span class=${why(capability) ? 'reason' : 'muted'} id=${capability}>${text}</span>`
      : nothing;
  };
  const loginSettingsWhy = why('changeLoginSettings') ? 'changeLoginSettings' : undefined;
  const action = (label: string, capability: Capability, onClick: () => void, note = '') =>
    html`<div>
      <button
        data-action=${capability}
        ?disabled=${!!why(capability) || o.busy}
        aria-describedby=${why(capability) ? capability : nothing}
        @click=${onClick}
      >
        ${label}
      </button>
      ${reason(capability, note)}
    </div>`;
  return html`${o.standalone ? nothing : html`<button class="link" @click=${o.onBack}>← ${m.back}</button>`}
    <h2 tabindex="-1">${c.name}</h2>
    <div>${statusBadges(c, m)}</div>
    <dl>
      <dt>${m.email}</dt>
      <dd>${c.email ?? m.noEmail}</dd>
      ${
        c.username
          ? html`<dt>${m.username}</dt>
              <dd>${c.username}</dd>`
          : nothing
      }
      ${
        credential
          ? html`<dt>${m.credentials[credential.kind]}</dt>
              <dd>
                ${m.issued(o.date(credential.setAt), credential.issuedBy ?? '—', o.date(credential.expiresAt))}
              </dd>`
          : nothing
      }
    </dl>
    ${o.notice} ${o.alert}
    <div class="row">
      <button
        part="lock"
        class="primary"
        ?disabled=${o.busy || noPassword}
        aria-describedby=${noPassword ? 'randomPassword' : nothing}
        @click=${o.onLock}
      >
        ${lockIcon()} ${m.resetPassword}
      </button>
      ${noPassword ? reason('randomPassword') : nothing}
    </div>
    ${action(m.sendLink, 'resetLink', () => o.onSend('reset-link'), budget)}
    ${
      // A welcome mail is for a client who has no password yet.
      c.status === 'invited' ? action(m.resendWelcome, 'invite', () => o.onSend('invite'), budget) : nothing
    }
    ${check({
      id: 'login',
      label: m.enableLogin,
      checked: c.loginEnabled,
      onChange: (on) => o.onPatch({ loginEnabled: on }),
      disabled: !!why('changeLoginSettings'),
      describedBy: loginSettingsWhy,
    })}
    ${check({
      id: 'confirmed',
      label: m.emailConfirmed,
      checked: c.emailConfirmed,
      onChange: (on) => o.onPatch({ emailConfirmed: on }),
      disabled: !c.email || !!why('changeLoginSettings'),
      describedBy: loginSettingsWhy,
    })}
    ${reason('changeLoginSettings')}
    ${
      o.newEmail !== null
        ? html`<form class="row" @submit=${o.onSaveEmail}>
            <label for="r-email">${m.newEmail}</label>
            <input
              id="r-email"
              type="email"
              required
              aria-invalid=${o.emailError ? 'true' : nothing}
              aria-describedby=${o.emailError ? 'r-email-error' : nothing}
              .value=${o.newEmail}
              @input=${onValue(o.onEmailInput)}
            />
            ${o.saveButton}
            <button type="button" @click=${() => o.onEditEmail(false)}>${m.cancel}</button>
            ${o.emailError ? html`<p class="field-error" id="r-email-error">${o.emailError}</p>` : nothing}
          </form>`
        : action(m.changeEmail, 'changeEmail', () => o.onEditEmail(true))
    }
    <section>
      <h3>${m.activity}</h3>
      ${
        o.events.length
          ? html`<ol part="activity">
              ${o.events.map(
                (e) =>
                  html`<li>
                    ${o.date(e.at)} — ${e.text ?? e.action} · <span class="muted">${e.actor}</span>
                  </li>`,
              )}
            </ol>`
          : html`<p class="muted">${m.noActivity}</p>`
      }
    </section>`;
}
