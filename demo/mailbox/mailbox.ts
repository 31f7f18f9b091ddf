/**
 * The demo's mailbox: every message in the outbox, newest first and opened by default, its HTML
 * in a sandboxed frame whose links open in a new tab (so the mails' links to the hosted pages can
 * be followed), or its text. Polls, since mail goes out after the API has answered.
 */
import { html, nothing, render } from 'lit/html.js';
import { messageOf } from '../lib/api.js';
import { fetchOutbox, isRead, markRead, type OutboxMessage } from '../lib/outbox.js';
import { initShell, showUnread } from '../lib/shell.js';

initShell({ pollMail: false });

const POLL_MS = 3000;
const $ = <T extends HTMLElement = HTMLElement>(selector: string) => document.querySelector<T>(selector)!;
const list = $('#message-list');
const frame = $<HTMLIFrameElement>('#mail-html');
const text = $('#mail-text');

let messages: OutboxMessage[] = [];
let selectedId: string | null = null;
/** Until a reader picks an older message, the newest one stays open as mail arrives. */
let followNewest = true;
let loaded = false;

const KINDS: Record<string, string> = {
  reset: 'Reset link',
  invite: 'Welcome',
  credentials: 'Login details',
  'password-changed': 'Password changed',
  'password-set': 'Password set',
  'email-changed': 'Email changed',
  'verify-email': 'Verify email',
};
const kindOf = (kind: string) => KINDS[kind] ?? kind;

const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
function timeAgo(at: number): string {
  const seconds = Math.round((Date.now() - at) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return relative.format(-minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relative.format(-hours, 'hour');
  return relative.format(-Math.round(hours / 24), 'day');
}

/**
 * Links in the sandboxed frame would otherwise try to navigate the frame itself; a `<base
 * target="_blank">` sends each to a new tab (allowed by `allow-popups`, and
 * `allow-popups-to-escape-sandbox` lets the opened page run its scripts).
 */
function withLinksInNewTab(markup: string): string {
  const base = '<base target="_blank">';
  return /<head[^>]*>/i.test(markup) ? markup.replace(/<head[^>]*>/i, (head) => head + base) : base + markup;
}

function renderList(): void {
  render(
    messages.length
      ? messages.map((message) => {
          const unread = !isRead(message.id);
          return html`<li>
            <button
              type="button"
              class=${unread ? 'fresh' : ''}
              aria-current=${message.id === selectedId ? 'true' : nothing}
              data-id=${message.id}
              @click=${() => select(message.id, true)}
            >
              <span class="line">
                <span class="to"
                  >${unread ? html`<span class="unread-dot" aria-hidden="true">● </span><span class="sr-only">Unread: </span>` : nothing}${message.to}</span
                >
                <time datetime=${new Date(message.at).toISOString()}>${timeAgo(message.at)}</time>
              </span>
              <span class="subject">${message.subject}</span>
              <span><span class="badge" data-tone="info">${kindOf(message.kind)}</span></span>
            </button>
          </li>`;
        })
      : html`<li class="empty">The mailbox is empty.</li>`,
    list,
  );
}

function renderReader(message: OutboxMessage | undefined, changed: boolean): void {
  $('#reader-empty').hidden = !!message;
  $('#reader-body').hidden = !message;
  $('#reader-title').textContent = message ? message.subject : 'No mail yet';
  if (!message || !changed) return;
  $('#mail-from').textContent = message.from;
  $('#mail-to').textContent = message.to;
  $('#mail-at').textContent = new Date(message.at).toLocaleString('en', {
    dateStyle: 'medium',
    timeStyle: 'medium',
  });
  $('#mail-kind').textContent = kindOf(message.kind);
  frame.title = `Message: ${message.subject}`;
  // Only on a change of message: a new srcdoc reloads the frame and loses its scroll position.
  frame.srcdoc = withLinksInNewTab(message.html);
  text.textContent = message.text;
}

function select(id: string | null, byReader = false): void {
  const changed = id !== selectedId;
  selectedId = id;
  if (byReader) followNewest = id === messages[0]?.id;
  const message = messages.find((candidate) => candidate.id === id);
  if (message) markRead(message.id);
  renderReader(message, changed);
  renderList();
  showUnread(messages);
  if (byReader && changed) $('#reader-title').focus();
}

async function refresh(announce = false): Promise<void> {
  let fresh: OutboxMessage[];
  try {
    fresh = await fetchOutbox();
    $('#mailbox-error').textContent = '';
  } catch (error) {
    $('#mailbox-error').textContent = `The outbox could not be read: ${messageOf(error)}`;
    return;
  }
  const known = new Set(messages.map((message) => message.id));
  const arrived = loaded ? fresh.filter((message) => !known.has(message.id)) : [];
  messages = fresh;
  loaded = true;
  const stillThere = messages.some((message) => message.id === selectedId);
  if (followNewest || !stillThere) {
    followNewest = true;
    select(messages[0]?.id ?? null);
  } else {
    renderList();
    showUnread(messages);
  }
  const status = $('#mailbox-status');
  if (arrived.length)
    status.textContent =
      arrived.length === 1 ? `New: ${arrived[0].subject}` : `${arrived.length} new messages`;
  else if (announce) status.textContent = `${messages.length} messages, up to date.`;
}

function setFormat(format: string): void {
  frame.hidden = format !== 'html';
  text.hidden = format !== 'text';
}

for (const radio of document.querySelectorAll<HTMLInputElement>('input[name="format"]')) {
  radio.addEventListener('change', () => setFormat(radio.value));
}

// Up and down move through the list, as in a mail client.
list.addEventListener('keydown', (event) => {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const buttons = [...list.querySelectorAll<HTMLButtonElement>('button')];
  const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
  const next = buttons[at + (event.key === 'ArrowDown' ? 1 : -1)];
  if (!next) return;
  event.preventDefault();
  next.focus();
  select(next.dataset.id ?? null);
  if (next.dataset.id) followNewest = next.dataset.id === messages[0]?.id;
});

$('#refresh-mail').addEventListener('click', () => void refresh(true));
setInterval(() => {
  if (document.visibilityState === 'visible') void refresh();
}, POLL_MS);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') void refresh();
});
void refresh();
