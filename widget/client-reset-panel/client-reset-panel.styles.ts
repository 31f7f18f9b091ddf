/** Styles of `<client-reset-panel>` (shadow DOM): every colour through a `--reset-*` custom property. */
import { css } from '../internal/base-element.js';

export const panelStyles = css`
  :host {
    display: block;
    font: var(--reset-font, inherit);
    color: var(--reset-text, inherit);
  }
  [part~='base'],
  dialog form,
  fieldset,
  .field {
    display: grid;
    gap: 0.8rem;
  }
  h2,
  h3,
  p,
  dl,
  dd,
  ol {
    margin: 0;
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1rem;
  }
  table {
    width: 100%;
    border-collapse: collapse;
  }
  th,
  td {
    text-align: left;
    padding: 0.5rem;
    border-bottom: 1px solid var(--reset-border-light, #e5e7eb);
  }
  input:not([type='checkbox'], [type='radio']),
  button {
    font: inherit;
    padding: 0.45rem 0.7rem;
    border: 1px solid var(--reset-border, #767676);
    border-radius: var(--reset-radius, 6px);
    color: inherit;
  }
  button {
    background: var(--reset-button-bg, #fff);
    cursor: pointer;
  }
  .primary {
    background: var(--reset-accent, #1d4ed8);
    border-color: var(--reset-accent, #1d4ed8);
    color: var(--reset-accent-text, #fff);
  }
  .link {
    border: 0;
    background: none;
    padding: 0;
    color: var(--reset-link, #1d4ed8);
    text-decoration: underline;
  }
  [disabled] {
    opacity: 0.55;
    cursor: not-allowed;
  }
  :focus-visible {
    outline: 3px solid var(--reset-focus, #2563eb);
    outline-offset: 2px;
  }
  [part~='badge'] {
    display: inline-block;
    margin: 0 0.25rem 0.25rem 0;
    padding: 0.1rem 0.5rem;
    border-radius: 1rem;
    font-size: 0.8rem;
    background: var(--reset-badge-bg, #e5e7eb);
    color: var(--reset-badge-text, #111827);
  }
  [data-tone='warn'] {
    background: var(--reset-warn-bg, #fef3c7);
    color: var(--reset-warn-text, #78350f);
  }
  [data-tone='off'] {
    background: var(--reset-off-bg, #fee2e2);
    color: var(--reset-off-text, #7f1d1d);
  }
  .row,
  .check {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .muted,
  .reason,
  .rules {
    color: var(--reset-muted, #4b5563);
    font-size: 0.9em;
  }
  [role='alert'],
  [data-state='unmet'] {
    color: var(--reset-error, #b91c1c);
  }
  .status,
  [data-state='met'] {
    color: var(--reset-ok, #047857);
  }
  [role='alert'],
  .status,
  .primary,
  dt,
  [part~='badge'] {
    font-weight: 600;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.3rem 1rem;
  }
  fieldset {
    border: 1px solid var(--reset-border-light, #e5e7eb);
    border-radius: var(--reset-radius, 6px);
    gap: 0.4rem;
  }
  ul {
    margin: 0.2rem 0 0;
    padding: 0;
    list-style: none;
  }
  [data-state]::before {
    content: '○ ';
  }
  [data-state='met']::before {
    content: '✓ ';
  }
  [data-state='unmet']::before {
    content: '✗ ';
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  dialog {
    border: 0;
    border-radius: var(--reset-radius, 10px);
    padding: 1.25rem;
    width: min(32rem, 92vw);
    box-shadow: 0 10px 40px #0004;
  }
  dialog::backdrop {
    background: var(--reset-backdrop, #0f172a8c);
  }
  code {
    font-size: 1.2rem;
    padding: 0.4rem 0.6rem;
    background: var(--reset-code-bg, #f3f4f6);
    user-select: all;
  }
  ol {
    padding-left: 1.2rem;
  }
`;
