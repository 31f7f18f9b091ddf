/** What the flows ask of mail: one `send` per message, rendered from typed content, in the tenant's language. */
import type { Locale, MailKind, TenantBrand } from '../domain.js';

export interface MailTenant {
  id: string | null;
  /** Shown as the sender's display name and in the body. */
  name: string;
  locale: Locale;
  /** Its colours for the HTML part's button and links (the templates use only plain hex colours). */
  brand?: TenantBrand;
}

/** Each kind carries exactly what its template needs. Secrets appear only where the kind demands them. */
export type MailContent =
  | {
      kind: 'invite';
      name: string;
      /** Set-password link (token in the fragment). */
      link: string;
      /** Short code for finishing on another device. */
      code: string;
      /** null: valid until used or replaced. */
      expiresAt: number | null;
    }
  | {
      kind: 'reset';
      name: string;
      link: string;
      code: string;
      expiresAt: number;
      /** `password-voided`: not asked for; the old password stopped working (the client became shared, say). */
      reason?: 'password-voided';
    }
  | {
      kind: 'credentials';
      name: string;
      /** The one mail that carries a password: the one staff chose to email. */
      password: string;
      /** What to type as the username: the username when there is one, else the email. */
      identifier: string;
      loginUrl: string;
      /** True when the first login with it leads to choosing a new password. */
      mustChange: boolean;
      expiresAt: number | null;
    }
  | { kind: 'password-changed'; name: string; at: number; byStaff: boolean }
  /** The member chose the account's first password (from a welcome link, say): nothing was changed. */
  | { kind: 'password-set'; name: string; at: number }
  | { kind: 'email-changed'; name: string; newEmail: string; at: number }
  | { kind: 'verify-email'; name: string; link: string; expiresAt: number };

export interface MailRequest {
  to: string;
  tenant: MailTenant;
  clientId: string | null;
  content: MailContent;
}

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Resolves once the transport has accepted the message; rejects when it could not. */
  send(request: MailRequest): Promise<void>;
  /** Whether the transport can take mail now (SMTP: the server answers and accepts the login); for `/readyz`. */
  verify(): Promise<void>;
  close(): Promise<void>;
}

export type { MailKind };
