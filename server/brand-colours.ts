/**
 * A tenant's brand colours as the hosted pages and the mails use them: only a plain hex colour
 * from the store reaches CSS, with text that reads on it and a link colour legible on white.
 */
import type { TenantBrand } from './domain.js';

const HEX_COLOUR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * A colour from the store, used in CSS only when it is plainly a hex colour: the API takes more
 * forms (with alpha) than a mail client or a style attribute can be trusted with.
 */
export function safeColour(value: string | undefined): string | null {
  return value && HEX_COLOUR.test(value) ? value : null;
}

/** WCAG relative luminance of a hex colour. */
function luminance(hex: string): number {
  const digits =
    hex.length === 4 ? [...hex.slice(1)].map((d) => d + d) : [1, 3, 5].map((i) => hex.slice(i, i + 2));
  const [r, g, b] = digits.map((pair) => {
    const channel = parseInt(pair, 16) / 255;
    return channel <= 0.04045 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Dark or light text, whichever reads better on `hex`. */
export function textOn(hex: string): string {
  const l = luminance(hex);
  // Contrast with white vs. with near-black (#111 ≈ 0.0056): take the higher.
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0556 ? '#ffffff' : '#111111';
}

/** WCAG contrast of `hex` against white. */
const contrastOnWhite = (hex: string): number => 1.05 / (luminance(hex) + 0.05);

export interface BrandColours {
  /** Buttons and the page's header: the brand's primary colour. */
  accent: string;
  /** Text on `accent`. */
  accentText: string;
  /** Links on white: the first brand colour legible there. */
  link: string;
}

/** The colours for `brand`, or each caller's own defaults where the brand gives none it can use. */
export function brandColours(
  brand: TenantBrand | undefined,
  defaults: { accent: string; link: string },
): BrandColours {
  const accent = safeColour(brand?.primaryColor) ?? defaults.accent;
  // A light brand colour would be unreadable as a link on white, so it is used only when legible.
  const link =
    [safeColour(brand?.accentColor), accent].find((c) => c && contrastOnWhite(c) >= 4.5) ?? defaults.link;
  return { accent, accentText: textOn(accent), link };
}
