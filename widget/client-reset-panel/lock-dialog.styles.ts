/**
 * Styles of the lock dialog (`lock-dialog.ts`), which renders in the panel's shadow root: they
 * travel with the dialog's file (loaded once a client is shown) and are added to that root when
 * the dialog connects, so the panel's first load does not carry them. The panel's own rules
 * (fields, buttons, colours) apply inside the dialog as well.
 */
import { css } from 'lit';

export const lockStyles = css`
  fieldset {
    display: grid;
    gap: 0.4rem;
    border: 1px solid var(--reset-border-light, light-dark(#e5e7eb, #374151));
    border-radius: var(--reset-radius, 6px);
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
  .end {
    justify-content: flex-end;
  }
  dialog[open] {
    display: grid;
    gap: 0.8rem;
  }
  dialog {
    color: inherit;
    background: var(--reset-dialog-bg, light-dark(#fff, #111827));
    border: 0;
    border-radius: var(--reset-radius, 10px);
    padding: 1.25rem;
    width: min(32rem, calc(100vw - 2rem));
    max-height: calc(100dvh - 2rem);
    box-sizing: border-box;
    overflow: auto;
    box-shadow: 0 10px 40px #0004;
  }
  dialog::backdrop {
    background: var(--reset-backdrop, #0f172a8c);
  }
  .shown {
    display: block;
    padding: 0.8rem 1rem;
    font-size: 1.4rem;
    letter-spacing: 0.05em;
    overflow-wrap: anywhere;
    background: var(--reset-code-bg, light-dark(#f3f4f6, #1f2937));
    user-select: all;
  }
`;
