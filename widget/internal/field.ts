/**
 * A labelled input, as a function of one options object: for the elements that ask for text
 * (the member forms, the panel's lock dialog). Its own module, so a panel that only shows a
 * client's status loads none of it.
 */
import { html, nothing, type TemplateResult } from 'lit';
import { onValue } from './templates.js';

/** What a labelled input shows and calls back. */
export interface FieldView {
  /** The input's id (unique in its root). */
  id: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: string;
  /** `name`, and `autocomplete` unless that is given too. */
  name?: string;
  autocomplete?: string;
  /** Required unless false (or hidden). */
  required?: boolean;
  /** Known already and only there for the password manager: visually hidden, read-only, out of the tab order. */
  hidden?: boolean;
  describedBy?: string;
  invalid?: boolean;
  /** An error shown under the input, which the input is then described by. */
  error?: string;
  /** Shown under the input (a hint). */
  after?: unknown;
}

export function field(o: FieldView): TemplateResult {
  const errorId = `${o.id}-error`;
  const describedBy = [o.describedBy, o.error && errorId].filter(Boolean).join(' ');
  return html`<div class="field ${o.hidden ? 'hidden-field' : ''}">
    <label for=${o.id}>${o.label}</label>
    <input
      id=${o.id}
      type=${o.type ?? 'text'}
      name=${o.name ?? nothing}
      autocomplete=${o.autocomplete ?? o.name ?? nothing}
      ?required=${o.required ?? !o.hidden}
      ?readonly=${o.hidden}
      tabindex=${o.hidden ? -1 : nothing}
      aria-describedby=${describedBy || nothing}
      aria-invalid=${o.error ? 'true' : (o.invalid ?? nothing)}
      .value=${o.value}
      @input=${onValue(o.onInput)}
    />
    ${o.error ? html`<p class="field-error" id=${errorId}>${o.error}</p>` : nothing} ${o.after ?? nothing}
  </div>`;
}
