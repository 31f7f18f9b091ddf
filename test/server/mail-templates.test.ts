/** The mail templates: every kind in both languages, escaping, and which secrets each kind may carry. */
import { describe, expect, it } from 'vitest';
import type { Locale, MailKind } from '../../server/domain.js';
import type { MailContent, MailTenant } from '../../server/mail/mailer.js';
import {
  SHORT_CODE_ALPHABET,
  SHORT_CODE_LENGTH,
  SHORT_CODE_PATTERN,
  escapeHtml,
  formatDate,
  maskEmail,
  renderMail,
} from '../../server/mail/templates.js';
import { extractCode, extractLink } from '../helpers/smtp-sink.js';

const NOW = Date.UTC(2026, 0, 5, 9, 0, 0);
const DAY = 24 * 60 * 60 * 1000;
const TOKEN = 'tkn_9fQ2xLr7Vb0Zk1';
const CODE = 'K7PX4MWR';
const PASSWORD = 'Zq9-vault-Horse!';
const LINK = `https://portal.example.com/reset#token=${TOKEN}`;
const VERIFY_LINK = `https://portal.example.com/verify#token=${TOKEN}`;

const kinds: MailKind[] = [
  'invite',
  'reset',
  'credentials',
  'password-changed',
  'password-set',
  'email-changed',
  'verify-email',
];
const locales: Locale[] = ['en', 'fr'];

function sample(kind: MailKind, name = 'Jane'): MailContent {
  switch (kind) {
    case 'invite':
      return { kind, name, link: LINK, code: CODE, expiresAt: NOW + 7 * DAY };
    case 'reset':
      return { kind, name, link: LINK, code: CODE, expiresAt: NOW + DAY };
    case 'credentials':
      return {
        kind,
        name,
        password: PASSWORD,
        identifier: 'jane.doe',
        loginUrl: 'https://portal.example.com/login',
        mustChange: true,
        expiresAt: NOW + 3 * DAY,
      };
    case 'password-changed':
      return { kind, name, at: NOW, byStaff: false };
    case 'password-set':
      return { kind, name, at: NOW };
    case 'email-changed':
      return { kind, name, newEmail: 'jane.new@example.com', at: NOW };
    case 'verify-email':
      return { kind, name, link: VERIFY_LINK, expiresAt: NOW + DAY };
  }
}

const tenant = (locale: Locale, name = 'FitClub Lyon'): MailTenant => ({ id: 't-fit', name, locale });

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

const entities: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/** What a reader of the HTML sees: the body without tags, entities decoded. */
function visibleText(html: string): string {
  const body = html.slice(html.indexOf('<body'));
  return body.replace(/<[^>]*>/g, '').replace(/&(amp|lt|gt|quot|#39);/g, (entity) => entities[entity]);
}

/** Tags the templates may produce; anything else in the HTML came from an unescaped value. */
const allowedTags = new Set([
  'html',
  'head',
  'meta',
  'title',
  'body',
  'div',
  'h1',
  'p',
  'a',
  'br',
  'strong',
  'code',
]);

describe.each(kinds)('%s mail', (kind) => {
  describe.each(locales)('in %s', (locale) => {
    const mail = renderMail(sample(kind), tenant(locale), { now: NOW });

    it('has a subject, a text and an HTML version naming the tenant', () => {
      expect(mail.subject.length).toBeGreaterThan(10);
      expect(mail.subject).not.toMatch(/[\r\n]/);
      expect(mail.subject + mail.text).toContain('FitClub Lyon');
      expect(mail.html).toContain('FitClub Lyon');
      expect(mail.text).toContain('Jane');
      expect(mail.html).toContain(`<html lang="${locale}">`);
      expect(mail.html).toMatch(/^<!DOCTYPE html>/);
    });

    it('says the same in text and HTML', () => {
      const htmlText = visibleText(mail.html);
      const lines = mail.text.split('\n').filter((line) => line.trim() !== '');
      for (const line of lines) {
        // Text labels a link with a trailing colon; the HTML button carries the bare label.
        const bare = line.replace(/\s*:$/, '');
        expect(htmlText, line).toContain(bare);
      }
    });

    it('uses only its own language and its typography', () => {
      if (locale === 'fr') {
        expect(mail.text).toMatch(/^Bonjour Jane,$/m);
        expect(mail.text).toContain('L’équipe FitClub Lyon');
        expect(mail.text).not.toMatch(/\b(Hello|password|the|your)\b/i);
        // French puts a no-break space before a colon or a question mark, never a plain one or none.
        const prose = (mail.text + '\n' + mail.subject).replace(/https?:\/\/\S+/g, '').replace(PASSWORD, '');
        expect(prose).not.toMatch(/ [:?!]/);
        expect(prose).not.toMatch(/[A-Za-zÀ-ÿ][:?!]/);
      } else {
        expect(mail.text).toMatch(/^Hello Jane,$/m);
        expect(mail.text).not.toMatch(/\b(Bonjour|votre|mot de passe)\b/);
        expect(mail.text).not.toContain('\u00a0');
      }
    });

    it('carries only the secrets its kind allows', () => {
      const both = mail.text + mail.html;
      // The token only ever inside the link.
      const link = kind === 'verify-email' ? VERIFY_LINK : LINK;
      expect(count(mail.text, TOKEN)).toBe(count(mail.text, link));
      expect(count(mail.html, TOKEN)).toBe(count(mail.html, link));
      const hasLink = kind === 'invite' || kind === 'reset' || kind === 'verify-email';
      expect(extractLink(mail.text)).toBe(hasLink ? link : null);
      expect(both.includes('#token=')).toBe(hasLink);

      const hasCode = kind === 'invite' || kind === 'reset';
      expect(extractCode(mail.text)).toBe(hasCode ? CODE : null);
      expect(both.includes(CODE)).toBe(hasCode);

      if (kind === 'credentials') {
        expect(count(mail.text, PASSWORD)).toBe(1);
        expect(count(mail.html, PASSWORD)).toBe(1);
      } else {
        expect(both).not.toContain(PASSWORD);
      }
    });
  });
});

describe('French', () => {
  it('is really French, with accents, in every kind', () => {
    for (const kind of kinds) {
      const fr = renderMail(sample(kind), tenant('fr'), { now: NOW });
      const en = renderMail(sample(kind), tenant('en'), { now: NOW });
      expect(fr.subject).not.toBe(en.subject);
      expect(fr.text).toMatch(/[éèàêç’]/);
      expect(fr.html).toContain('lang="fr"');
    }
    expect(renderMail(sample('reset'), tenant('fr'), { now: NOW }).subject).toBe(
      'Réinitialisation de votre mot de passe FitClub Lyon',
    );
    expect(renderMail(sample('invite'), tenant('fr')).subject).toBe(
      'Bienvenue chez FitClub Lyon\u00a0: choisissez votre mot de passe',
    );
  });

  it('formats dates in the locale, in UTC, with the zone', () => {
    expect(formatDate(NOW, 'fr')).toBe('lundi 5 janvier 2026 à 09:00 UTC');
    expect(formatDate(NOW, 'en')).toMatch(/^Monday, January 5, 2026 at 9:00\sAM UTC$/);
    const fr = renderMail(sample('reset'), tenant('fr'), { now: NOW });
    expect(fr.text).toMatch(
      /dans les 24\sheures\u00a0: le lien et le code expirent le mardi 6 janvier 2026 à 09:00 UTC/,
    );
  });
});

describe('escaping', () => {
  const hostileTenant = `O'Brien & Co <script>alert(1)</script>`;
  const hostileName = `<img src=x onerror="alert(1)">`;

  it.each(kinds)('escapes every interpolated value in the %s HTML', (kind) => {
    const base = sample(kind, hostileName);
    const content: MailContent =
      base.kind === 'credentials'
        ? { ...base, identifier: `<b>jane</b>`, password: `p<a>"'&` }
        : base.kind === 'email-changed'
          ? { ...base, newEmail: 'j@ex<i>ample.com' }
          : base;
    for (const locale of locales) {
      const mail = renderMail(content, tenant(locale, hostileTenant), { now: NOW });
      const tags = [...mail.html.matchAll(/<\/?([a-zA-Z][a-zA-Z0-9]*)/g)].map((match) =>
        match[1].toLowerCase(),
      );
      expect(tags.filter((tag) => !allowedTags.has(tag))).toEqual([]);
      expect(mail.html).not.toContain('onerror="');
      expect(mail.html).toContain('O&#39;Brien &amp; Co &lt;script&gt;alert(1)&lt;/script&gt;');
      expect(mail.html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
      // The text version is plain text: values appear as they are.
      expect(mail.text).toContain(hostileTenant);
      expect(mail.text).toContain(hostileName);
      if (content.kind === 'credentials') {
        expect(mail.html).toContain('p&lt;a&gt;&quot;&#39;&amp;');
        expect(mail.text).toContain(`p<a>"'&`);
      }
    }
  });

  it('escapes the five characters that matter in text and attributes', () => {
    expect(escapeHtml(`<a href="x">O'Brien & Co</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;O&#39;Brien &amp; Co&lt;/a&gt;',
    );
  });

  it('escapes the link inside href and keeps it usable', () => {
    const link = `https://portal.example.com/reset?a=1&b='2'#token=${TOKEN}`;
    const mail = renderMail({ ...sample('reset'), link } as MailContent, tenant('en'));
    expect(mail.html).toContain(
      `href="https://portal.example.com/reset?a=1&amp;b=&#39;2&#39;#token=${TOKEN}"`,
    );
    expect(extractLink(mail.text)).toBe(link);
  });

  it('refuses a link that is not http(s), without printing it', () => {
    const link = `javascript:alert(1)//#token=${TOKEN}`;
    expect(() => renderMail({ ...sample('reset'), link } as MailContent, tenant('en'))).toThrow(
      /http\(s\) URL$/,
    );
    try {
      renderMail({ ...sample('verify-email'), link } as MailContent, tenant('en'));
    } catch (error) {
      expect((error as Error).message).not.toContain(TOKEN);
    }
  });

  it('keeps line breaks out of the subject', () => {
    const mail = renderMail(sample('reset'), tenant('en', 'Evil\r\nBcc: x@example.com'));
    expect(mail.subject).toBe('Reset your Evil Bcc: x@example.com password');
  });
});

describe('reset mail', () => {
  it.each(locales)('prints the link (button and plain URL) and the code on its own line (%s)', (locale) => {
    const mail = renderMail(sample('reset'), tenant(locale), { now: NOW });
    expect(extractLink(mail.text)).toBe(LINK);
    expect(mail.text).toContain(`\n\n${CODE}\n\n`);
    expect(mail.text).toContain(`\n${LINK}\n`);
    expect(count(mail.html, `href="${LINK}"`)).toBe(2);
    expect(mail.html).toContain(`>${LINK}</a>`);
    expect(mail.html).toContain(`>${CODE}</p>`);
    expect(mail.text).toMatch(locale === 'en' ? /within 24 hours/ : /dans les 24\sheures/);
    expect(mail.text).toContain(
      locale === 'en'
        ? 'If you did not ask for this, ignore this mail'
        : 'Si vous n’êtes pas à l’origine de cette demande, ignorez ce message',
    );
  });

  it('gives the expiry date alone when it does not know the time', () => {
    const mail = renderMail(sample('reset'), tenant('en'));
    expect(mail.text).not.toContain('within');
    expect(mail.text).toMatch(/The link and the code expire on Tuesday, January 6, 2026 at 9:00\sAM UTC\./);
  });
});

describe('invite mail', () => {
  it('says the link works until used or replaced, and until the expiry when there is one', () => {
    const open = renderMail({ ...sample('invite'), expiresAt: null } as MailContent, tenant('en'), {
      now: NOW,
    });
    expect(open.text).toContain('until you use them or until a newer invitation is sent.');
    expect(open.text).not.toContain('expire');
    const dated = renderMail(sample('invite'), tenant('en'), { now: NOW });
    expect(dated.text).toContain('for at most 7 days: they expire on Monday, January 12, 2026');
    expect(dated.subject).toBe('Welcome to FitClub Lyon: set your password');
    expect(extractCode(dated.text)).toBe(CODE);
  });
});

describe('credentials mail', () => {
  it('gives identifier, password, login URL, and the first-login change when required', () => {
    const mail = renderMail(sample('credentials'), tenant('en'), { now: NOW });
    expect(mail.text).toContain('Log in with: jane.doe\nPassword: Zq9-vault-Horse!');
    expect(mail.html).toContain('href="https://portal.example.com/login"');
    expect(mail.text).toContain('You will be asked to choose a new password at first login.');
    expect(mail.text).toContain('Use this password within 3 days: it expires on Thursday, January 8, 2026');
    const permanent = renderMail(
      { ...sample('credentials'), mustChange: false, expiresAt: null } as MailContent,
      tenant('en'),
    );
    expect(permanent.text).not.toContain('first login');
    expect(permanent.text).not.toContain('expires');
    const fr = renderMail(sample('credentials'), tenant('fr'), { now: NOW });
    expect(fr.text).toContain('Identifiant\u00a0: jane.doe\nMot de passe\u00a0: Zq9-vault-Horse!');
    expect(fr.text).toContain('vous devrez choisir un nouveau mot de passe');
  });
});

describe('notices', () => {
  it('password-changed tells who to contact', () => {
    const mail = renderMail(sample('password-changed'), tenant('en'));
    expect(mail.text).toContain('If this was not you, contact FitClub Lyon.');
    expect(mail.text).toContain('Monday, January 5, 2026');
    const byStaff = renderMail({ ...sample('password-changed'), byStaff: true } as MailContent, tenant('fr'));
    expect(byStaff.text).toContain('modifié par l’équipe le lundi 5 janvier 2026 à 09:00 UTC');
    expect(byStaff.text).toContain('contactez FitClub Lyon');
  });

  it('password-set says the member set it and the account is ready, never that it changed', () => {
    const mail = renderMail(sample('password-set'), tenant('en'));
    expect(mail.subject).toBe('Your FitClub Lyon password is set');
    expect(mail.text).toContain(
      'You set the password of your FitClub Lyon account on Monday, January 5, 2026',
    );
    expect(mail.text).toContain('Your account is ready: you can now log in.');
    expect(mail.text).toContain('If this was not you, contact FitClub Lyon.');
    expect(mail.text + mail.html).not.toMatch(/chang/i);
    const fr = renderMail(sample('password-set'), tenant('fr'));
    expect(fr.subject).toBe('Votre mot de passe FitClub Lyon est défini');
    expect(fr.text).toContain('le lundi 5 janvier 2026 à 09:00 UTC');
    expect(fr.text).not.toContain('modifié');
  });

  it('email-changed shows the new address masked', () => {
    for (const locale of locales) {
      const mail = renderMail(sample('email-changed'), tenant(locale));
      expect(mail.text).toContain('j***@example.com');
      expect(mail.html).toContain('j***@example.com');
      expect(mail.text + mail.html).not.toContain('jane.new');
    }
  });

  it('masks addresses', () => {
    expect(maskEmail('jane.new@example.com')).toBe('j***@example.com');
    expect(maskEmail(' Émilie@exemple.fr ')).toBe('É***@exemple.fr');
    expect(maskEmail('x@y.z')).toBe('x***@y.z');
    expect(maskEmail('not-an-address')).toBe('***');
  });
});

describe('short code format', () => {
  it('is 8 characters from an alphabet without 0, O, 1 or I', () => {
    expect(SHORT_CODE_LENGTH).toBe(8);
    expect(new Set(SHORT_CODE_ALPHABET).size).toBe(32);
    for (const char of SHORT_CODE_ALPHABET) expect(SHORT_CODE_PATTERN.test(char.repeat(8))).toBe(true);
    for (const char of '01IOio') expect(SHORT_CODE_PATTERN.test(`ABCDEFG${char}`)).toBe(false);
    expect(SHORT_CODE_PATTERN.test('ABCDEFG')).toBe(false);
    expect(SHORT_CODE_PATTERN.test('code: ABCDEFGH')).toBe(false);
    expect(extractCode(`Enter this code:\n\n  ${CODE}\n\nThanks`)).toBe(CODE);
  });
});
