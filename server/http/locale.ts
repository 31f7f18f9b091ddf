/** The language of the server's human text for one request, from its `Accept-Language` header. */
import type { Context } from 'hono';
import { LOCALES, type Locale } from '../domain.js';

/** In order of preference when the caller accepts any language (`*`). */
const SUPPORTED: readonly Locale[] = LOCALES;
const DEFAULT: Locale = 'en';

const TAG = /^(?:\*|[a-z]{1,8}(?:-[a-z0-9]{1,8})*)$/i;
const QVALUE = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/;

interface Range {
  /** Primary subtag in lower case (`fr` for `fr-CA`), or `*`. */
  language: string;
  q: number;
  position: number;
}

/** The well-formed ranges of the header; a malformed one is skipped rather than guessed at. */
function parse(header: string): Range[] {
  const ranges: Range[] = [];
  header.split(',').forEach((part, position) => {
    const [tag = '', ...params] = part.split(';').map((piece) => piece.trim());
    if (!TAG.test(tag)) return;
    let q = 1;
    for (const param of params) {
      const [name = '', value = ''] = param.split('=').map((piece) => piece.trim());
      if (name.toLowerCase() !== 'q') continue;
      if (!QVALUE.test(value)) return;
      q = Number(value);
    }
    ranges.push({ language: tag.split('-')[0].toLowerCase(), q, position });
  });
  return ranges;
}

/**
 * The supported language the caller prefers: the highest q wins, ties go to the one named first,
 * `q=0` means "not this one", and `*` stands for any language the header does not name. Regional
 * variants count as their language (`fr-CA` is French). Nothing acceptable, or no header: English.
 */
export function requestLocale(acceptLanguage: string | undefined): Locale {
  if (!acceptLanguage) return DEFAULT;
  const ranges = parse(acceptLanguage);
  const wildcard = ranges.find((range) => range.language === '*');
  let best: { locale: Locale; q: number; position: number } | null = null;
  for (const locale of SUPPORTED) {
    const named = ranges.filter((range) => range.language === locale);
    // A language named more than once (fr-CA;q=0.8, fr;q=0.3) is as acceptable as its best variant.
    const match = named.length ? named.reduce((a, b) => (b.q > a.q ? b : a)) : wildcard;
    if (!match || match.q <= 0) continue;
    if (!best || match.q > best.q || (match.q === best.q && match.position < best.position))
      best = { locale, q: match.q, position: match.position };
  }
  return best?.locale ?? DEFAULT;
}

/** The request's locale, for routes handing it to a flow. */
export function localeOf(c: Context): Locale {
  return requestLocale(c.req.header('Accept-Language'));
}
