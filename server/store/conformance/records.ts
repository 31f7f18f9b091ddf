/** Valid Account, Tenant, link, audit and mail records for the conformance suite (and other tests), with overridable fields. */
import { randomUUID } from 'node:crypto';
import type { Account, AuditEvent, LinkRecord, OutboxMessage, Tenant } from '../../domain.js';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);

export function makeTenant(overrides: Partial<Tenant> = {}): Tenant {
  return { id: 'acme', name: 'Acme', locale: 'en', createdAt: T0, updatedAt: T0, ...overrides };
}

export function makeLink(overrides: Partial<LinkRecord> = {}): LinkRecord {
  return {
    jti: randomUUID(),
    purpose: 'reset',
    issuedAt: T0,
    expiresAt: T0 + 3_600_000,
    state: 'active',
    ...overrides,
  };
}

let sequence = 0;

/** A fresh account with a unique id, email and username unless given. */
export function makeAccount(overrides: Partial<Account> = {}): Account {
  sequence += 1;
  return {
    id: `c-${sequence}-${randomUUID().slice(0, 8)}`,
    name: `Client ${sequence}`,
    email: `client${sequence}@example.com`,
    username: `client${sequence}`,
    tenants: ['acme'],
    loginEnabled: true,
    emailConfirmed: true,
    credential: null,
    passwordHistory: [],
    sessionVersion: 0,
    links: [],
    createdAt: T0,
    updatedAt: T0,
    revision: 0,
    ...overrides,
  };
}

export function makeAuditEvent(overrides: Partial<AuditEvent> = {}): AuditEvent {
  return {
    id: randomUUID(),
    at: T0,
    clientId: 'c-1',
    tenantId: null,
    actor: 'member',
    action: 'reset.requested',
    outcome: 'ok',
    ...overrides,
  };
}

export function makeOutboxMessage(overrides: Partial<OutboxMessage> = {}): OutboxMessage {
  return {
    id: randomUUID(),
    at: T0,
    kind: 'reset',
    tenantId: 'acme',
    clientId: 'c-1',
    from: 'no-reply@example.com',
    to: 'client@example.com',
    subject: 'Reset your password',
    text: 'Open the link.',
    html: '<p>Open the link.</p>',
    ...overrides,
  };
}
