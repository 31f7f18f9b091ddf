/**
 * The server's human answers, worded per language from `locales/`: error messages, why a
 * capability is unavailable, and the lines of a client's activity. Mail and hosted pages word
 * their own from the same files.
 */
import type { AuditAction, AuditEvent, AuditOutcome, Locale } from './domain.js';
import type { ErrorCode } from './errors.js';
import { LOCALES, serverText } from './locales/index.js';
import type { ChangeText, ReasonText } from './locales/server-text.js';

export type { ReasonText };

const byLocale = <T>(pick: (locale: Locale) => T): Record<Locale, T> =>
  Object.fromEntries(LOCALES.map((locale) => [locale, pick(locale)])) as Record<Locale, T>;

/** The English ones are the errors' own defaults (also what the logs show). */
export const errorMessages: Record<Locale, Record<ErrorCode, string>> = byLocale(
  (locale) => serverText[locale].errors,
);

export const reasonText: Record<Locale, ReasonText> = byLocale((locale) => serverText[locale].reasons);

/** Who acted, when it was staff of another company: they stay anonymous to this one. */
export const otherCompanyStaff: Record<Locale, string> = byLocale(
  (locale) => serverText[locale].activity.otherCompanyStaff,
);

/** Between the phrases of a change of several fields: no word, so no language's casing or grammar to follow. */
const CHANGE_SEPARATOR = ' · ';

/**
 * What a staff PATCH changed, from the fields its audit record names (`name`, `email`,
 * `loginEnabled` with `loginEnabledNow`, `emailConfirmed` with `emailConfirmedNow`): null when it
 * names none (a refusal, a PATCH that changed nothing, a record older than the fields).
 */
function changeText(changes: ChangeText, detail: AuditEvent['detail']): string | null {
  if (!detail) return null;
  const phrases: string[] = [];
  if (detail.name === true) phrases.push(changes.name);
  if (detail.email === true) phrases.push(changes.email);
  if (detail.loginEnabled === true)
    phrases.push(detail.loginEnabledNow === true ? changes.loginEnabled : changes.loginDisabled);
  // A new address is unconfirmed because it is new; only staff confirming one is a change of its own.
  if (detail.emailConfirmed === true && (detail.emailConfirmedNow === true || detail.email !== true))
    phrases.push(detail.emailConfirmedNow === true ? changes.emailConfirmed : changes.emailUnconfirmed);
  return phrases.length > 0 ? phrases.join(CHANGE_SEPARATOR) : null;
}

/**
 * One line for an audit event: "Reset link sent", or "Reset link sent (refused)" when it did not
 * succeed, and "× 12" for repeats counted on one record. A change of a client's details says what
 * changed ("Login disabled"). An action without a label (a record older than the table) shows as
 * it was stored.
 */
export function eventText(
  locale: Locale,
  action: string,
  outcome: AuditOutcome,
  count = 1,
  detail?: AuditEvent['detail'],
): string {
  const { actions, outcomes, changes } = serverText[locale].activity;
  const label =
    (action === 'client.update' && outcome === 'ok' ? changeText(changes, detail) : null) ??
    (Object.hasOwn(actions, action) ? actions[action as AuditAction] : action);
  const text = outcome === 'ok' ? label : `${label}${outcomes[outcome] ?? ` (${String(outcome)})`}`;
  return count > 1 ? `${text} × ${count}` : text;
}

/**
 * A request field that is missing or not valid (or the body as a whole when no field is named),
 * in every language. `detail`: what the field must be, in English (a rule of one field, see the
 * README's API notes).
 */
export function invalidFieldText(field: string, detail?: string): Record<Locale, string> {
  return byLocale((locale) => {
    const text = serverText[locale].invalidField;
    if (field && detail) return text.withRule(field, detail);
    return field ? text.missing(field) : text.body;
  });
}
