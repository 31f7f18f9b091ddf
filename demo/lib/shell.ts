/** What every demo page shares: the top nav's unread count and "Reset demo data", notices, and loading the elements. */
import { api, messageOf } from './api.js';
import { fetchOutbox, unreadCount, type OutboxMessage } from './outbox.js';

const POLL_MS = 5000;
let lastMessages: OutboxMessage[] | null = null;

/** Shows how many messages this browser has not opened yet next to "Mailbox". */
export function showUnread(messages: OutboxMessage[]): void {
  lastMessages = messages;
  const badge = document.querySelector<HTMLElement>('[data-unread]');
  const count = document.querySelector<HTMLElement>('[data-unread-count]');
  if (!badge || !count) return;
  const unread = unreadCount(messages);
  count.textContent = String(unread);
  badge.hidden = unread === 0;
}

async function refreshUnread(): Promise<void> {
  if (document.visibilityState !== 'visible') return;
  try {
    showUnread(await fetchOutbox());
  } catch {
    // The count is a nicety: a server restart or a missing demo API must not disturb the page.
  }
}

/** The live region of `notify`: in the page before its first message, or screen readers may miss it. */
function toastRegion(): HTMLElement {
  let region = document.querySelector<HTMLElement>('.toast');
  if (!region) {
    region = document.createElement('div');
    region.className = 'toast';
    region.setAttribute('role', 'status');
    // In the top layer, so a modal dialog's backdrop (the panel's lock dialog) does not cover it.
    region.popover = 'manual';
    document.body.append(region);
    region.showPopover();
  }
  return region;
}

/** A short notice in a live region at the bottom of the page. */
export function notify(text: string, tone: 'ok' | 'error' = 'ok'): void {
  const region = toastRegion();
  // Shown again, so it is above whatever entered the top layer since (a dialog opened after it).
  region.hidePopover();
  region.showPopover();
  region.dataset.tone = tone;
  region.textContent = text;
  region.classList.add('shown');
  clearTimeout(Number(region.dataset.timer));
  region.dataset.timer = String(setTimeout(() => region.classList.remove('shown'), 6000));
}

/** Forgets what this browser kept about the demo (member session, mail read marks). */
function forgetLocalState(): void {
  try {
    for (const store of [sessionStorage, localStorage]) {
      for (const key of Object.keys(store)) {
        // Who is signed in to the admin portal is a preference, not demo data.
        if (key.startsWith('demo.') && key !== 'demo.staff.role') store.removeItem(key);
      }
    }
  } catch {
    // site data blocked: there is nothing kept to forget
  }
}

async function resetDemo(button: HTMLButtonElement): Promise<void> {
  const sure = confirm(
    'Reset the demo data? Every client goes back to its first state, passwords included, and the mailbox is emptied.',
  );
  if (!sure) return;
  button.disabled = true;
  try {
    await api('/demo/reset', { body: {} });
    forgetLocalState();
    location.reload();
  } catch (error) {
    button.disabled = false;
    notify(`The demo could not be reset: ${messageOf(error)}`, 'error');
  }
}

export interface ShellOptions {
  /** Poll the outbox for the nav's unread count (the mailbox page polls itself and calls `showUnread`). */
  pollMail?: boolean;
}

export function initShell(options: ShellOptions = {}): void {
  toastRegion();
  const reset = document.querySelector<HTMLButtonElement>('[data-reset-demo]');
  reset?.addEventListener('click', () => void resetDemo(reset));
  const recount = () => lastMessages && showUnread(lastMessages);
  window.addEventListener('demo-mail-read', recount);
  window.addEventListener('storage', recount);
  if (options.pollMail !== false) {
    void refreshUnread();
    setInterval(() => void refreshUnread(), POLL_MS);
    document.addEventListener('visibilitychange', () => void refreshUnread());
  }
}

/**
 * Resolves once `/widget.js` (a plain script tag on the page, as an integrator writes it) has
 * defined the elements; a page that sets their properties waits for this, since properties set on
 * an element before it is defined would hide its own.
 */
export async function whenElements(...tags: string[]): Promise<void> {
  const defined = Promise.all(tags.map((tag) => customElements.whenDefined(tag)));
  const late = setTimeout(() => {
    notify('The elements did not load: check that GET /widget.js answers (npm start builds it).', 'error');
  }, 10_000);
  await defined;
  clearTimeout(late);
}
