/** The language of the server's text from `Accept-Language`, and the event labels built from it. */
import { describe, expect, it } from 'vitest';
import { requestLocale } from '../../server/http/locale.js';
import { eventText } from '../../server/text.js';

describe('requestLocale', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['fr', 'fr'],
    ['FR', 'fr'],
    ['en', 'en'],
    ['fr-CA', 'fr'],
    ['fr-CA;q=0.8, en;q=0.5', 'fr'],
    ['en;q=0.5, fr-CA;q=0.8', 'fr'],
    ['en-US,en;q=0.9,fr;q=0.8', 'en'],
    ['it-IT, fr;q=0.7, en;q=0.3', 'fr'],
    ['de-DE, fr;q=0.7, en;q=0.3', 'de'],
    ['es-MX', 'es'],
    ['pt-BR, en;q=0.5', 'pt'],
    ['de, es', 'de'],
    ['it, ja', 'en'],
  ] as const)('%j → %s', (header, locale) => {
    expect(requestLocale(header)).toBe(locale);
  });

  it('equal q-values keep the order of the header', () => {
    expect(requestLocale('fr, en')).toBe('fr');
    expect(requestLocale('en, fr')).toBe('en');
    expect(requestLocale('fr;q=0.5, en;q=0.5')).toBe('fr');
    expect(requestLocale('en;q=0.5, fr;q=0.500')).toBe('en');
  });

  it('q=0 means not acceptable', () => {
    expect(requestLocale('fr;q=0, en;q=0.1')).toBe('en');
    expect(requestLocale('en;q=0, fr;q=0.1')).toBe('fr');
    expect(requestLocale('en;q=0.0, fr')).toBe('fr');
    // Nothing acceptable is left: the default all the same.
    expect(requestLocale('fr;q=0')).toBe('en');
  });

  it('a language named in several variants counts at its best one', () => {
    expect(requestLocale('fr-CA;q=0, fr;q=0.9, en;q=0.5')).toBe('fr');
    expect(requestLocale('en;q=0.6, fr-FR;q=0.2, fr-CA;q=0.7')).toBe('fr');
  });

  it('* stands for any language the header does not name', () => {
    expect(requestLocale('*')).toBe('en');
    expect(requestLocale('en;q=0, *')).toBe('fr');
    expect(requestLocale('en;q=0.1, *;q=0.5')).toBe('fr');
    expect(requestLocale('it, *;q=0.1')).toBe('en');
  });

  it('malformed parts are skipped, whitespace is tolerated', () => {
    expect(requestLocale('fr;q=2, en;q=0.3')).toBe('en');
    expect(requestLocale('fr;q=abc, en;q=0.3')).toBe('en');
    expect(requestLocale('fr;q=0.1234, en;q=0.3')).toBe('en');
    expect(requestLocale('<fr>, en;q=0.3')).toBe('en');
    expect(requestLocale('  en ; q=0.2 ,  fr ; q=0.4 ')).toBe('fr');
    expect(requestLocale(',,;;')).toBe('en');
  });
});

describe('eventText', () => {
  it('is the label alone when the action succeeded, with the outcome otherwise', () => {
    expect(eventText('en', 'reset_link.send', 'ok')).toBe('Reset link sent');
    expect(eventText('en', 'reset_link.send', 'refused')).toBe('Reset link sent (refused)');
    expect(eventText('en', 'invite.send', 'failed')).toBe('Welcome email sent (failed)');
    expect(eventText('fr', 'reset_link.send', 'refused')).toBe('Lien de réinitialisation envoyé : refus');
    expect(eventText('fr', 'invite.send', 'failed')).toBe('E-mail de bienvenue envoyé : échec');
  });

  it('an action without a label shows as it was stored', () => {
    expect(eventText('fr', 'something.retired', 'ok')).toBe('something.retired');
    expect(eventText('en', 'toString', 'refused')).toBe('toString (refused)');
  });
});
