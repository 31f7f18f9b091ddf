import { describe, expect, it } from 'vitest';
import { createPasswordHasher } from '../../server/crypto/passwords.js';
import {
  checkPasswordRules,
  codePointLength,
  contextWords,
  describePolicy,
  evaluatePassword,
  isCommonPassword,
} from '../../server/policy/password-policy.js';
import { dictionary } from '@zxcvbn-ts/language-common';

const settings = { minLength: 12, maxLength: 128, historySize: 5 };
const context = {
  name: 'Ann Lee-Jordan',
  email: 'ann.jordan@gymnasium.example',
  username: 'annj',
  tenantNames: ['Riverside Fitness'],
};

describe('password policy', () => {
  it('ships a common-password list of at least 10,000 entries and refuses its entries in any case', () => {
    expect((dictionary['passwords-common'] as string[]).length).toBeGreaterThanOrEqual(10_000);
    expect(isCommonPassword('password1234')).toBe(true);
    expect(isCommonPassword('PASSWORD1234')).toBe(true);
    expect(checkPasswordRules('1q2w3e4r5t6y', settings, {})).toContain('not_common');
    expect(isCommonPassword('velvet-harbor-quartz-91')).toBe(false);
  });

  it('counts length in code points, not UTF-16 units, and never truncates', () => {
    const emoji = '🔒'.repeat(12); // 24 UTF-16 units, 12 code points
    expect(codePointLength(emoji)).toBe(12);
    expect(checkPasswordRules(emoji, settings, {})).not.toContain('min_length');
    expect(checkPasswordRules('🔒'.repeat(11), settings, {})).toContain('min_length');
    expect(checkPasswordRules('a'.repeat(129), settings, {})).toContain('max_length');
    expect(checkPasswordRules('b'.repeat(128), settings, {})).not.toContain('max_length');
  });

  it('accepts every Unicode character and needs no composition rules', () => {
    expect(checkPasswordRules('ночь тихая река', settings, {})).toEqual([]);
    expect(checkPasswordRules('all lowercase words here', settings, {})).toEqual([]);
  });

  it('measures length after NFKC: a compatibility form counts as what it normalises to', () => {
    // U+FB01 (the "fi" ligature) normalises to two letters under NFKC.
    expect(checkPasswordRules('\uFB01'.repeat(6), settings, {})).not.toContain('min_length');
  });

  it('refuses passwords containing the name, email parts, username or tenant name, and says so', () => {
    expect(checkPasswordRules('summer-jordan-2026!', settings, context)).toEqual(['no_personal_info']);
    expect(checkPasswordRules('my-gymnasium-pass-77', settings, context)).toEqual(['no_personal_info']);
    expect(checkPasswordRules('xx-annj-secret-phrase', settings, context)).toEqual(['no_personal_info']);
    expect(checkPasswordRules('go-riverside-every-day', settings, context)).toEqual(['no_personal_info']);
    expect(checkPasswordRules('velvet-harbor-quartz-91', settings, context)).toEqual([]);
    expect(contextWords(context)).toEqual(
      expect.arrayContaining(['ann', 'jordan', 'gymnasium', 'annj', 'riverside', 'fitness']),
    );
  });

  it('a .com or .org address forbids its name and domain name, never the top-level parts', () => {
    const com = { name: 'Sam Lee', email: 'sam.lee@example.com' };
    const org = { email: 'coach@riverclub.org' };
    for (const password of ['welcome-to-the-club', 'compass-rose-garden', 'organic-tea-leaves'])
      for (const details of [com, org]) expect(checkPasswordRules(password, settings, details)).toEqual([]);
    expect(contextWords(com)).not.toContain('com');
    expect(contextWords(org)).not.toContain('org');
    expect(checkPasswordRules('example-harbor-quartz', settings, com)).toEqual(['no_personal_info']);
    expect(checkPasswordRules('my-riverclub-secret', settings, org)).toEqual(['no_personal_info']);
  });

  it('lists every failed rule at once', () => {
    expect(checkPasswordRules('xjordanx', settings, context).sort()).toEqual([
      'min_length',
      'no_personal_info',
    ]);
    // 'jordan' is also on the common list: all three reasons come back together.
    expect(checkPasswordRules('jordan', settings, context).sort()).toEqual([
      'min_length',
      'no_personal_info',
      'not_common',
    ]);
  });

  it('refuses any of the last 5 passwords, matching across normalisation forms', async () => {
    const hasher = createPasswordHasher({ memoryCost: 1024, timeCost: 1, parallelism: 1 });
    const history = await Promise.all(
      ['crimson-falcon-river-1', 'Cafe\u0301-latte-morning-2'].map((p) => hasher.hash(p)),
    );
    expect(await evaluatePassword('crimson-falcon-river-1', settings, {}, history, hasher)).toEqual([
      'not_recent',
    ]);
    // Composed é against the decomposed e + U+0301 that was stored: the same password.
    expect(await evaluatePassword('Caf\u00e9-latte-morning-2', settings, {}, history, hasher)).toEqual([
      'not_recent',
    ]);
    expect(await evaluatePassword('a-brand-new-phrase-3', settings, {}, history, hasher)).toEqual([]);
    const six = await Promise.all(
      ['p-one-xxxxxx', 'p-two-xxxxxx', 'p-three-xxxx', 'p-four-xxxxx', 'p-five-xxxxx', 'p-six-xxxxxx'].map(
        (p) => hasher.hash(p),
      ),
    );
    expect(await evaluatePassword('p-six-xxxxxx', settings, {}, six, hasher)).toEqual([]);
  });

  it('describes the same rules it applies, for the elements', () => {
    expect(describePolicy(settings)).toEqual({
      minLength: 12,
      maxLength: 128,
      historySize: 5,
      rules: [
        { id: 'min_length', value: 12 },
        { id: 'max_length', value: 128 },
        { id: 'not_common' },
        { id: 'no_personal_info' },
        { id: 'not_recent', value: 5 },
      ],
    });
  });
});
