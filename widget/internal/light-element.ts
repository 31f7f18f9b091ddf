/** The base of the member elements (`<forgot-password-form>`, `<force-reset-dialog>`). */
import type { TemplateResult } from 'lit';
import type { CSSResult, PropertyDeclarations } from 'lit';
import { policy, type Policy } from './api.js';
import { adoptMemberStyles } from './member-styles.js';
import { PasswordElement } from './password-element.js';
import { field } from './field.js';

/**
 * Member elements render into the light DOM, so password managers see a real form. Their styles
 * are adopted once by the document or shadow root the element lives in.
 */
export abstract class LightResetElement<M extends object> extends PasswordElement<M> {
  static override properties: PropertyDeclarations = {
    identifier: { state: true },
    rules: { state: true },
  };

  /** The member's username or email. */
  declare protected identifier: string;
  /** The server's password rules, once fetched. */
  declare protected rules: Policy | null;

  constructor() {
    super();
    this.identifier = '';
    this.rules = null;
  }

  /** CSS only this element needs, adopted beside the shared member stylesheet. */
  protected readonly extraCss?: CSSResult;

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    adoptMemberStyles(this.getRootNode(), this.extraCss);
  }

  /** Fetches the server's password rules for the tenant (none when they cannot be fetched). */
  protected async loadRules(tenant: string): Promise<void> {
    this.rules = await policy(this.base, tenant).catch(() => null);
  }

  /** The login field; `hidden` when it is known and only there for the password manager. */
  protected identifierField(o: { hidden?: boolean; required?: boolean } = {}): TemplateResult {
    return field({
      id: `${this.uid}-id`,
      label: this.m.identifier,
      value: this.identifier,
      onInput: (value) => (this.identifier = value),
      name: 'username',
      hidden: o.hidden,
      required: o.required ?? !o.hidden,
    });
  }
}
