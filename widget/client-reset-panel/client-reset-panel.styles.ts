/**
 * Styles of `<client-reset-panel>` (shadow DOM): every colour through a `--reset-*` custom
 * property. Defaults are `light-dark()` pairs, so a page that declares `color-scheme: light dark`
 * gets the dark ones when its user prefers dark; a page's own `--reset-*` values win in both.
 * The panel lays itself out by its own width (a container), so it fits a 320 px phone as well as
 * a wide admin page.
 */
import { css } from 'lit';

export const panelStyles = css`
  :host {
    display: block;
    container-type: inline-size;
    font: var(--reset-font, inherit);
    color: var(--reset-text, inherit);
  }
  [part~='base'],
  form,
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
    border-bottom: 1px solid var(--reset-border-light, light-dark(#e5e7eb, #374151));
  }
  input:not([type='checkbox'], [type='radio']),
  button {
    font: inherit;
    min-width: 0;
    padding: 0.45rem 0.7rem;
    border: 1px solid var(--reset-border, light-dark(#767676, #9ca3af));
    border-radius: var(--reset-radius, 6px);
    color: inherit;
    background: var(--reset-input-bg, light-dark(#fff, #111827));
  }
  button {
    background: var(--reset-button-bg, light-dark(#fff, #1f2937));
    cursor: pointer;
  }
  .primary {
    background: var(--reset-accent, light-dark(#1d4ed8, #60a5fa));
    border-color: var(--reset-accent, light-dark(#1d4ed8, #60a5fa));
    color: var(--reset-accent-text, light-dark(#fff, #0b1220));
  }
  .link {
    border: 0;
    background: none;
    padding: 0;
    color: var(--reset-link, light-dark(#1d4ed8, #93c5fd));
    text-decoration: underline;
    text-align: left;
  }
  .icon-button {
    display: inline-grid;
    place-items: center;
    padding: 0.4rem;
  }
  .icon {
    width: 1.15em;
    height: 1.15em;
    vertical-align: -0.2em;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
  }
  [disabled] {
    opacity: 0.55;
    cursor: not-allowed;
  }
  :focus-visible {
    outline: 3px solid var(--reset-focus, light-dark(#2563eb, #93c5fd));
    outline-offset: 2px;
  }
  [part~='badge'] {
    display: inline-block;
    margin: 0 0.25rem 0.25rem 0;
    padding: 0.1rem 0.5rem;
    border-radius: 1rem;
    font-size: 0.8rem;
    background: var(--reset-badge-bg, light-dark(#e5e7eb, #374151));
    color: var(--reset-badge-text, light-dark(#111827, #f3f4f6));
  }
  [data-tone='ok'] {
    background: var(--reset-ok-bg, light-dark(#d1fae5, #064e3b));
    color: var(--reset-ok-text, light-dark(#065f46, #d1fae5));
  }
  [data-tone='info'] {
    background: var(--reset-info-bg, light-dark(#dbeafe, #1e3a8a));
    color: var(--reset-info-text, light-dark(#1e3a8a, #dbeafe));
  }
  [data-tone='warn'] {
    background: var(--reset-warn-bg, light-dark(#fef3c7, #78350f));
    color: var(--reset-warn-text, light-dark(#78350f, #fef3c7));
  }
  [data-tone='off'] {
    background: var(--reset-off-bg, light-dark(#fee2e2, #7f1d1d));
    color: var(--reset-off-text, light-dark(#7f1d1d, #fee2e2));
  }
  /* A checkbox keeps its label beside it, however long the label; a row of actions wraps. */
  .row,
  .check {
    display: flex;
    gap: 0.5rem;
    align-items: center;
  }
  .row {
    flex-wrap: wrap;
  }
  .muted,
  .reason,
  .rules {
    color: var(--reset-muted, light-dark(#4b5563, #9ca3af));
    font-size: 0.9em;
  }
  [role='alert'],
  .field-error,
  [data-state='unmet'] {
    color: var(--reset-error, light-dark(#b91c1c, #fca5a5));
  }
  .status,
  [data-state='met'] {
    color: var(--reset-ok, light-dark(#047857, #6ee7b7));
  }
  [role='alert'],
  .field-error,
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
  dd {
    overflow-wrap: anywhere;
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  ol {
    padding-left: 1.2rem;
  }
  /* Narrow: each client a card of labelled lines, the lock at its end. */
  @container (max-width: 36rem) {
    thead {
      display: none;
    }
    tr,
    td {
      display: block;
    }
    td {
      border: 0;
      padding: 0.15rem 0;
    }
    td:empty {
      display: none;
    }
    tr {
      padding: 0.6rem 0;
      border-bottom: 1px solid var(--reset-border-light, light-dark(#e5e7eb, #374151));
    }
    td[data-label]::before {
      content: attr(data-label) ': ';
      color: var(--reset-muted, light-dark(#4b5563, #9ca3af));
    }
    /* French sets a space before the colon. */
    :host(:lang(fr)) td[data-label]::before {
      content: attr(data-label) ' : ';
    }
  }
`;
