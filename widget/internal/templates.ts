/**
 * Template pieces every element uses, as functions of one options object: a labelled checkbox or
 * radio, a status line, the alert region (a labelled input is `field.ts`). They hold no state; the element
 * passes what they show and what to call back.
 */
import { html, nothing, type TemplateResult } from 'lit';

/** An `@input` handler that hands over the input's value. */
export const onValue = (set: (value: string) => void) => (e: Event) =>
  set((e.target as HTMLInputElement).value);

/** A labelled checkbox, or a radio when `radio` names its group. */
export interface CheckView {
  id: string;
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  disabled?: boolean;
  /** What explains why it is disabled (read out only then). */
  describedBy?: string;
  radio?: string;
}

export function check(o: CheckView): TemplateResult {
  return html`<div class="check">
    <input
      id=${o.id}
      type=${o.radio ? 'radio' : 'checkbox'}
      name=${o.radio ?? nothing}
      .checked=${o.checked}
      ?disabled=${o.disabled}
      aria-describedby=${o.disabled && o.describedBy ? o.describedBy : nothing}
      @change=${(e: Event) => o.onChange((e.target as HTMLInputElement).checked)}
    />
    <label for=${o.id}>${o.label}</label>
  </div>`;
}

/** A notice of what just happened; focus goes there. */
export const statusLine = (text: unknown): TemplateResult =>
  html`<p class="status" role="status" tabindex="-1">${text}</p>`;

/** The alert region: where errors are announced (and focus goes) — hidden while there is none. */
export const alertRegion = (id: string, error: string): TemplateResult =>
  html`<p role="alert" id=${id} tabindex="-1" ?hidden=${!error}>${error}</p>`;
