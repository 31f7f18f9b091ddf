/** The demo outbox (`GET /api/demo/outbox`) and which of its messages this browser has opened. */
import type { OutboxMessage } from '../../server/domain.js';
import { api } from './api.js';

export type { OutboxMessage } from '../../server/domain.js';

/** As many as the API gives in one answer. */
export const OUTBOX_LIMIT = 500;

/** Newest first, as the server keeps them. */
export async function fetchOutbox(limit = OUTBOX_LIMIT): Promise<OutboxMessage[]> {
  const { items } = await api<{ items: OutboxMessage[] }>(`/demo/outbox?limit=${limit}`);
  return items;
}

const READ_KEY = 'demo.mailbox.read';
/** Enough for every message the mailbox lists; older ids fall off. */
const READ_KEEP = 500;

function readIds(): string[] {
  try {
    const ids: unknown = JSON.parse(localStorage.getItem(READ_KEY) ?? '[]');
    return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

export function isRead(id: string): boolean {
  return readIds().includes(id);
}

export function markRead(id: string): void {
  const ids = readIds().filter((other) => other !== id);
  ids.push(id);
  try {
    localStorage.setItem(READ_KEY, JSON.stringify(ids.slice(-READ_KEEP)));
  } catch {
    // site data blocked: every message stays unread
  }
  // Same-page listeners (the nav's count); other tabs get the `storage` event.
  window.dispatchEvent(new Event('demo-mail-read'));
}

export function unreadCount(messages: OutboxMessage[]): number {
  const read = new Set(readIds());
  return messages.filter((message) => !read.has(message.id)).length;
}
