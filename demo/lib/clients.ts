/** The admin portal's client data: the staff API's summaries merged with the demo's display extras (plan, last visit). */
import type { ClientSummary } from '../../server/flows/client-summary.js';
import { api, DemoApiError } from './api.js';
import { staffToken } from './staff.js';

export type { ClientSummary } from '../../server/flows/client-summary.js';

/** What the studio's own records add to a client (`GET /api/demo/clients`): not part of client-reset. */
export interface ClientExtras {
  id: string;
  plan: string | null;
  /** Days since the last visit. */
  lastVisit: number | null;
}

export interface ClientRow extends ClientSummary {
  plan: string | null;
  lastVisit: number | null;
}

/** Every client of the tenant, page after page (the staff API gives at most 200 at a time). */
async function allSummaries(token: string): Promise<ClientSummary[]> {
  const all: ClientSummary[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page: { items: ClientSummary[]; next: string | null } = await api(`/admin/clients${query}`, {
      token,
    });
    all.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return all;
}

/** Plan and last visit by client id; empty when the demo server does not offer them. */
export async function clientExtras(): Promise<Map<string, ClientExtras>> {
  try {
    const { items } = await api<{ items: ClientExtras[] }>('/demo/clients');
    return new Map(items.map((extra) => [extra.id, extra]));
  } catch (error) {
    // Decoration only: a server without the endpoint (404) still shows the list.
    if (!(error instanceof DemoApiError)) throw error;
    return new Map();
  }
}

const withExtras = (summary: ClientSummary, extras: Map<string, ClientExtras>): ClientRow => ({
  ...summary,
  plan: extras.get(summary.id)?.plan ?? null,
  lastVisit: extras.get(summary.id)?.lastVisit ?? null,
});

export async function loadClients(): Promise<ClientRow[]> {
  const token = await staffToken();
  const [summaries, extras] = await Promise.all([allSummaries(token), clientExtras()]);
  return summaries.map((summary) => withExtras(summary, extras));
}

export async function loadClient(id: string): Promise<ClientRow> {
  const token = await staffToken();
  const [summary, extras] = await Promise.all([
    api<ClientSummary>(`/admin/clients/${encodeURIComponent(id)}`, { token }),
    clientExtras(),
  ]);
  return withExtras(summary, extras);
}

/**
 * Whether the client has an account whose password staff can reset. Every status the API has
 * today means one; a client record without a login (status `none`) gets no lock.
 */
export const hasAccount = (client: ClientSummary): boolean => (client.status as string) !== 'none';

export interface Badge {
  text: string;
  tone: '' | 'warn' | 'off' | 'info';
}

/** The badges the panel shows too, in the same words. */
export function badgesOf(client: ClientSummary): Badge[] {
  const statuses: Record<string, Badge> = {
    active: { text: 'Active', tone: '' },
    invited: { text: 'Invited', tone: 'info' },
    force_reset: { text: 'Force password reset', tone: 'warn' },
    none: { text: 'No login', tone: 'off' },
  };
  const badges = [statuses[client.status] ?? { text: client.status, tone: '' }];
  if (!client.loginEnabled) badges.push({ text: 'Login disabled', tone: 'off' });
  // An invited client confirms the address with the welcome link: not worth a badge in the list.
  if (client.email && !client.emailConfirmed && client.status !== 'invited')
    badges.push({ text: 'Email not confirmed', tone: 'warn' });
  if (client.tenantCount > 1) badges.push({ text: `In ${client.tenantCount} companies`, tone: '' });
  return badges;
}

export function lastVisitText(days: number | null): string {
  if (days === null || days === undefined) return '—';
  if (days <= 0) return 'Today';
  if (days === 1) return 'Yesterday';
  if (days < 14) return `${days} days ago`;
  if (days < 60) return `${Math.round(days / 7)} weeks ago`;
  return `${Math.round(days / 30)} months ago`;
}

/** Case and accents ignored, so "chloe" finds Chloé. */
export const fold = (text: string): string =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

export const matches = (client: ClientSummary, query: string): boolean => {
  const needle = fold(query.trim());
  return (
    !needle ||
    [client.name, client.email, client.username].some((field) => field && fold(field).includes(needle))
  );
};
