/** The server's text by language, and the one check that a stored or given value is a language it speaks. */
import { LOCALES, type Locale } from '../domain.js';
import { de } from './de.js';
import { en } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { pt } from './pt.js';
import type { ServerText } from './server-text.js';

export type { ServerText } from './server-text.js';
export { LOCALES, type Locale };

export const serverText: Record<Locale, ServerText> = { en, fr, es, de, pt };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * A language read back from a record (a tenant stored by an older version, or by hand) may be one
 * the server no longer speaks: English then, rather than a sentence of `undefined`.
 */
export function spokenLocale(value: unknown): Locale {
  return isLocale(value) ? value : 'en';
}
