/** Keeps U+0000, which PostgreSQL text and jsonb refuse but names, ids and sort keys may hold, storable without changing their order. */

const NUL = '\u0000';
const ESC = '\u0001';

/**
 * U+0000 → U+0001 U+0001 and U+0001 → U+0001 U+0002; everything else as it is. The codes are in
 * the order of the characters they stand for and none is a prefix of another, so encoded strings
 * compare (by code point, as COLLATE "C" does) exactly as the originals: a sort key keeps its
 * place, and its `\u0000` separator still sorts before any character of a name.
 */
export function encodeText(text: string): string {
  if (!text.includes(NUL) && !text.includes(ESC)) return text;
  // U+0001 first: the escapes written for U+0000 must stay as they are.
  return text.replaceAll(ESC, ESC + '\u0002').replaceAll(NUL, ESC + ESC);
}

export function decodeText(text: string): string {
  if (!text.includes(ESC)) return text;
  let decoded = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === ESC && i + 1 < text.length) {
      decoded += text[++i] === ESC ? NUL : ESC;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mapKeys(value: Record<string, unknown>, map: (key: string) => string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [map(key), inner]));
}

/** The JSON text of a value for a jsonb column, its strings and keys encoded when any needs it. */
export function toJsonText(value: unknown): string {
  const text = JSON.stringify(value);
  // JSON.stringify writes both characters as \u escapes: most values take the fast way.
  if (!text.includes('\\u0000') && !text.includes('\\u0001')) return text;
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'string' ? encodeText(inner) : isPlainObject(inner) ? mapKeys(inner, encodeText) : inner,
  );
}

/** The value of a jsonb column read as text (`value::text`), decoded. */
export function fromJsonText<T>(text: string): T {
  // PostgreSQL writes U+0001 as \u0001 too: without it there is nothing to decode.
  if (!text.includes('\\u0001')) return JSON.parse(text) as T;
  return JSON.parse(text, (_key, inner: unknown) =>
    typeof inner === 'string' ? decodeText(inner) : isPlainObject(inner) ? mapKeys(inner, decodeText) : inner,
  ) as T;
}
