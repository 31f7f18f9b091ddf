/**
 * The shape of everything the server says to people in one language: error messages, why a
 * capability is unavailable, activity labels, mail and hosted-page words. Each language file
 * implements it whole, so a missing sentence fails the typecheck.
 */
import type { AuditAction, AuditOutcome } from '../domain.js';
import type { ErrorCode } from '../errors.js';

/** Why staff cannot use a capability of a client summary. */
export interface ReasonText {
  /** Shared by several companies: no password staff would know. */
  shared: string;
  /** The company's policy forbids staff-chosen passwords. */
  forbidden: string;
  noEmail: string;
  /** Shared: its email is not this company's to change. */
  emailShared: string;
  /** Shared: its name and login settings are not this company's to change. */
  settingsShared: string;
  /** Shared, with an address staff typed: nothing that sets a password goes there until the integrator confirms it. */
  unvouched: string;
  /** The reset/welcome mail budget is spent; the summary's `resendsRetryAt` says until when. */
  budget(limit: number): string;
}

/** A request field that is missing or not valid; `rule` is what the field must be, in English (see the README's API notes). */
export interface InvalidFieldText {
  withRule(field: string, rule: string): string;
  missing(field: string): string;
  /** No field to name: the body as a whole. */
  body: string;
}

/** What staff changed in a client's details, one phrase each (the activity joins them). */
export interface ChangeText {
  name: string;
  email: string;
  loginEnabled: string;
  loginDisabled: string;
  emailConfirmed: string;
  emailUnconfirmed: string;
}

/** The lines of a client's activity. */
export interface ActivityText {
  actions: Record<AuditAction, string>;
  /** Added to the label when an action did not succeed, with the language's spacing. */
  outcomes: Record<Exclude<AuditOutcome, 'ok'>, string>;
  changes: ChangeText;
  /** Who acted, when it was staff of another company: they stay anonymous to this one. */
  otherCompanyStaff: string;
}

/** A span of time until an expiry, already worded ("24 hours"), or null when unknown or past. */
export type Within = string | null;

/**
 * Every sentence of every mail. Functions take values already formatted as plain text; the HTML
 * renderer escapes whatever they return, so no string here holds markup.
 */
export interface MailStrings {
  greeting(name: string): string;
  signOff(tenant: string): string;
  footer(tenant: string): string;
  /** Above the printed URL, for clients that do not show the button. */
  linkFallback: string;
  /** A label introducing what follows it ("Set your password:"), with the language's spacing. */
  labelled(text: string): string;
  invite: {
    subject(tenant: string): string;
    intro(tenant: string): string;
    action: string;
    codeLabel: string;
    untilUsed: string;
    until(date: string, within: Within): string;
    notExpected: string;
  };
  reset: {
    subject(tenant: string): string;
    intro(tenant: string): string;
    action: string;
    codeLabel: string;
    until(date: string, within: Within): string;
    ignore: string;
    /** When the old password stopped working without the member asking (the client became shared, say). */
    voidedIntro(tenant: string): string;
    voidedNote: string;
  };
  credentials: {
    subject(tenant: string): string;
    intro(tenant: string): string;
    identifierLabel: string;
    passwordLabel: string;
    action: string;
    mustChange: string;
    until(date: string, within: Within): string;
    keepPrivate: string;
  };
  passwordChanged: {
    subject(tenant: string): string;
    body(tenant: string, date: string, byStaff: boolean): string;
    notYou(tenant: string, byStaff: boolean): string;
  };
  /** The member chose the account's first password (from a welcome link, say): nothing was changed. */
  passwordSet: {
    subject(tenant: string): string;
    body(tenant: string, date: string): string;
    ready: string;
    notYou(tenant: string): string;
  };
  emailChanged: {
    subject(tenant: string): string;
    body(tenant: string, date: string, maskedNewEmail: string): string;
    notYou(tenant: string): string;
  };
  verifyEmail: {
    subject(tenant: string): string;
    intro(tenant: string): string;
    action: string;
    until(date: string, within: Within): string;
    ignore: string;
  };
}

/** The hosted pages' own words (the elements on them bring theirs). */
export interface PageText {
  /** Shown when the tenant is unknown or not given. */
  portal: string;
  titles: Record<'forgot' | 'reset' | 'welcome' | 'verify-email' | 'login', string>;
  needsScript: string;
  backToLogin: string;
  forgotPassword: string;
  logIn: string;
  identifier: string;
  password: string;
  networkError: string;
  signedInTitle: string;
  signedInAs: string;
  changePassword: string;
  logOut: string;
  passwordChanged: string;
}

export interface ServerText {
  errors: Record<ErrorCode, string>;
  invalidField: InvalidFieldText;
  reasons: ReasonText;
  activity: ActivityText;
  mail: MailStrings;
  pages: PageText;
}
