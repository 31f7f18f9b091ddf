/**
 * The elements that set a password (the member forms and the panel's lock dialog): the new
 * password and its confirmation, the show/hide toggle, the live checklist of the server's rules,
 * and the local refusal of a password the page can already see failing. The panel itself sets
 * none, so its first load carries none of this.
 */
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { errorText } from './messages.js';
import { ruleStates, type RuleInputs } from './password-fields.js';
import { ResetElement } from './reset-element.js';
import { field } from './field.js';
import { check } from './templates.js';

export abstract class PasswordElement<M extends object> extends ResetElement<M> {
  static override properties: PropertyDeclarations = {
    password: { state: true },
    confirm: { state: true },
    reveal: { state: true },
  };

  /** The new password, its confirmation, and whether they are shown in clear. */
  declare protected password: string;
  declare protected confirm: string;
  declare protected reveal: boolean;

  constructor() {
    super();
    this.password = this.confirm = '';
    this.reveal = false;
  }

  /** The server's password rules and the words a new password must not contain. */
  protected abstract ruleInputs(): Pick<RuleInputs, 'policy' | 'context'>;

  /**
   * Refuses a password the page can already see failing, the way the server would: rules marked,
   * message shown, focus on the password. True when it did.
   */
  protected refusedLocally(): boolean {
    const unmet = ruleStates({
      ...this.ruleInputs(),
      password: this.password,
      confirm: this.confirm,
      failed: [],
    })
      .filter(([, , state]) => state === 'unmet')
      .map(([rule]) => rule);
    if (!unmet.length) return false;
    this.failed = unmet;
    this.errorCode = 'password_rejected';
    this.error = errorText(this.m, 'password_rejected');
    this.focusLater(`#${this.uid}-pw`);
    return true;
  }

  /** `off` where the password is someone else's (staff typing a client's), so no manager saves it. */
  protected readonly newPasswordAutocomplete: string = 'new-password';

  /** What the checklist says before its rules. */
  protected rulesTitle(): string {
    return this.m.rulesTitle;
  }

  /** A rule of the checklist in words (`n`: its number, e.g. the minimum length). */
  protected ruleText(rule: string, n: number): string {
    return this.m.rules[rule](n);
  }

  /**
   * The new password and its confirmation, the show/hide toggle and the live checklist of the
   * server's rules.
   */
  protected passwordFields(): TemplateResult {
    const m = this.m;
    const id = this.uid;
    const type = this.reveal ? 'text' : 'password';
    const states = ruleStates({
      ...this.ruleInputs(),
      password: this.password,
      confirm: this.confirm,
      failed: this.failed,
    });
    const stateText = { met: m.ruleMet, unmet: m.ruleUnmet, pending: m.ruleChecked };
    const described = [`${id}-rules`, this.error && this.errorId];
    return html`
      ${field({
        id: `${id}-pw`,
        label: m.newPassword,
        value: this.password,
        onInput: (value) => {
          this.password = value;
          this.failed = [];
        },
        type,
        name: 'new-password',
        autocomplete: this.newPasswordAutocomplete,
        describedBy: described.filter(Boolean).join(' '),
        invalid: this.failed.length > 0,
      })}
      ${field({
        id: `${id}-pw2`,
        label: m.confirmPassword,
        value: this.confirm,
        onInput: (value) => (this.confirm = value),
        type,
        name: 'confirm-password',
        autocomplete: this.newPasswordAutocomplete,
        describedBy: `${id}-rules`,
      })}
      ${check({ id: `${id}-reveal`, label: m.showPassword, checked: this.reveal, onChange: (on) => (this.reveal = on) })}
      <div class="rules" id="${id}-rules">
        ${
          states.length
            ? html`<p>${this.rulesTitle()}</p>
                <ul>
                  ${states.map(
                    ([rule, n, state]) =>
                      html`<li data-rule=${rule} data-state=${state}>
                        ${this.ruleText(rule, n)}<span class="sr"> (${stateText[state]})</span>
                      </li>`,
                  )}
                </ul>`
            : nothing
        }
      </div>
    `;
  }
}
