/** The panel without a `client-id`: search as staff type, the matching clients, more on demand. */
import { html, nothing, type TemplateResult } from 'lit';
import type { ClientSummary } from '../internal/client-types.js';
import { lockIcon } from '../internal/icons.js';
import { onValue } from '../internal/templates.js';
import type { PanelMessages } from '../locales/en.js';
import { statusBadges } from './status-badges.js';

export interface ClientListView {
  m: PanelMessages;
  clients: ClientSummary[];
  query: string;
  busy: boolean;
  hasMore: boolean;
  /** The alert region (with Retry beside it after a failed load). */
  alert: TemplateResult;
  /** Each keystroke (the panel debounces the search). */
  onQuery: (query: string) => void;
  /** Enter: search now. */
  onSearch: () => void;
  onPick: (client: ClientSummary, lock: boolean) => void;
  onMore: () => void;
}

export function clientList(o: ClientListView): TemplateResult {
  const m = o.m;
  const columns = [m.name, m.email, m.username, m.status];
  return html`<form
      role="search"
      @submit=${(e: Event) => {
        e.preventDefault();
        o.onSearch();
      }}
    >
      <label for="q">${m.search}</label>
      <input
        id="q"
        type="search"
        autocomplete="off"
        placeholder=${m.searchHint}
        .value=${o.query}
        @input=${onValue(o.onQuery)}
      />
    </form>
    ${o.alert}
    <table part="list">
      <thead>
        <tr>
          ${columns.map((text) => html`<th scope="col">${text}</th>`)}
          <th scope="col"><span class="sr">${m.actions}</span></th>
        </tr>
      </thead>
      <tbody>
        ${o.clients.map(
          (c) =>
            html`<tr part="row">
              <td>
                <button class="link" @click=${() => o.onPick(c, false)}>${c.name}</button>
              </td>
              <td data-label=${m.email}>${c.email ?? html`<span class="muted">${m.noEmail}</span>`}</td>
              <td data-label=${m.username}>${c.username ?? nothing}</td>
              <td data-label=${m.status}>${statusBadges(c, m)}</td>
              <td>
                <button
                  part="lock"
                  class="icon-button"
                  aria-label=${m.lock(c.name)}
                  title=${m.lock(c.name)}
                  @click=${() => o.onPick(c, true)}
                >
                  ${lockIcon()}
                </button>
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
    <p role="status" class="muted">${o.busy ? m.loading : o.clients.length ? '' : m.noClients}</p>
    ${o.hasMore ? html`<button @click=${o.onMore}>${m.more}</button>` : nothing}`;
}
