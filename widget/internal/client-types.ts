/**
 * The shapes of the staff API's answers, as the panel reads them. The summary's shape is the
 * server's own type (erased at build): one contract, checked at build time, imported in this one
 * place.
 */
import type { ClientSummary } from '../../server/flows/client-summary.js';

export type { Capability, ClientSummary } from '../../server/flows/client-summary.js';

/** One entry of a client's recent activity. */
export interface ClientEvent {
  at: string;
  actor: string;
  action: string;
  outcome: string;
  /** What happened, in words, in the element's language (from the server). */
  text?: string;
}

/** One page of the client list. */
export interface ClientPage {
  items: ClientSummary[];
  next: string | null;
}
