/** Renders each kind of mail (subject, text and HTML) in the tenant's language from typed content. */
import type { Locale } from '../domain.js';
import type { MailContent, MailTenant, RenderedMail } from './mailer.js';
import { maskEmail } from '../mask-email.js';

export { maskEmail };

export { SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH } from '../crypto/params.js';

/**
 * Finds the code in a text part: it is printed alone on its line. Capture group 1 is the code.
 * Not global, so it keeps no state between calls.
 */
export const SHORT_CODE_PATTERN = /^[ \t]*([A-HJ-NP-Z2-9]{8})[ \t]*$/m;

/** A span of time until an expiry, already worded ("24 hours"), or null when unknown or past. */
type Within = string | null;

/**
 * Every sentence of every mail, for one language. Functions take values already formatted as
 * plain text; the HTML renderer escapes whatever they return, so no string here holds markup.
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

const en: MailStrings = {
  greeting: (name) => (name ? `Hello ${name},` : 'Hello,'),
  signOff: (tenant) => `The ${tenant} team`,
  footer: (tenant) => `This message was sent automatically by ${tenant}.`,
  linkFallback: 'If the button does not work, copy this address into your browser:',
  labelled: (text) => `${text}:`,
  invite: {
    subject: (tenant) => `Welcome to ${tenant}: set your password`,
    intro: (tenant) => `${tenant} has created an account for you. To get started, choose your password.`,
    action: 'Set your password',
    codeLabel: 'Finishing on another device? Enter this code there:',
    untilUsed: 'The link and the code work until you use them or until a newer invitation is sent.',
    until: (date, within) =>
      'The link and the code work until you use them or until a newer invitation is sent' +
      (within ? `, for at most ${within}: they expire on ${date}.` : `. They expire on ${date}.`),
    notExpected: 'If you were not expecting this invitation, you can ignore this mail.',
  },
  reset: {
    subject: (tenant) => `Reset your ${tenant} password`,
    intro: (tenant) =>
      `We received a request to reset the password of your ${tenant} account. Choose a new password with the button below.`,
    action: 'Choose a new password',
    codeLabel: 'Finishing on another device? Enter this code there:',
    until: (date, within) =>
      (within ? `Use them within ${within}: the link` : 'The link') +
      ` and the code expire on ${date}. Only the most recent mail works.`,
    ignore: 'If you did not ask for this, ignore this mail: your password stays as it is.',
    voidedIntro: (tenant) =>
      `For your security, the password of your ${tenant} account no longer works after a change to your account: it may have been known to staff. Choose a new password with the button below.`,
    voidedNote: 'You can log in again as soon as you have chosen it.',
  },
  credentials: {
    subject: (tenant) => `Your ${tenant} login details`,
    intro: (tenant) => `${tenant} has set a password for your account. Log in with these details:`,
    identifierLabel: 'Log in with:',
    passwordLabel: 'Password:',
    action: 'Log in',
    mustChange: 'You will be asked to choose a new password at first login.',
    until: (date, within) =>
      within
        ? `Use this password within ${within}: it expires on ${date}.`
        : `This password expires on ${date}.`,
    keepPrivate: 'Keep this password to yourself and delete this mail once you have logged in.',
  },
  passwordChanged: {
    subject: (tenant) => `Your ${tenant} password was changed`,
    body: (tenant, date, byStaff) =>
      byStaff
        ? `The password of your ${tenant} account was changed by staff on ${date}.`
        : `The password of your ${tenant} account was changed on ${date}.`,
    notYou: (tenant, byStaff) =>
      byStaff
        ? `If you did not ask for this change, contact ${tenant}.`
        : `If this was not you, contact ${tenant}.`,
  },
  emailChanged: {
    subject: (tenant) => `Your ${tenant} email address was changed`,
    body: (tenant, date, masked) =>
      `The email address of your ${tenant} account was changed to ${masked} on ${date}. ` +
      `From now on, mails from ${tenant} go to the new address.`,
    notYou: (tenant) => `If this was not you, contact ${tenant} right away.`,
  },
  verifyEmail: {
    subject: (tenant) => `Confirm your email address for ${tenant}`,
    intro: (tenant) => `Please confirm that this is your email address for your ${tenant} account.`,
    action: 'Confirm my email address',
    until: (date, within) =>
      within ? `Use the link within ${within}: it expires on ${date}.` : `The link expires on ${date}.`,
    ignore: 'If you did not ask for this, ignore this mail.',
  },
};

/** U+00A0 before a colon, U+202F before ? and ! (French typography); both keep the mark off a new line. */
const nbsp = '\u00a0';
const nnbsp = '\u202f';

const fr: MailStrings = {
  greeting: (name) => (name ? `Bonjour ${name},` : 'Bonjour,'),
  signOff: (tenant) => `L’équipe ${tenant}`,
  footer: (tenant) => `Ce message a été envoyé automatiquement par ${tenant}.`,
  linkFallback: `Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur${nbsp}:`,
  labelled: (text) => `${text}${nbsp}:`,
  invite: {
    subject: (tenant) => `Bienvenue chez ${tenant}${nbsp}: choisissez votre mot de passe`,
    intro: (tenant) => `${tenant} vous a créé un compte. Pour commencer, choisissez votre mot de passe.`,
    action: 'Choisir mon mot de passe',
    codeLabel: `Vous continuez sur un autre appareil${nnbsp}? Saisissez-y ce code${nbsp}:`,
    untilUsed:
      'Le lien et le code restent valables jusqu’à leur utilisation ou jusqu’à l’envoi d’une nouvelle invitation.',
    until: (date, within) =>
      'Le lien et le code restent valables jusqu’à leur utilisation ou jusqu’à l’envoi d’une nouvelle invitation' +
      (within
        ? `, pendant ${within} au plus${nbsp}: ils expirent le ${date}.`
        : `. Ils expirent le ${date}.`),
    notExpected: 'Si vous n’attendiez pas cette invitation, ignorez simplement ce message.',
  },
  reset: {
    subject: (tenant) => `Réinitialisation de votre mot de passe ${tenant}`,
    intro: (tenant) =>
      `Nous avons reçu une demande de réinitialisation du mot de passe de votre compte ${tenant}. Choisissez un nouveau mot de passe avec le bouton ci-dessous.`,
    action: 'Choisir un nouveau mot de passe',
    codeLabel: `Vous continuez sur un autre appareil${nnbsp}? Saisissez-y ce code${nbsp}:`,
    until: (date, within) =>
      (within ? `Utilisez-les dans les ${within}${nbsp}: le lien` : 'Le lien') +
      ` et le code expirent le ${date}. Seul le message le plus récent est valable.`,
    ignore: `Si vous n’êtes pas à l’origine de cette demande, ignorez ce message${nbsp}: votre mot de passe reste inchangé.`,
    voidedIntro: (tenant) =>
      `Pour votre sécurité, le mot de passe de votre compte ${tenant} ne fonctionne plus après une modification de votre compte${nbsp}: il a pu être connu du personnel. Choisissez un nouveau mot de passe avec le bouton ci-dessous.`,
    voidedNote: 'Vous pourrez vous reconnecter dès que vous l’aurez choisi.',
  },
  credentials: {
    subject: (tenant) => `Vos identifiants ${tenant}`,
    intro: (tenant) =>
      `${tenant} a défini un mot de passe pour votre compte. Connectez-vous avec ces informations${nbsp}:`,
    identifierLabel: `Identifiant${nbsp}:`,
    passwordLabel: `Mot de passe${nbsp}:`,
    action: 'Se connecter',
    mustChange: 'Lors de votre première connexion, vous devrez choisir un nouveau mot de passe.',
    until: (date, within) =>
      within
        ? `Utilisez ce mot de passe dans les ${within}${nbsp}: il expire le ${date}.`
        : `Ce mot de passe expire le ${date}.`,
    keepPrivate: 'Ne communiquez ce mot de passe à personne et supprimez ce message après votre connexion.',
  },
  passwordChanged: {
    subject: (tenant) => `Votre mot de passe ${tenant} a été modifié`,
    body: (tenant, date, byStaff) =>
      byStaff
        ? `Le mot de passe de votre compte ${tenant} a été modifié par l’équipe le ${date}.`
        : `Le mot de passe de votre compte ${tenant} a été modifié le ${date}.`,
    notYou: (tenant, byStaff) =>
      byStaff
        ? `Si vous n’avez pas demandé ce changement, contactez ${tenant}.`
        : `Si vous n’êtes pas à l’origine de ce changement, contactez ${tenant}.`,
  },
  emailChanged: {
    subject: (tenant) => `L’adresse e-mail de votre compte ${tenant} a été modifiée`,
    body: (tenant, date, masked) =>
      `L’adresse e-mail de votre compte ${tenant} a été remplacée par ${masked} le ${date}. ` +
      `Les messages de ${tenant} seront désormais envoyés à la nouvelle adresse.`,
    notYou: (tenant) => `Si vous n’êtes pas à l’origine de ce changement, contactez ${tenant} sans attendre.`,
  },
  verifyEmail: {
    subject: (tenant) => `Confirmez votre adresse e-mail pour ${tenant}`,
    intro: (tenant) =>
      `Merci de confirmer qu’il s’agit bien de votre adresse e-mail pour votre compte ${tenant}.`,
    action: 'Confirmer mon adresse e-mail',
    until: (date, within) =>
      within
        ? `Utilisez le lien dans les ${within}${nbsp}: il expire le ${date}.`
        : `Le lien expire le ${date}.`,
    ignore: 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message.',
  },
};

const strings: Record<Locale, MailStrings> = { en, fr };

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
  const locale: Locale = tenant.locale === 'fr' ? 'fr' : 'en';
  const s = strings[locale];
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
    html: renderHtml(blocks, cleanSubject, locale),
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
  return new Intl.DateTimeFormat(locale, {
    weekday: 'long',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
    timeZoneName: 'short',
  }).format(ms);
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
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
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

const font = "-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif";
const mono = "ui-monospace,SFMono-Regular,Menlo,Consolas,'Liberation Mono',monospace";
// Colours chosen for at least 4.5:1 contrast against their background.
const style = {
  body: 'margin:0;padding:0;background-color:#f3f4f6;',
  card: `max-width:560px;margin:0 auto;padding:32px 24px;background-color:#ffffff;color:#1f2937;font-family:${font};font-size:16px;line-height:1.5;`,
  heading: 'margin:0 0 24px;font-size:20px;line-height:1.3;font-weight:700;color:#111827;',
  p: 'margin:0 0 16px;',
  button:
    'display:inline-block;padding:12px 24px;background-color:#1d4ed8;color:#ffffff;text-decoration:none;font-weight:600;border-radius:6px;',
  fallback: 'margin:0 0 16px;font-size:14px;color:#4b5563;',
  fallbackLink: 'color:#1d4ed8;word-break:break-all;',
  code: `margin:0 0 16px;font-family:${mono};font-size:26px;font-weight:700;letter-spacing:4px;color:#111827;`,
  value: `font-family:${mono};font-size:16px;white-space:pre-wrap;background-color:#f3f4f6;padding:2px 6px;border-radius:4px;`,
  small: 'margin:24px 0 0;font-size:13px;color:#4b5563;',
};

function renderHtml(blocks: Block[], subject: string, locale: Locale): string {
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
            `<p style="${style.p}"><a href="${href}" style="${style.button}">${escapeHtml(block.label)}</a></p>\n` +
            `<p style="${style.fallback}">${escapeHtml(block.fallback)}<br>` +
            `<a href="${href}" style="${style.fallbackLink}">${href}</a></p>`
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
