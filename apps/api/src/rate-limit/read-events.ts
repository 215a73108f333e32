/**
 * Events that only read. When the rate-limit store is unreachable these still pass (their flood
 * bucket is not checked); every other event, and every login attempt, is refused (fails closed).
 */
const READ_EVENTS: ReadonlySet<unknown> = new Set([
  'session.get',
  'members.list',
  'members.subscribe',
  'members.unsubscribe',
  'channels.list',
  'channels.viewers',
  'messages.history',
  'messages.around',
  'search.messages',
  'bans.list',
  'audit.list',
  'config.get',
  'invites.list',
]);

export function isReadEvent(event: unknown): boolean {
  return READ_EVENTS.has(event);
}
