import type { FirebaseScryptParams } from './crypto/imported-hashes.js';
/** The records the server keeps: tenants, accounts (clients), links, audit events, outbox mail. */

/** The languages the server speaks, in order of preference when a caller accepts any (`*`). */
export const LOCALES = ['en', 'fr', 'es', 'de', 'pt'] as const;

export type Locale = (typeof LOCALES)[number];

export type LinkPurpose = 'reset' | 'invite' | 'verify-email';

/**
 * `active` until it ends: `used` (consumed), `replaced` (a newer link of its purpose was made),
 * `revoked` (the password changed another way, login was disabled or the email changed).
 */
export type LinkState = 'active' | 'used' | 'replaced' | 'revoked';

export interface LinkRecord {
  jti: string;
  purpose: LinkPurpose;
  issuedAt: number;
  expiresAt: number;
  state: LinkState;
  endedAt?: number;
  /** sha-256 of the short code printed in the same mail, salted with the jti; never the code. */
  codeHash?: string;
  /**
   * Tenants whose staff set the address this link was mailed to (and so may have read it): a
   * password set through the link descends from them.
   */
  staffTenants?: string[];
}

/**
 * `member`: chosen by the member. `one-time`: set or sent by staff; the first login leads to
 * choosing a new one. `temporary`: seed 003's forced reset; also blocks self-service reset.
 */
export type CredentialKind = 'member' | 'one-time' | 'temporary' | 'permanent-staff';

export interface Credential {
  /** argon2id PHC string; until the first login, possibly a hash imported from another system. */
  hash: string;
  /**
   * SHA-256 of the hash provisioning imported, while the password is still that one (re-hashing
   * keeps it; a password chosen here drops it): the same import again changes nothing.
   */
  importedDigest?: string;
  kind: CredentialKind;
  setAt: number;
  /** Staff-set one-time and temporary passwords expire. */
  expiresAt?: number;
  /** Staff id that set it, for the panel's "issued by". */
  issuedBy?: string;
  /** Tenant whose staff set it. */
  issuedByTenant?: string;
  /**
   * The address it was mailed to. Logging in with it proves that mailbox, so it confirms the
   * account's email — only while the account still has that address.
   */
  deliveredTo?: string;
  /**
   * Tenants whose staff knew or controlled what this password descends from: they chose or saw
   * it, it went to a mailbox they set, or it replaced (through a forced change or a change with
   * the current password) one that did. Empty or absent: only the member ever knew it. Such a
   * password dies when the client becomes shared (see `withTenants`).
   */
  staffTenants?: string[];
}

export interface Account {
  id: string;
  name: string;
  email: string | null;
  /**
   * The tenant whose staff last set `email` (by creating the client or changing its address);
   * absent or null when the integrator's backend set it.
   */
  emailSetBy?: string | null;
  /** The address the integrator's backend last gave or confirmed through provisioning. */
  vouchedEmail?: string | null;
  username: string | null;
  tenants: string[];
  loginEnabled: boolean;
  emailConfirmed: boolean;
  credential: Credential | null;
  /**
   * When the password stopped working without a new one (the client became shared, say): the
   * member is to be told, once the address can be trusted. Cleared by the next password.
   */
  credentialVoidedAt?: number;
  /** Hashes of the most recent passwords (including the current and temporary ones), newest first. */
  passwordHistory: string[];
  /** Sessions carry this number; raising it revokes every earlier session. */
  sessionVersion: number;
  /** Newest first, bounded. */
  links: LinkRecord[];
  createdAt: number;
  updatedAt: number;
  /** Optimistic-concurrency counter, raised by every write. */
  revision: number;
}

export type StaffPasswordPolicy = 'one-time' | 'permanent' | 'forbidden';

export interface TenantBrand {
  primaryColor?: string;
  accentColor?: string;
  logoUrl?: string;
}

export interface Tenant {
  id: string;
  name: string;
  locale: Locale;
  /** Page the member lands on from reset and invite mails (the token goes in its fragment). */
  resetUrl?: string;
  brand?: TenantBrand;
  /** What a staff-set password becomes: one-time (default), permanent (the seeds' behaviour), or forbidden. */
  staffPasswords?: StaffPasswordPolicy;
  /** Overrides the server's minimum password length for this tenant's members. */
  minPasswordLength?: number;
  /** The Firebase project's hash parameters, for importing its users' hashes (a secret: never shown). */
  firebaseScrypt?: FirebaseScryptParams;
  createdAt: number;
  updatedAt: number;
}

export type AuditOutcome = 'ok' | 'refused' | 'failed';

/** Every action the flows record; each has a label in `server/text.ts`. */
export type AuditAction =
  | 'password.set'
  | 'reset_link.send'
  | 'invite.send'
  | 'client.create'
  | 'client.update'
  | 'client.provision'
  | 'client.match'
  | 'login'
  | 'password.reset'
  | 'password.change'
  | 'password.force_change'
  | 'reset_link.request'
  | 'email.verify'
  | 'link.renew';

export interface AuditEvent {
  id: string;
  at: number;
  clientId: string;
  /** Tenant the actor acted in; null for member and system events. */
  tenantId: string | null;
  /** `member`, `system`, `provisioning` or `staff:<id>`. */
  actor: string;
  /** An `AuditAction` when written; kept a string so records of retired actions still read. */
  action: string;
  outcome: AuditOutcome;
  /** Non-secret facts (delivery, purpose, error code). Never a password, token or hash. */
  detail?: Record<string, string | number | boolean>;
  /** Repeated member events merged into this one (see `AuditOptions`): how many, and the latest. */
  count?: number;
  lastAt?: number;
}

export type MailKind =
  'invite' | 'reset' | 'credentials' | 'password-changed' | 'password-set' | 'email-changed' | 'verify-email';

export interface OutboxMessage {
  id: string;
  at: number;
  kind: MailKind;
  tenantId: string | null;
  clientId: string | null;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}
