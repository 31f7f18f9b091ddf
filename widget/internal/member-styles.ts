/**
 * Styles of the member elements, which render in the light DOM: every rule is nested under the tag
 * name, so the page's own styles stay untouched; theming goes through `--reset-*` properties,
 * whose defaults are `light-dark()` pairs (dark on a page that declares `color-scheme: light dark`
 * when its user prefers dark). There is no shadow root to give `static styles` to: the sheet is
 * adopted by the document or shadow root the element lives in.
 */
import { css, type CSSResult } from 'lit';
import { adoptStyles } from './adopt-styles.js';

const memberCss = css`
  forgot-password-form,
  force-reset-dialog {
    display: block;
    font: var(--reset-font, inherit);
    color: var(--reset-text, inherit);
    max-width: var(--reset-max-width, 28rem);
    & :is(form, .panel, .field) {
      display: grid;
      gap: 0.9rem;
    }
    & .field {
      gap: 0.3rem;
    }
    & .check {
      display: flex;
      align-items: center;
      gap: 0.5rem;
    }
    & :is(h2, p) {
      margin: 0;
    }
    & h2 {
      font-size: 1.25rem;
    }
    & label,
    & button {
      font-weight: 600;
    }
    /* Two selectors, not :is(): its specificity would come from the input's and outrank the button rule. */
    & input:not([type='checkbox']),
    & button {
      font: inherit;
      padding: 0.55rem 0.7rem;
      border: 1px solid var(--reset-border, light-dark(#767676, #9ca3af));
      border-radius: var(--reset-radius, 6px);
      background: var(--reset-input-bg, light-dark(#fff, #111827));
      color: inherit;
    }
    & button {
      padding: 0.6rem 1rem;
      border-color: var(--reset-accent, light-dark(#1d4ed8, #60a5fa));
      background: var(--reset-accent, light-dark(#1d4ed8, #60a5fa));
      color: var(--reset-accent-text, light-dark(#fff, #0b1220));
      cursor: pointer;
    }
    & a.button {
      justify-self: start;
      padding: 0.6rem 1rem;
      border-radius: var(--reset-radius, 6px);
      background: var(--reset-accent, light-dark(#1d4ed8, #60a5fa));
      color: var(--reset-accent-text, light-dark(#fff, #0b1220));
      font-weight: 600;
      text-decoration: none;
    }
    & .link {
      background: none;
      border: 0;
      color: var(--reset-link, light-dark(#1d4ed8, #93c5fd));
      text-decoration: underline;
      padding: 0;
      justify-self: start;
    }
    & [disabled] {
      opacity: 0.6;
    }
    /* Focus moved to a heading or a message (to read it out) is not something to act on. */
    & [tabindex='-1']:focus {
      outline: none;
    }
    & :focus-visible {
      outline: 3px solid var(--reset-focus, light-dark(#2563eb, #93c5fd));
      outline-offset: 2px;
    }
    & [role='alert'],
    & .field-error,
    & [data-state='unmet'] {
      color: var(--reset-error, light-dark(#b91c1c, #fca5a5));
    }
    & [role='alert'] {
      font-weight: 600;
    }
    & .status {
      padding: 0.7rem 0.9rem;
      border-radius: var(--reset-radius, 6px);
      background: var(--reset-notice-bg, light-dark(#ecfdf5, #064e3b));
      color: var(--reset-notice-text, light-dark(#065f46, #d1fae5));
    }
    & :is(.hint, .rules) {
      font-size: 0.9em;
      color: var(--reset-muted, light-dark(#4b5563, #9ca3af));
    }
    & ul {
      margin: 0.3rem 0 0;
      padding: 0;
      list-style: none;
    }
    & [data-state]::before {
      content: '○ ';
    }
    & [data-state='met'] {
      color: var(--reset-ok, light-dark(#047857, #6ee7b7));
      &::before {
        content: '✓ ';
      }
    }
    & [data-state='unmet']::before {
      content: '✗ ';
    }
    & :is(.sr, .hidden-field) {
      position: absolute;
      width: 1px;
      height: 1px;
      overflow: hidden;
      clip: rect(0 0 0 0);
      white-space: nowrap;
    }
  }
`;

/** Adopts the member stylesheet (and any extra CSS an element needs) into the element's root, once. */
export function adoptMemberStyles(root: Node, extra?: CSSResult): void {
  adoptStyles(root, memberCss, extra);
}
