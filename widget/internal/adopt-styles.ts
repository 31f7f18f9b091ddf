/**
 * Adds stylesheets to the document or shadow root an element renders into, for elements without
 * a shadow root of their own (the member forms, the panel's lock dialog).
 */
import type { CSSResult } from 'lit';

export function adoptStyles(root: Node, ...styles: Array<CSSResult | undefined>): void {
  if (!(root instanceof Document || root instanceof ShadowRoot)) return;
  const current = root.adoptedStyleSheets;
  // Lit builds each `css` result's sheet once; every root adopting it shares that one object.
  const missing = styles
    .map((style) => style?.styleSheet)
    .filter((sheet): sheet is CSSStyleSheet => !!sheet && !current.includes(sheet));
  if (missing.length) root.adoptedStyleSheets = [...current, ...missing];
}
