import { TestBed } from '@angular/core/testing';

import { contrastRatio, parseColour, type Rgb } from './colour-contrast';
import { ThemePalette } from './theme-palette';

const rgb = (value: string | null): Rgb => {
  const colour = value === null ? null : parseColour(value);
  if (colour === null) throw new Error(String(value));
  return colour;
};

/** The stylesheet's light scheme, as inline variables (jsdom loads no stylesheet). */
function lightScheme(root: HTMLElement): void {
  for (const [name, value] of Object.entries({
    '--mq-background': '#f2f3f5',
    '--mq-surface': '#ffffff',
    '--mq-surface-2': '#ebedef',
  })) {
    root.style.setProperty(name, value);
  }
}

describe('ThemePalette', () => {
  const root = document.documentElement;
  afterEach(() => root.removeAttribute('style'));

  it('without a stylesheet to measure, returns role colours as they are', () => {
    const palette = TestBed.inject(ThemePalette);
    expect(palette.nameColour('#5fdd9a')).toBe('#5fdd9a');
    expect(palette.nameColour(null)).toBeNull();
  });

  it('makes role colours, per-key hues and the theme readable on the light backgrounds', () => {
    lightScheme(root);
    const palette = TestBed.inject(ThemePalette);
    palette.apply({ accent: '#ffd000', danger: '#ff6b6b', text_muted: '#cccccc' });
    const backgrounds = ['#f2f3f5', '#ffffff', '#ebedef'].map(rgb);
    const reads = (colour: string | null) => backgrounds.every((b) => contrastRatio(rgb(colour), b) >= 4.5);

    expect(reads(palette.nameColour('#5fdd9a'))).toBe(true);
    expect(reads(palette.nameColour('#e67e22'))).toBe(true);
    expect(reads(palette.nameColour(null, 120))).toBe(true);
    expect(reads(root.style.getPropertyValue('--mq-link'))).toBe(true);
    expect(reads(root.style.getPropertyValue('--mq-danger'))).toBe(true);
    expect(reads(root.style.getPropertyValue('--mq-text-muted'))).toBe(true);
    const white = rgb('#ffffff');
    expect(contrastRatio(rgb(root.style.getPropertyValue('--mq-accent')), white)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(rgb(root.style.getPropertyValue('--mq-danger-fill')), white)).toBeGreaterThanOrEqual(
      4.5,
    );
  });

  it('removes a server palette when another is shown', () => {
    lightScheme(root);
    const palette = TestBed.inject(ThemePalette);
    palette.apply({ accent: '#123456', background: '#101010' });
    expect(root.style.getPropertyValue('--mq-background')).toBe('#101010');
    palette.apply(null);
    expect(root.style.getPropertyValue('--mq-background')).toBe('');
    expect(root.style.getPropertyValue('--mq-accent')).toBe('');
  });

  it('ignores theme values that are not colours', () => {
    const palette = TestBed.inject(ThemePalette);
    palette.apply({ accent: 'url(https://evil.example/x)', surface: 'red; display:none' });
    expect(root.style.getPropertyValue('--mq-accent')).toBe('');
    expect(root.style.getPropertyValue('--mq-surface')).toBe('');
  });
});
