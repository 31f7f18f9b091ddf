/** Styles of `<client-reset-panel>` (shadow DOM): every colour through a `--reset-*` custom property. */
import { css } from 'lit';

export const panelStyles = css`
  :host {
    display: block;
    font: var(--reset-font, inherit);
    color: var(--reset-text, inherit);
  }
  [part~='base'] {
    display: grid;
    gap: 1rem;
  }
  h2,
  h3 {
    margin: 0;
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1rem;
  }
  p {
    margin: 0;
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
    vertical-align: middle;
  }
  input:not([type='checkbox']):not([type='radio']) {
    font: inherit;
    padding: 0.45rem 0.6rem;
    border: 1px solid var(--reset-border, #767676);
    border-radius: var(--reset-radius, 6px);
  }
  button {
    font: inherit;
    padding: 0.45rem 0.8rem;
    border-radius: var(--reset-radius, 6px);
    border: 1px solid var(--reset-border, #767676);
    background: var(--reset-button-bg, #fff);
    color: inherit;
    cursor: pointer;
  }
  button.primary {
    background: var(--reset-accent, #1d4ed8);
    border-color: var(--reset-accent, #1d4ed8);
    color: var(--reset-accent-text, #fff);
    font-weight: 600;
  }
  button.link {
    border: none;
    background: none;
    padding: 0;
    color: var(--reset-link, #1d4ed8);
    text-decoration: underline;
  }
  button[disabled] {
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
    border-radius: 999px;
    font-size: 0.8rem;
    font-weight: 600;
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
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: center;
  }
  .muted,
  .reason {
    color: var(--reset-muted, #4b5563);
    font-size: 0.9em;
  }
  [role='alert'] {
    color: var(--reset-error, #b91c1c);
    font-weight: 600;
  }
  .status {
    color: var(--reset-ok, #047857);
    font-weight: 600;
  }
  dl {
    display: grid;
    grid-template-columns: max-content 1fr;
    gap: 0.3rem 1rem;
    margin: 0;
  }
  dt {
    font-weight: 600;
  }
  dd {
    margin: 0;
  }
  fieldset {
    border: 1px solid var(--reset-border-light, #e5e7eb);
    border-radius: var(--reset-radius, 6px);
    display: grid;
    gap: 0.4rem;
  }
  .field {
    display: grid;
    gap: 0.25rem;
  }
  .check {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .rules {
    font-size: 0.85em;
    color: var(--reset-muted, #4b5563);
  }
  .rules ul {
    margin: 0.2rem 0 0;
    padding-left: 0;
    list-style: none;
  }
  .rules [data-state='met'] {
    color: var(--reset-ok, #047857);
  }
  .rules [data-state='met']::before {
    content: '✓ ';
  }
  .rules [data-state='unmet'] {
    color: var(--reset-error, #b91c1c);
  }
  .rules [data-state='unmet']::before {
    content: '✗ ';
  }
  .rules [data-state='pending']::before {
    content: '○ ';
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
    border: none;
    border-radius: var(--reset-radius, 10px);
    padding: 1.25rem;
    width: min(32rem, 92vw);
    box-shadow: 0 10px 40px rgb(0 0 0 / 25%);
  }
  dialog::backdrop {
    background: var(--reset-backdrop, rgb(15 23 42 / 55%));
  }
  dialog form {
    display: grid;
    gap: 0.8rem;
  }
  code {
    font-size: 1.2rem;
    padding: 0.4rem 0.6rem;
    background: var(--reset-code-bg, #f3f4f6);
    border-radius: 4px;
    user-select: all;
  }
  ol {
    margin: 0;
    padding-left: 1.2rem;
  }
`;
