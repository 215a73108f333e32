/**
 * Which pages may talk to this server from a browser (Socket.IO and the HTTP routes). Other mpqcht
 * pages are welcome by default (`["*"]`): a member's web client joins many servers into one page.
 * Login signatures are bound to this server's own origin, so an open list does not let a foreign
 * page replay a login elsewhere.
 */
export function originAllowed(allowed: readonly string[], origin: string | undefined): boolean {
  if (origin === undefined) return true; // not a browser page: CLI, bots
  return allowed.includes('*') || allowed.includes(origin);
}
