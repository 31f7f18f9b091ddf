/**
 * The live checklist of the server's password rules (rendered by `ResetElement.passwordFields`).
 * Length is counted in code points after NFKC, as the server does; commonness and history can only
 * be checked by the server, when saving.
 */
import { contextWords, holdsContextWord } from '../../server/policy/context-words.js';
import type { Policy } from './api.js';

export type RuleState = 'met' | 'unmet' | 'pending';

/** What the checklist is computed from. */
export interface RuleInputs {
  policy: Policy | null;
  password: string;
  confirm: string;
  /** Rules the server reported as failed for the last submitted password. */
  failed: string[];
  /** Words the password must not contain (name, email parts, username), lower case. */
  context: string[];
}

const codePoints = (value: string) => [...value.normalize('NFKC')].length;

export function ruleStates(o: RuleInputs): Array<[string, number, RuleState]> {
  const p = o.policy;
  if (!p) return [];
  const length = codePoints(o.password);
  const live = (ok: boolean): RuleState => (o.password ? (ok ? 'met' : 'unmet') : 'pending');
  const server = (id: string): RuleState => (o.failed.includes(id) ? 'unmet' : 'pending');
  const personal = holdsContextWord(o.password, o.context);
  return [
    ['min_length', p.minLength, live(length >= p.minLength)],
    ['max_length', p.maxLength, live(length <= p.maxLength)],
    ['not_common', 0, server('not_common')],
    [
      'no_personal_info',
      0,
      o.failed.includes('no_personal_info') || personal
        ? 'unmet'
        : o.context.length && o.password
          ? 'met'
          : 'pending',
    ],
    ['not_recent', p.historySize, server('not_recent')],
    [
      'match',
      0,
      o.confirm || o.password ? (o.password === o.confirm && o.password ? 'met' : 'unmet') : 'pending',
    ],
  ];
}

/**
 * The words a password for this person must not contain, by the server's own definition. A login
 * holding an `@` is an email address; anything else is a username.
 */
export function personalWords(o: {
  name?: string | null;
  email?: string | null;
  login?: string | null;
  username?: string | null;
}): string[] {
  const login = o.login ?? '';
  return contextWords({
    name: o.name,
    email: o.email ?? (login.includes('@') ? login : null),
    username: o.username ?? (login.includes('@') ? null : login),
  });
}
