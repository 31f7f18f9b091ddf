/**
 * The live checklist of the server's password rules (rendered by `ResetElement.passwordFields`).
 * Length is counted in code points after NFKC, as the server does; commonness and history can only
 * be checked by the server, when saving.
 */
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
  const lower = o.password.normalize('NFKC').toLowerCase();
  const live = (ok: boolean): RuleState => (o.password ? (ok ? 'met' : 'unmet') : 'pending');
  const server = (id: string): RuleState => (o.failed.includes(id) ? 'unmet' : 'pending');
  const personal = o.context.some((word) => word.length >= 3 && lower.includes(word));
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

/** Words of a name, email and username that a password must not contain. */
export function contextWords(...values: Array<string | null | undefined>): string[] {
  const words = new Set<string>();
  for (const value of values) {
    for (const part of (value ?? '').toLowerCase().split(/[\s._\-+@'’]+/u))
      if (part.length >= 3) words.add(part);
  }
  return [...words];
}
