/**
 * The elements' language: which one an element speaks, its strings, and the error text. English
 * is bundled (`widget/locales/en.ts`); another language's pack is loaded on demand the first time
 * an element needs it, so each element stays small.
 */
import type { CommonMessages, LocalePack } from '../locales/en.js';

export const LANGS = ['en', 'fr', 'es', 'de', 'pt'] as const;
export type Lang = (typeof LANGS)[number];

/** The element's `lang`, then the nearest `lang` above it, then `<html lang>`; English otherwise. */
export function langOf(el: Element): Lang {
  const lang = el.closest('[lang]')?.getAttribute('lang') ?? document.documentElement.lang ?? '';
  const primary = lang.toLowerCase().split('-')[0];
  return (LANGS as readonly string[]).includes(primary) ? (primary as Lang) : 'en';
}

/** The message for an error code, falling back to the server's own sentence, then a generic one. */
export function errorText(m: CommonMessages, code: string, serverMessage?: string): string {
  if (code === 'network_error' && !navigator.onLine) return m.errors.offline;
  return m.errors[code] ?? serverMessage ?? m.errors.internal_error;
}

// Each pack is its own file beside the bundle (a literal import per language, so the bundler splits them).
const loaders: Record<Exclude<Lang, 'en'>, () => Promise<{ pack: LocalePack }>> = {
  fr: () => import('../locales/fr.js'),
  es: () => import('../locales/es.js'),
  de: () => import('../locales/de.js'),
  pt: () => import('../locales/pt.js'),
};
const packs: Partial<Record<Lang, LocalePack>> = {};
const loading: Partial<Record<Lang, Promise<void>>> = {};

/**
 * The pack of a language other than English once it is loaded. Until then: undefined, the pack is
 * loaded (once) and `ready` is called when it is there.
 */
export function localePack(lang: Lang, ready: () => void): LocalePack | undefined {
  if (lang !== 'en' && !packs[lang])
    void (loading[lang] ??= loaders[lang]().then((module) => {
      packs[lang] = module.pack;
    })).then(ready, () => undefined);
  return packs[lang];
}
