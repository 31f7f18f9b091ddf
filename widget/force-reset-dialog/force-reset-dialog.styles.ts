/** The dialog's own rules, on top of the shared member stylesheet (the form does not need them). */
import { css } from 'lit';

export const dialogCss = css`
  force-reset-dialog dialog[open] {
    display: grid;
    gap: 0.9rem;
  }
  force-reset-dialog dialog {
    /* The browser's own dialog colour would win over the element's --reset-text. */
    color: inherit;
    background: var(--reset-dialog-bg, light-dark(#fff, #111827));
    border: 0;
    border-radius: var(--reset-radius, 10px);
    padding: 1.5rem;
    max-width: min(30rem, 92vw);
    box-shadow: 0 10px 40px #0004;
  }
  force-reset-dialog dialog::backdrop {
    background: var(--reset-backdrop, #0f172a8c);
  }
`;
