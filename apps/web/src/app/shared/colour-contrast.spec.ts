import {
  contrastRatio,
  fillUnderWhite,
  fromHsl,
  parseColour,
  readableOn,
  type Rgb,
  toHex,
} from './colour-contrast';

const rgb = (hex: string): Rgb => {
  const colour = parseColour(hex);
  if (colour === null) throw new Error(hex);
  return colour;
};
const DARK = ['#1e1f22', '#2b2d31', '#313338'].map(rgb);
const LIGHT = ['#f2f3f5', '#ffffff', '#ebedef'].map(rgb);
const worst = (c: Rgb, bgs: readonly Rgb[]) => Math.min(...bgs.map((b) => contrastRatio(c, b)));

describe('colour contrast', () => {
  it('parses hex (long and short) and computed rgb(), and nothing else', () => {
    expect(parseColour('#5865F2')).toEqual([0x58, 0x65, 0xf2]);
    expect(parseColour('#fa0')).toEqual([0xff, 0xaa, 0x00]);
    expect(parseColour(' rgb(30, 31, 34)')).toEqual([30, 31, 34]);
    expect(parseColour('rgba(1, 2, 3, 0.5)')).toEqual([1, 2, 3]);
    for (const bad of ['red', '#12345', 'rgb(300, 0, 0)', '', 'url(x)']) expect(parseColour(bad)).toBeNull();
  });

  it('computes WCAG ratios', () => {
    expect(contrastRatio(rgb('#000000'), rgb('#ffffff'))).toBeCloseTo(21, 5);
    expect(contrastRatio(rgb('#ffffff'), rgb('#ed4245'))).toBeCloseTo(3.84, 2);
    expect(contrastRatio(rgb('#5fdd9a'), rgb('#ebedef'))).toBeCloseTo(1.45, 1);
  });

  it('leaves a colour that already reads alone', () => {
    expect(toHex(readableOn(rgb('#5fdd9a'), DARK))).toBe('#5fdd9a');
  });

  it('darkens on light backgrounds and lightens on dark ones, keeping the hue, until AA', () => {
    for (const [colour, bgs, darker] of [
      ['#5fdd9a', LIGHT, true],
      ['#e67e22', LIGHT, true],
      ['#5865f2', DARK, false],
      ['#ed4245', DARK, false],
      ['#3b0a0a', DARK, false],
    ] as const) {
      const original = rgb(colour);
      const readable = readableOn(original, bgs);
      expect(worst(readable, bgs)).toBeGreaterThanOrEqual(4.5);
      const sum = (c: Rgb) => c[0] + c[1] + c[2];
      expect(sum(readable) < sum(original)).toBe(darker);
      // Still recognisably the same colour: the dominant channel stays dominant.
      expect(readable.indexOf(Math.max(...readable))).toBe(original.indexOf(Math.max(...original)));
    }
  });

  it('gives fills that white text reads on', () => {
    for (const colour of ['#ed4245', '#5865f2', '#ffd000', '#ffffff']) {
      expect(contrastRatio(fillUnderWhite(rgb(colour)), rgb('#ffffff'))).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('converts hsl as CSS does', () => {
    expect(toHex(fromHsl(0, 100, 50))).toBe('#ff0000');
    expect(toHex(fromHsl(120, 100, 25))).toBe('#008000');
    expect(toHex(fromHsl(0, 0, 100))).toBe('#ffffff');
  });
});
