/**
 * A client's page in the admin portal: the studio's own details beside `<client-reset-panel>`,
 * which does all the credential work with a staff token the "backend" (here the demo API) signs.
 */
import { DemoApiError, messageOf } from '../lib/api.js';
import { lastVisitText, loadClient, type ClientRow } from '../lib/clients.js';
import { initShell, notify, whenElements } from '../lib/shell.js';
import { staffToken } from '../lib/staff.js';
import { mountStaffSwitcher } from './staff-switcher.js';

initShell();

const id = new URLSearchParams(location.search).get('id');
if (!id) location.replace('/demo/admin/');

const $ = (selector: string) => document.querySelector<HTMLElement>(selector)!;
const panel = document.querySelector('client-reset-panel')!;

function showDetails(client: ClientRow): void {
  document.title = `${client.name} · Riverside Fitness Studio admin`;
  $('#client-title').textContent = client.name;
  $('#client-subtitle').textContent = [client.email, client.username].filter(Boolean).join(' · ');
  $('#client-initials').textContent = client.name
    .split(/\s+/)
    .map((part) => part[0])
    .slice(0, 2)
    .join('');
  $('#client-plan').textContent = client.plan ?? '—';
  $('#client-last-visit').textContent = lastVisitText(client.lastVisit);
  $('#client-since').textContent = new Date(client.createdAt).toLocaleDateString('en', {
    dateStyle: 'medium',
  });
  $('#client-id').textContent = client.id;
}

async function loadDetails(clientId: string): Promise<void> {
  try {
    showDetails(await loadClient(clientId));
    $('#client-error').textContent = '';
  } catch (error) {
    const missing = error instanceof DemoApiError && error.status === 404;
    $('#client-title').textContent = missing ? 'Client not found' : 'Client';
    $('#client-error').textContent = missing
      ? `There is no client “${clientId}” at this studio.`
      : `The client could not be loaded: ${messageOf(error)}`;
    if (missing) $('#reset').hidden = true;
  }
}

/** Toasts that point to where the demo's mail ends up. */
function listen(): void {
  panel.addEventListener('reset-sent', (event) => {
    const what = event.detail.kind === 'invite' ? 'Welcome email' : 'Reset link';
    notify(`${what} sent: open the Mailbox to follow it as the client.`);
  });
  panel.addEventListener('reset-password-set', (event) => {
    if (event.detail.delivered === 'email') notify('New login details sent: see the Mailbox.');
  });
  // The name or email may have changed.
  panel.addEventListener('reset-client-updated', () => void loadDetails(id!));
}

async function start(clientId: string): Promise<void> {
  void loadDetails(clientId);
  await whenElements('client-reset-panel');
  // Asked when the panel has no token yet and again after a 401 (an expired token).
  panel.getToken = staffToken;
  panel.clientId = clientId;
  listen();
  // Arrived by the lock next to a name: the lock action itself, as the panel's own list does it.
  if (location.hash === '#reset') panel.showLock();
  mountStaffSwitcher(document.querySelector('#staff-role')!, async () => {
    // A new token makes the panel reload the client as the newly signed-in person.
    panel.token = await staffToken();
  });
}

if (id) void start(id);
