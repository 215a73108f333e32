import { Renderer, type Tokens } from 'marked';
import { MARKED_OPTIONS, provideMarkdown, SANITIZE } from 'ngx-markdown';

import { sanitizeHtml } from './sanitize-html';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * HTML written in a message is shown as the text it is, as chat users expect, instead of being
 * parsed; DOMPurify still sanitizes everything marked produces.
 */
function chatRenderer(): Renderer {
  const renderer = new Renderer();
  renderer.html = (token: Tokens.HTML | Tokens.Tag) =>
    'block' in token && token.block ? `<p>${escapeHtml(token.text.trim())}</p>` : escapeHtml(token.text);
  return renderer;
}

/** Markdown as GFM (marked's default), raw HTML as text, sanitized by DOMPurify before the DOM. */
export function provideSafeMarkdown() {
  return provideMarkdown({
    markedOptions: {
      provide: MARKED_OPTIONS,
      useValue: { gfm: true, breaks: true, renderer: chatRenderer() },
    },
    sanitize: { provide: SANITIZE, useValue: sanitizeHtml },
  });
}
