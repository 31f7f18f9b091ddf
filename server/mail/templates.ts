/**
 * Renders each kind of mail (subject, text and HTML) in the tenant's language and colours from
 * typed content; the sentences are in `locales/`.
 */
import { brandColours, type BrandColours } from '../brand-colours.js';
import type { Locale } from '../domain.js';
import { serverText, spokenLocale } from '../locales/index.js';
import type { MailStrings } from '../locales/server-text.js';
import type { MailContent, MailTenant, RenderedMail } from './mailer.js';
import { maskEmail } from '../mask-email.js';

export { maskEmail };
export type { MailStrings };

export { SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH } from '../crypto/params.js';

/**
 * Finds the code in a text part: it is printed alone on its line. Capture group 1 is the code.
 * Not global, so it keeps no state between calls.
 */
export const SHORT_CODE_PATTERN = /^[ \t]*([A-HJ-NP-Z2-9]{8})[ \t]*$/m;

/**
 * What a mail is made of. Text and HTML are both rendered from the same blocks, so they carry
 * the same content; all values are plain text until the HTML renderer escapes them.
 */
type Block =
  | { type: 'heading'; text: string }
  | { type: 'p'; text: string }
  | { type: 'button'; label: string; textLabel: string; url: string; fallback: string }
  | { type: 'code'; label: string; code: string }
  | { type: 'fields'; rows: Array<{ label: string; value: string }> }
  | { type: 'small'; text: string };

export interface RenderOptions {
  /**
   * The current time, to word how long a link or password stays valid ("within 24 hours").
   * Without it, mails give the expiry date only.
   */
  now?: number;
}

export function renderMail(
  content: MailContent,
  tenant: MailTenant,
  options: RenderOptions = {},
): RenderedMail {
  const locale = spokenLocale(tenant.locale);
  const s = serverText[locale].mail;
  // One line, however the name was entered: it is used in sentences and in the subject.
  const name = tenant.name.replace(/\s+/g, ' ').trim();
  const date = (ms: number) => formatDate(ms, locale);
  const within = (ms: number) => (options.now === undefined ? null : formatWithin(ms - options.now, locale));

  let subject: string;
  const body: Block[] = [];
  switch (content.kind) {
    case 'invite':
      subject = s.invite.subject(name);
      body.push(
        { type: 'p', text: s.invite.intro(name) },
        button(s.invite.action, content.link, s),
        { type: 'code', label: s.invite.codeLabel, code: content.code },
        {
          type: 'p',
          text:
            content.expiresAt === null
              ? s.invite.untilUsed
              : s.invite.until(date(content.expiresAt), within(content.expiresAt)),
        },
        { type: 'p', text: s.invite.notExpected },
      );
      break;
    case 'reset':
      subject = s.reset.subject(name);
      body.push(
        { type: 'p', text: content.reason ? s.reset.voidedIntro(name) : s.reset.intro(name) },
        button(s.reset.action, content.link, s),
        { type: 'code', label: s.reset.codeLabel, code: content.code },
        { type: 'p', text: s.reset.until(date(content.expiresAt), within(content.expiresAt)) },
        { type: 'p', text: content.reason ? s.reset.voidedNote : s.reset.ignore },
      );
      break;
    case 'credentials':
      subject = s.credentials.subject(name);
      body.push(
        { type: 'p', text: s.credentials.intro(name) },
        {
          type: 'fields',
          rows: [
            { label: s.credentials.identifierLabel, value: content.identifier },
            { label: s.credentials.passwordLabel, value: content.password },
          ],
        },
        button(s.credentials.action, content.loginUrl, s),
      );
      if (content.mustChange) body.push({ type: 'p', text: s.credentials.mustChange });
      if (content.expiresAt !== null) {
        body.push({
          type: 'p',
          text: s.credentials.until(date(content.expiresAt), within(content.expiresAt)),
        });
      }
      body.push({ type: 'p', text: s.credentials.keepPrivate });
      break;
    case 'password-changed':
      subject = s.passwordChanged.subject(name);
      body.push(
        { type: 'p', text: s.passwordChanged.body(name, date(content.at), content.byStaff) },
        { type: 'p', text: s.passwordChanged.notYou(name, content.byStaff) },
      );
      break;
    case 'password-set':
      subject = s.passwordSet.subject(name);
      body.push(
        { type: 'p', text: s.passwordSet.body(name, date(content.at)) },
        { type: 'p', text: s.passwordSet.ready },
        { type: 'p', text: s.passwordSet.notYou(name) },
      );
      break;
    case 'email-changed':
      subject = s.emailChanged.subject(name);
      body.push(
        { type: 'p', text: s.emailChanged.body(name, date(content.at), maskEmail(content.newEmail)) },
        { type: 'p', text: s.emailChanged.notYou(name) },
      );
      break;
    case 'verify-email':
      subject = s.verifyEmail.subject(name);
      body.push(
        { type: 'p', text: s.verifyEmail.intro(name) },
        button(s.verifyEmail.action, content.link, s),
        { type: 'p', text: s.verifyEmail.until(date(content.expiresAt), within(content.expiresAt)) },
        { type: 'p', text: s.verifyEmail.ignore },
      );
      break;
    default:
      return unknownKind(content);
  }

  const blocks: Block[] = [
    { type: 'heading', text: name },
    { type: 'p', text: s.greeting(content.name.trim()) },
    ...body,
    { type: 'p', text: s.signOff(name) },
    { type: 'small', text: s.footer(name) },
  ];
  // A header cannot hold a line break; nodemailer would fold it, but a name pasted with one
  // should read as one line anyway.
  const cleanSubject = subject.replace(/[\r\n\t]+/g, ' ').trim();
  return {
    subject: cleanSubject,
    text: renderText(blocks),
    html: renderHtml(blocks, cleanSubject, locale, brandColours(tenant.brand, DEFAULT_COLOURS)),
  };
}

function unknownKind(content: never): never {
  throw new Error(`Unknown mail kind: ${String((content as { kind?: unknown }).kind)}`);
}

function button(label: string, url: string, s: MailStrings): Block {
  assertWebUrl(url);
  return { type: 'button', label, textLabel: s.labelled(label), url, fallback: s.linkFallback };
}

/**
 * Links come from tenant settings; a `javascript:` or `data:` URL must never become a button.
 * The message names no URL: it may carry a token.
 */
function assertWebUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('Mail link is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error('Mail link must be an http(s) URL');
  }
}

/** `jane.doe@example.com` → `j***@example.com`: enough for the owner to recognise, little for anyone else. */

/**
 * In UTC with the zone printed: the server does not know the member's zone, and a time without
 * its zone would be read as local.
 */
export function formatDate(ms: number, locale: Locale): string {
  return formatter(
    `date:${locale}`,
    () =>
      new Intl.DateTimeFormat(locale, {
        weekday: 'long',
        year: 'numeric',
        month: 'long',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZone: 'UTC',
        timeZoneName: 'short',
      }),
  ).format(ms);
}

/**
 * Formatters made once per locale and kind: making one costs more than rendering the rest of a
 * mail (it loads the locale's data), and the locales are a short fixed list.
 */
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();

function formatter<F extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => F): F {
  let made = formatters.get(key) as F | undefined;
  if (!made) formatters.set(key, (made = make()));
  return made;
}

/** "24 hours", "3 days", "15 minutes"; null once the time has passed. */
export function formatWithin(ms: number, locale: Locale): string | null {
  if (ms <= 0) return null;
  const minute = 60_000;
  const hour = 60 * minute;
  const day = 24 * hour;
  const [value, unit] =
    ms >= 2 * day
      ? [Math.round(ms / day), 'day']
      : ms >= hour
        ? [Math.round(ms / hour), 'hour']
        : [Math.max(1, Math.ceil(ms / minute)), 'minute'];
  return formatter(
    `${unit}:${locale}`,
    () => new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }),
  ).format(value);
}

function renderText(blocks: Block[]): string {
  const parts = blocks.map((block) => {
    switch (block.type) {
      case 'heading':
        return block.text;
      case 'p':
      case 'small':
        return block.text;
      case 'button':
        // The URL alone on its line, so no client glues punctuation onto it.
        return `${block.textLabel}\n${block.url}`;
      case 'code':
        // Alone on its line: SHORT_CODE_PATTERN relies on it, and it is easy to read.
        return `${block.label}\n\n${block.code}`;
      case 'fields':
        return block.rows.map((row) => `${row.label} ${row.value}`).join('\n');
    }
  });
  return parts.join('\n\n') + '\n';
}

/** Without a usable brand colour: blue with white text, at least 4.5:1. */
const DEFAULT_COLOURS = { accent: '#1d4ed8', link: '#1d4ed8' };

const font = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const mono = "ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace";
// Colours chosen for at least 4.5:1 contrast against their background; the brand's come in `colours`.
const style = {
  body: 'margin:0;padding:0;background-color:#f3f4f6;',
  card: `max-width:560px;margin:0 auto;padding:32px 24px;background-color:#ffffff;color:#1f2937;font-family:${font};font-size:16px;line-height:1.5;`,
  heading: 'margin:0 0 24px;font-size:20px;line-height:1.3;font-weight:700;color:#111827;',
  p: 'margin:0 0 16px;',
  button: (colours: BrandColours) =>
    `display:inline-block;padding:12px 24px;background-color:${colours.accent};color:${colours.accentText};text-decoration:none;font-weight:600;border-radius:6px;`,
  fallback: 'margin:0 0 16px;font-size:14px;color:#4b5563;',
  fallbackLink: (colours: BrandColours) => `color:${colours.link};word-break:break-all;`,
  code: `margin:0 0 16px;font-family:${mono};font-size:26px;font-weight:700;letter-spacing:4px;color:#111827;`,
  value: `font-family:${mono};font-size:16px;white-space:pre-wrap;background-color:#f3f4f6;padding:2px 6px;border-radius:4px;`,
  small: 'margin:24px 0 0;font-size:13px;color:#4b5563;',
};

function renderHtml(blocks: Block[], subject: string, locale: Locale, colours: BrandColours): string {
  const body = blocks
    .map((block) => {
      switch (block.type) {
        case 'heading':
          return `<h1 style="${style.heading}">${escapeHtml(block.text)}</h1>`;
        case 'p':
          return `<p style="${style.p}">${escapeHtml(block.text)}</p>`;
        case 'small':
          return `<p style="${style.small}">${escapeHtml(block.text)}</p>`;
        case 'button': {
          const href = escapeHtml(block.url);
          return (
            `<p style="${style.p}"><a href="${href}" style="${style.button(colours)}">${escapeHtml(block.label)}</a></p>\n` +
            `<p style="${style.fallback}">${escapeHtml(block.fallback)}<br>` +
            `<a href="${href}" style="${style.fallbackLink(colours)}">${href}</a></p>`
          );
        }
        case 'code':
          return (
            `<p style="${style.p}">${escapeHtml(block.label)}</p>\n` +
            `<p style="${style.code}">${escapeHtml(block.code)}</p>`
          );
        case 'fields':
          return block.rows
            .map(
              (row) =>
                `<p style="${style.p}"><strong>${escapeHtml(row.label)}</strong> ` +
                `<code style="${style.value}">${escapeHtml(row.value)}</code></p>`,
            )
            .join('\n');
      }
    })
    .join('\n');
  return [
    '<!DOCTYPE html>',
    `<html lang="${locale}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(subject)}</title>`,
    '</head>',
    `<body style="${style.body}">`,
    `<div role="article" aria-label="${escapeHtml(subject)}" lang="${locale}" style="${style.card}">`,
    body,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

const htmlEscapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** For text content and quoted attribute values alike. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => htmlEscapes[char]);
}
