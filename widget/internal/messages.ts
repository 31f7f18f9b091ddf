/**
 * Strings shared by the three elements, in English (bundled): field labels, password rules and a
 * human message for every error code of the API. Other languages are locale packs loaded on
 * demand (`widget/locales/`); each element adds its own table; a page can override any string
 * through the element's `messages` property.
 */

import type { PanelMessages } from '../client-reset-panel/client-reset-panel.messages.js';
import type { DialogMessages } from '../force-reset-dialog/force-reset-dialog.messages.js';
import type { FormMessages } from '../forgot-password-form/forgot-password-form.messages.js';

export type Lang = 'en' | 'fr';

/** The element's `lang`, then the nearest `lang` above it, then `<html lang>`; English otherwise. */
export function langOf(el: Element): Lang {
  const lang = el.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang ?? '';
  return lang.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

const en = {
  identifier: 'Email or username',
  newPassword: 'New password',
  confirmPassword: 'Confirm new password',
  showPassword: 'Show passwords',
  rulesTitle: 'Your password must:',
  rules: {
    min_length: (n: number) => `Be at least ${n} characters long`,
    max_length: (n: number) => `Be at most ${n} characters long`,
    not_common: () => 'Not be a commonly used password',
    no_personal_info: () => 'Not contain your name, email or username',
    not_recent: (n: number) => `Not be one of your last ${n} passwords`,
    match: () => 'Be the same in both fields',
  } as Record<string, (n: number) => string>,
  ruleChecked: 'checked when you save',
  ruleMet: 'met',
  ruleUnmet: 'not met yet',
  working: 'Please wait…',
  errors: {
    invalid_request: 'Please check the fields and try again.',
    unsupported_media_type: 'The request could not be sent. Please try again.',
    payload_too_large: 'What you typed is too long.',
    forbidden: 'You are not allowed to do this.',
    id_in_use: 'This client already exists.',
    conflict: 'Someone changed this at the same time. Please try again.',
    not_found: 'This client could not be found.',
    unauthorized: 'Your session with the portal has ended. Please sign in again.',
    link_invalid: 'This link is not valid. Copy the whole link from the email, or ask for a new one.',
    link_expired: 'This link has expired.',
    link_used: 'This link has already been used.',
    link_replaced: 'A newer link has been sent. Use the most recent email.',
    link_revoked: 'This link no longer works because the account changed.',
    password_rejected: 'This password does not meet the rules below.',
    invalid_credentials: 'Invalid username or password.',
    account_disabled: 'This account is disabled. Please contact the front desk.',
    email_not_confirmed: 'Please confirm your email address first: we sent you a link.',
    too_many_attempts: 'Too many attempts. Please wait a moment and try again.',
    temporary_password_expired: 'This temporary password has expired. Ask the front desk for a new one.',
    challenge_invalid: 'This step has expired. Please log in again with your temporary password.',
    session_invalid: 'Your session has ended. Please log in again.',
    email_in_use: 'This email address is already in use.',
    username_in_use: 'This username is already in use.',
    invalid_email: 'This is not a valid email address.',
    temporary_unavailable:
      'Not available: this client belongs to more than one company, so staff cannot know its password.',
    custom_unavailable: 'Not available: staff cannot choose the password for this client.',
    email_change_unavailable: 'Not available: this client belongs to more than one company.',
    no_email: 'This client has no email address on file.',
    resend_limit: 'The limit of emails for today is reached.',
    mail_failed: 'The email could not be sent. Nothing was changed; please try again.',
    code_invalid: 'This code is not valid. Check the latest email and try again.',
    storage_unavailable: 'The service is briefly unavailable. Please try again in a moment.',
    internal_error: 'Something went wrong. Please try again.',
    network_error: 'The server could not be reached. Check your connection and try again.',
  } as Record<string, string>,
};

export type CommonMessages = typeof en;

export const commonEn = en;

/** The message for an error code, falling back to the server's own sentence, then a generic one. */
export function errorText(m: CommonMessages, code: string, serverMessage?: string): string {
  return m.errors[code] ?? serverMessage ?? m.errors.internal_error;
}

/** What a locale pack provides: the shared strings and each element's own. */
export interface LocalePack {
  common: CommonMessages;
  panel: PanelMessages;
  form: FormMessages;
  dialog: DialogMessages;
}

const packs: Partial<Record<Lang, LocalePack | Promise<void>>> = {};

/** The loaded pack of a language other than English, or undefined while it loads. */
export function localePack(lang: Lang): LocalePack | undefined {
  const pack = packs[lang];
  return pack && !(pack instanceof Promise) ? pack : undefined;
}

/**
 * Loads a language's pack once (kept out of the main bundle so each element stays small) and then
 * calls `ready`. English needs nothing.
 */
export function loadLocale(lang: Lang, ready: () => void): void {
  if (lang === 'en' || localePack(lang)) return;
  const loading = (packs[lang] ??= import('../locales/fr.js').then((module) => {
    packs[lang] = module.fr;
  }));
  void (loading as Promise<void>).then(ready, () => undefined);
}
