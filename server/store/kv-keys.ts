/**
 * Where the key-value store keeps each kind of record. Every backend (memory, fs, Redis,
 * PostgreSQL) uses the same keys, which is what lets an export of one be imported into another.
 */
import { normaliseIdentifier } from '../identifiers.js';
import { keySegment } from './atomic-kv.js';
import type { AuditTrail } from './store.js';

/** Mails kept in the outbox, newest first. */
export const OUTBOX_KEEP = 500;

export const keys = {
  tenant: (id: string) => `tenant:${keySegment(id)}`,
  accountPrefix: 'account',
  account: (id: string) => `account:${keySegment(id)}`,
  email: (email: string) => `index:email:${keySegment(normaliseIdentifier(email))}`,
  username: (username: string) => `index:username:${keySegment(normaliseIdentifier(username))}`,
  windowPrefix: 'window',
  window: (key: string) => `window:${keySegment(key)}`,
  attemptsPrefix: 'attempts',
  attempts: (key: string) => `attempts:${keySegment(key)}`,
  // The staff trail keeps the key every event had before trails were kept apart.
  audit: (clientId: string, trail: AuditTrail = 'staff') =>
    trail === 'staff' ? `audit:${keySegment(clientId)}` : `${trail}-audit:${keySegment(clientId)}`,
  /**
   * Slot `slot` of the ring of pages that keeps a trail's older events (see `kv-audit.ts`). One
   * record a slot beside the others of the trail, no folder of the client's (on fs a folder would
   * outlive its erasure); `~` is never in a key segment but as a hash's first character.
   */
  auditPage: (clientId: string, trail: AuditTrail, slot: number) =>
    `audit-page:${trail}:${keySegment(clientId)}~${slot}`,
  health: 'health:probe',
  /** What an unknown name's lookup reads in an account's place (see `UniqueIndex.find`). */
  accountStandIn: 'stand-in:account',
  // The outbox is a ring of slots: a sequence says which slot the next mail takes.
  outboxSequence: 'outbox:sequence',
  outboxSlot: (n: number) => `outbox:slot:${n % OUTBOX_KEEP}`,
  setting: (name: string) => `setting:${keySegment(name)}`,
  webhookPrefix: 'webhook',
  webhookEndpoints: 'webhook:endpoints',
  webhookEndpoint: (id: string) => `webhook:endpoint:${keySegment(id)}`,
  webhookQueue: (id: string) => `webhook:queue:${keySegment(id)}`,
  webhookDelivery: (id: string, n: number) => `webhook:delivery:${keySegment(id)}:${n}`,
};

/**
 * The records an export carries as they are kept (accounts go apart, through the store, which
 * rebuilds their email and username index and the directory). Not here: those indexes, the
 * readiness probe, and whatever a backend derives from the accounts (its directory).
 */
export const MOVED_PREFIXES = [
  'tenant',
  'setting',
  'audit',
  'member-audit',
  'foreign-audit',
  'audit-page',
  keys.windowPrefix,
  keys.attemptsPrefix,
  'outbox',
  keys.webhookPrefix,
] as const;
