import DOMPurify from 'dompurify';

const purifier = DOMPurify(window);

// Every link leaves the page in a new tab without a handle back to it; anything but http(s),
// mailto and relative links is dropped by DOMPurify's URI policy below.
purifier.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer nofollow');
  }
});

/**
 * The one sanitizer for rendered Markdown: DOMPurify over the HTML that marked produced, with a
 * small allow-list (no style, no forms, no media, no iframes) so a message can only be text,
 * formatting, code, lists, quotes, tables and links.
 */
export function sanitizeHtml(html: string): string {
  return purifier.sanitize(html, {
    ALLOWED_TAGS: [
      'a',
      'p',
      'br',
      'hr',
      'strong',
      'em',
      'del',
      's',
      'code',
      'pre',
      'blockquote',
      'ul',
      'ol',
      'li',
      'h1',
      'h2',
      'h3',
      'h4',
      'h5',
      'h6',
      'table',
      'thead',
      'tbody',
      'tr',
      'th',
      'td',
      'span',
      'input',
    ],
    ALLOWED_ATTR: ['href', 'title', 'class', 'type', 'checked', 'disabled', 'align', 'start'],
    ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#|\/(?!\/))/i,
    ALLOW_DATA_ATTR: false,
    RETURN_TRUSTED_TYPE: false,
  });
}
