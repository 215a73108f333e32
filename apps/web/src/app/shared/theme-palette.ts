import { DOCUMENT } from '@angular/common';
import { DestroyRef, inject, Injectable, signal } from '@angular/core';

import type { ThemeDto } from '@mpqcht/protocol';

import { fillUnderWhite, fromHsl, parseColour, readableOn, type Rgb, toHex } from './colour-contrast';

/** Theme keys a server may set in config.toml, and the CSS variable each one drives. */
const THEME_VARIABLES: Readonly<Record<string, string>> = {
  accent: '--mq-accent',
  background: '--mq-background',
  surface: '--mq-surface',
  text: '--mq-text',
  text_muted: '--mq-text-muted',
  danger: '--mq-danger',
};

const THEME_COLOUR = /^#[0-9a-fA-F]{6}$/;

/** Variables this palette writes itself, recomputed from the theme and the light/dark scheme. */
const DERIVED = ['--mq-link', '--mq-danger-fill'] as const;

/** The backgrounds names and text are drawn on; a colour must read on all of them. */
const BACKGROUNDS = ['--mq-background', '--mq-surface', '--mq-surface-2'] as const;

/**
 * The colours on screen, kept readable (WCAG AA, 4.5:1) whatever a server's theme and roles choose
 * and in both the dark and light scheme: a server's palette is applied as CSS variables (through the
 * CSSOM, which the Content Security Policy allows), then the colours used as text (muted text,
 * links, danger) and as fills under white text (accent, danger buttons and badges) are moved in
 * lightness until they pass; role colours for names go through {@link nameColour} the same way.
 */
@Injectable({ providedIn: 'root' })
export class ThemePalette {
  private readonly root = inject(DOCUMENT).documentElement;
  private theme: ThemeDto | null = null;
  private readonly backgrounds = signal<readonly Rgb[]>([]);
  private readonly names = new Map<string, string>();

  constructor() {
    const view = this.root.ownerDocument.defaultView;
    // jsdom (unit tests) has no matchMedia.
    const scheme =
      typeof view?.matchMedia === 'function' ? view.matchMedia('(prefers-color-scheme: light)') : null;
    const onChange = () => this.refresh();
    scheme?.addEventListener('change', onChange);
    inject(DestroyRef).onDestroy(() => scheme?.removeEventListener('change', onChange));
    this.refresh();
  }

  /** Shows a server's palette (null: the defaults) while it is on screen. */
  apply(theme: ThemeDto | null): void {
    this.theme = theme;
    this.refresh();
  }

  /**
   * A name's colour: the role's colour made readable here, else one from `hue` (a stable per-key
   * hue), else null (the text colour). Reactive: it follows the scheme and the theme.
   */
  nameColour(roleColour: string | null, hue?: number): string | null {
    const backgrounds = this.backgrounds();
    const base =
      (roleColour !== null ? parseColour(roleColour) : null) ??
      (hue !== undefined ? fromHsl(hue, 65, 62) : null);
    if (base === null) return null;
    const key = `${toHex(base)}|${backgrounds.map(toHex).join(',')}`;
    let colour = this.names.get(key);
    if (colour === undefined) {
      colour = toHex(readableOn(base, backgrounds));
      this.names.set(key, colour);
    }
    return colour;
  }

  private refresh(): void {
    const style = this.root.style;
    for (const [name, variable] of Object.entries(THEME_VARIABLES)) {
      const value = this.theme?.[name];
      if (value !== undefined && THEME_COLOUR.test(value)) style.setProperty(variable, value);
      else style.removeProperty(variable);
    }
    for (const variable of DERIVED) style.removeProperty(variable);

    const computed = this.root.ownerDocument.defaultView?.getComputedStyle(this.root);
    const read = (variable: string) => parseColour(computed?.getPropertyValue(variable) ?? '');
    const backgrounds = BACKGROUNDS.map(read).filter((c): c is Rgb => c !== null);
    this.names.clear();
    this.backgrounds.set(backgrounds);
    if (backgrounds.length === 0) return; // no stylesheet (unit tests): nothing to measure against

    const set = (variable: string, colour: Rgb | null) => {
      if (colour !== null) style.setProperty(variable, toHex(colour));
    };
    const accent = read('--mq-accent');
    const danger = read('--mq-danger');
    const muted = read('--mq-text-muted');
    set('--mq-link', accent && readableOn(accent, backgrounds));
    set('--mq-danger-fill', danger && fillUnderWhite(danger));
    set('--mq-danger', danger && readableOn(danger, backgrounds));
    set('--mq-accent', accent && fillUnderWhite(accent));
    set('--mq-text-muted', muted && readableOn(muted, backgrounds));
  }
}
