import type { ThemeDto } from '@mpqcht/protocol';

const VARIABLES: Record<string, string> = {
  accent: '--mq-accent',
  background: '--mq-background',
  surface: '--mq-surface',
  text: '--mq-text',
  text_muted: '--mq-text-muted',
  danger: '--mq-danger',
};

const COLOUR = /^#[0-9a-fA-F]{6}$/;

/**
 * Applies a server's palette while it is on screen, as CSS variables on the document (through the
 * CSSOM, which the Content Security Policy allows). Unknown names and non-colours are ignored, and
 * variables the theme does not set fall back to the dark/light defaults.
 */
export function applyTheme(root: HTMLElement, theme: ThemeDto | null): void {
  for (const [name, variable] of Object.entries(VARIABLES)) {
    const value = theme?.[name];
    if (value !== undefined && COLOUR.test(value)) root.style.setProperty(variable, value);
    else root.style.removeProperty(variable);
  }
}
