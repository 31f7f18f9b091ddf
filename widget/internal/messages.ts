/**
 * Strings shared by the three elements, in English (bundled): field labels and password rules.
 * Error messages, the reasons an action is unavailable and activity descriptions are the server's
 * own sentences, in the language the element asks for (one source, written for people); the page
 * keeps only the few errors it words differently. Other languages are locale packs loaded on
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
    // Where the page's wording differs from the API's (it points at the form, or speaks to staff).
    password_rejected: 'This password does not meet the rules below.',
    not_found: 'This client could not be found.',
    unauthorized: 'Your session with the portal has ended. Please sign in again.',
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

const packs: Partial<Record<Lang, LocalePack>> = {};
let french: Promise<void> | undefined;

/**
 * The pack of a language other than English once it is loaded. Until then: undefined, the pack is
 * loaded (once; it is kept out of the main bundle so each element stays small) and `ready` is
 * called when it is there.
 */
export function localePack(lang: Lang, ready: () => void): LocalePack | undefined {
  if (lang !== 'en' && !packs[lang])
    void (french ??= import('../locales/fr.js').then((module) => {
      packs.fr = module.fr;
    })).then(ready, () => undefined);
  return packs[lang];
}
