/**
 * The page's Content Security Policy. Scripts come from this origin only and styles from this
 * origin or Angular's per-page nonce (its component styles are <style> elements). The page talks to
 * every server its user adds, so `connect-src` is open to https/wss (and http/ws when the page itself
 * is served over http, as in development, since browsers refuse mixed content anyway).
 */
export function contentSecurityPolicy(publicOrigin: string, nonce: string): string {
  const insecure = publicOrigin.startsWith('http:') ? ' http: ws:' : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: https:",
    "font-src 'self'",
    `connect-src 'self' https: wss:${insecure}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
