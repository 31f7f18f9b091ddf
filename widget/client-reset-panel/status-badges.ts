/** A client's state as labelled, colour-coded badges: the list and the client page show the same ones. */
import { html, nothing, type TemplateResult } from 'lit';
import type { ClientSummary } from '../internal/client-types.js';
import type { PanelMessages } from '../locales/en.js';

/** The badge colours: `ok` green, `info` blue, `warn` amber, `off` red; none is neutral grey. */
type Tone = 'ok' | 'info' | 'warn' | 'off' | '';

const statusTone: Record<string, Tone> = { active: 'ok', invited: 'info', force_reset: 'warn' };

/** A password staff set that is still pending (one-time or temporary) is a state of its own. */
export const staffCredential = (c: ClientSummary) =>
  c.credential && c.credential.kind !== 'member' && c.credential.expiresAt ? c.credential : null;

export function statusBadges(c: ClientSummary, m: PanelMessages): TemplateResult {
  const badge = (text: string, tone: Tone = '') =>
    html`<span part="badge" data-tone=${tone || nothing}>${text}</span>`;
  const credential = staffCredential(c);
  // A forced reset already says a staff password is pending; a one-time one says it here.
  const pending =
    credential && c.status !== 'force_reset' ? badge(m.credentials[credential.kind], 'warn') : nothing;
  return html`${badge(m.statuses[c.status], statusTone[c.status])} ${pending}
  ${c.loginEnabled ? nothing : badge(m.loginDisabled, 'off')}
  ${c.email && !c.emailConfirmed ? badge(m.emailUnconfirmed, 'warn') : nothing}
  ${c.tenantCount > 1 ? badge(m.shared(c.tenantCount)) : nothing}`;
}
