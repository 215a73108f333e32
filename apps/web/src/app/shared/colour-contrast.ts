/** WCAG 2 contrast arithmetic, for deriving readable colours from the ones a server's roles and theme choose. */

export type Rgb = readonly [number, number, number];

/** WCAG AA for normal text. */
export const AA_TEXT = 4.5;

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
const RGB_FUNCTION = /^rgba?\(\s*(\d+)[,\s]+(\d+)[,\s]+(\d+)/i;

/** `#rgb`, `#rrggbb` or the `rgb(r, g, b)` a computed style answers; null for anything else. */
export function parseColour(value: string): Rgb | null {
  const text = value.trim();
  if (HEX.test(text)) {
    const digits = text.length === 4 ? text.slice(1).replace(/./g, (d) => d + d) : text.slice(1);
    return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16)) as unknown as Rgb;
  }
  const match = RGB_FUNCTION.exec(text);
  if (!match) return null;
  const channels = [match[1], match[2], match[3]].map(Number);
  return channels.every((c) => c <= 255) ? (channels as unknown as Rgb) : null;
}

export function toHex(rgb: Rgb): string {
  return '#' + rgb.map((c) => Math.round(c).toString(16).padStart(2, '0')).join('');
}

function linear(channel: number): number {
  const v = channel / 255;
  return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
}

export function relativeLuminance([r, g, b]: Rgb): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function toHsl([r, g, b]: Rgb): [number, number, number] {
  const [rn, gn, bn] = [r / 255, g / 255, b / 255];
  const max = Math.max(rn, gn, bn);
  const min = Math.min(rn, gn, bn);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l * 100];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h =
    max === rn ? (gn - bn) / d + (gn < bn ? 6 : 0) : max === gn ? (bn - rn) / d + 2 : (rn - gn) / d + 4;
  return [h * 60, s * 100, l * 100];
}

/** HSL (degrees, percent, percent) to RGB. */
export function fromHsl(h: number, s: number, l: number): Rgb {
  const sn = s / 100;
  const ln = l / 100;
  const k = (n: number) => (n + h / 30) % 12;
  const a = sn * Math.min(ln, 1 - ln);
  const f = (n: number) => ln - a * Math.max(-1, Math.min(k(n) - 3, Math.min(9 - k(n), 1)));
  return [f(0) * 255, f(8) * 255, f(4) * 255].map(Math.round) as unknown as Rgb;
}

function worstContrast(colour: Rgb, backgrounds: readonly Rgb[]): number {
  return Math.min(...backgrounds.map((b) => contrastRatio(colour, b)));
}

/**
 * The colour itself when it reads at `minimum` on every background, else the nearest colour of the
 * same hue and saturation that does: lighter on dark backgrounds, darker on light ones. A role keeps
 * its recognisable hue in both themes; only its lightness moves.
 */
export function readableOn(colour: Rgb, backgrounds: readonly Rgb[], minimum = AA_TEXT): Rgb {
  if (backgrounds.length === 0 || worstContrast(colour, backgrounds) >= minimum) return colour;
  const meanLuminance = backgrounds.reduce((sum, b) => sum + relativeLuminance(b), 0) / backgrounds.length;
  const step = meanLuminance < 0.18 ? 1 : -1;
  const [h, s, l] = toHsl(colour);
  let best = colour;
  let bestContrast = worstContrast(colour, backgrounds);
  for (let lightness = l + step; lightness >= 0 && lightness <= 100; lightness += step) {
    const candidate = fromHsl(h, s, lightness);
    const contrast = worstContrast(candidate, backgrounds);
    if (contrast >= minimum) return candidate;
    if (contrast > bestContrast) [best, bestContrast] = [candidate, contrast];
  }
  return best;
}

/** The same for a fill under white text (buttons, badges): darkened until white reads on it. */
export function fillUnderWhite(colour: Rgb, minimum = AA_TEXT): Rgb {
  return readableOn(colour, [[255, 255, 255]], minimum);
}
