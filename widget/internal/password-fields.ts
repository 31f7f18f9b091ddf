/**
 * The new-password fields every form shares: password and confirmation, a show/hide toggle, and the
 * live checklist of the server's rules. Length is counted in code points after NFKC, as the
 * server does; commonness and history can only be checked by the server, when saving.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Policy } from './api.js';
import type { CommonMessages } from './messages.js';

export type RuleState = 'met' | 'unmet' | 'pending';

export interface PasswordFieldsOptions {
  uid: string;
  m: CommonMessages;
  policy: Policy | null;
  password: string;
  confirm: string;
  reveal: boolean;
  /** Rules the server reported as failed for the last submitted password. */
  failed: string[];
  /** Words the password must not contain (name, email parts, username), lower case. */
  context: string[];
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  onReveal: () => void;
  /** A hint under the field, e.g. "leave empty to keep the current password". */
  hint?: string;
  required?: boolean;
  /** `new-password` for members; `off` for staff typing a client's password. */
  autocomplete?: string;
  /** Id of the element's alert, named by the field while an error is shown. */
  errorId?: string;
}

const codePoints = (value: string) => [...value.normalize('NFKC')].length;

export function ruleStates(
  o: Pick<PasswordFieldsOptions, 'policy' | 'password' | 'confirm' | 'failed' | 'context'>,
): Array<[string, number, RuleState]> {
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

/** The rules the page can already see failing, as the server would name them. */
export function unmetRules(
  o: Pick<PasswordFieldsOptions, 'policy' | 'password' | 'confirm' | 'failed' | 'context'>,
): string[] {
  return ruleStates({ ...o, failed: [] })
    .filter(([, , s]) => s === 'unmet')
    .map(([rule]) => rule);
}

/** True when nothing the page can check is failing (the server checks the rest). */
export function passwordReady(
  o: Pick<PasswordFieldsOptions, 'policy' | 'password' | 'confirm' | 'failed' | 'context'>,
): boolean {
  return ruleStates({ ...o, failed: [] }).every(([, , s]) => s !== 'unmet');
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

export function passwordFields(o: PasswordFieldsOptions): TemplateResult {
  const id = o.uid;
  const type = o.reveal ? 'text' : 'password';
  const states = ruleStates(o);
  const stateText = { met: o.m.ruleMet, unmet: o.m.ruleUnmet, pending: o.m.ruleChecked };
  return html`
    <div class="field">
      <label for="${id}-pw">${o.m.newPassword}</label>
      <input
        id="${id}-pw"
        name="new-password"
        type=${type}
        autocomplete=${o.autocomplete ?? 'new-password'}
        ?required=${o.required ?? true}
        .value=${o.password}
        aria-describedby="${id}-rules${o.hint ? ` ${id}-hint` : ''}${o.errorId ? ` ${o.errorId}` : ''}"
        aria-invalid=${o.failed.length > 0 ? 'true' : 'false'}
        @input=${(e: Event) => o.onPassword((e.target as HTMLInputElement).value)}
      />
      ${o.hint ? html`<p class="hint" id="${id}-hint">${o.hint}</p>` : nothing}
    </div>
    <div class="field">
      <label for="${id}-pw2">${o.m.confirmPassword}</label>
      <input
        id="${id}-pw2"
        name="confirm-password"
        type=${type}
        autocomplete=${o.autocomplete ?? 'new-password'}
        ?required=${(o.required ?? true) || o.password !== ''}
        .value=${o.confirm}
        aria-describedby="${id}-rules"
        @input=${(e: Event) => o.onConfirm((e.target as HTMLInputElement).value)}
      />
    </div>
    <div class="field check">
      <input id="${id}-reveal" type="checkbox" .checked=${o.reveal} @change=${o.onReveal} />
      <label for="${id}-reveal">${o.m.showPassword}</label>
    </div>
    ${
      states.length
        ? html`<div class="rules" id="${id}-rules">
            <p>${o.m.rulesTitle}</p>
            <ul>
              ${states.map(
                ([rule, n, s]) =>
                  html`<li data-rule=${rule} data-state=${s}>
                    ${o.m.rules[rule](n)}<span class="sr"> (${stateText[s]})</span>
                  </li>`,
              )}
            </ul>
          </div>`
        : html`<div id="${id}-rules"></div>`
    }
  `;
}
