/**
 * Inline SVG icons: they draw the same on every system (an emoji needs a font that has it) and
 * take the text colour (size and stroke come from the `.icon` rule of the element's styles). Decorative: the button around them carries the accessible name.
 */
import { svg, type TemplateResult } from 'lit';

const icon = (paths: TemplateResult): TemplateResult =>
  svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true">${paths}</svg>`;

/** A padlock: the lock (reset password) action. */
export const lockIcon = (): TemplateResult =>
  icon(svg`<rect x="4" y="11" width="16" height="10" rx="2"/><path d="M8 11V7a4 4 0 0 1 8 0v4"/>`);
