/** The admin portal's client list: search, status, plan and last visit, and the lock that opens a client's reset panel. */
import { html, nothing, render, svg } from 'lit/html.js';
import { messageOf } from '../lib/api.js';
import { badgesOf, hasAccount, lastVisitText, loadClients, matches, type ClientRow } from '../lib/clients.js';
import { initShell } from '../lib/shell.js';
import { mountStaffSwitcher } from './staff-switcher.js';

initShell();

const search = document.querySelector<HTMLInputElement>('#client-search')!;
const rows = document.querySelector<HTMLElement>('#client-rows')!;
const count = document.querySelector<HTMLElement>('#client-count')!;
const failure = document.querySelector<HTMLElement>('#list-error')!;

let clients: ClientRow[] | null = null;

const lockIcon = svg`<svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"
  stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
  <rect x="4" y="11" width="16" height="10" rx="2" /><path d="M8 11V7a4 4 0 0 1 8 0v4" /></svg>`;

const clientPage = (client: ClientRow) => `client.html?id=${encodeURIComponent(client.id)}`;

function row(client: ClientRow) {
  return html`<tr>
    <td>
      <span class="name">
        ${
          hasAccount(client)
            ? html`<a
                class="lock"
                href=${`${clientPage(client)}#reset`}
                aria-label=${`Reset password for ${client.name}`}
                title=${`Reset password for ${client.name}`}
                >${lockIcon}</a
              >`
            : html`<span class="lock-spacer"></span>`
        }
        <a href=${clientPage(client)}>${client.name}</a>
      </span>
    </td>
    <td>${client.email ?? html`<span class="muted">No email on file</span>`}</td>
    <td>
      ${badgesOf(client).map((badge) => html`<span class="badge" data-tone=${badge.tone || nothing}>${badge.text}</span> `)}
    </td>
    <td>${client.plan ?? '—'}</td>
    <td>${lastVisitText(client.lastVisit)}</td>
  </tr>`;
}

function show(): void {
  if (!clients) return;
  const query = search.value;
  const shown = clients.filter((client) => matches(client, query));
  render(
    shown.length
      ? shown.map(row)
      : html`<tr>
          <td colspan="5" class="empty">No clients match “${query.trim()}”.</td>
        </tr>`,
    rows,
  );
  count.textContent =
    shown.length === clients.length
      ? `${clients.length} clients`
      : `${shown.length} of ${clients.length} clients match`;
}

async function load(): Promise<void> {
  try {
    clients = await loadClients();
    failure.textContent = '';
    show();
  } catch (error) {
    failure.textContent = `The client list could not be loaded: ${messageOf(error)}`;
  }
}

// The search is kept in the address (?q=), so a link or a reload shows the same list.
search.value = new URLSearchParams(location.search).get('q') ?? '';
search.addEventListener('input', () => {
  const url = new URL(location.href);
  if (search.value) url.searchParams.set('q', search.value);
  else url.searchParams.delete('q');
  history.replaceState(history.state, '', url);
  show();
});
document.querySelector('#search-form')!.addEventListener('submit', (event) => event.preventDefault());
mountStaffSwitcher(document.querySelector('#staff-role')!);
// Back from a client's page (the browser's page cache): statuses may have changed there.
addEventListener('pageshow', (event) => {
  if (event.persisted) void load();
});
void load();
