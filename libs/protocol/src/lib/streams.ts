/*
 * Message stream ids, without zod: the web client imports these (through `@mpqcht/protocol/plain`)
 * and must not bundle the schemas.
 */

/** A thread's message stream: `thread:` and the thread's id (the id of the message it grew from). */
export const THREAD_STREAM_PREFIX = 'thread:';
export const THREAD_STREAM_PATTERN = /^thread:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The stream id of a thread. */
export function threadStreamId(threadId: string): string {
  return `${THREAD_STREAM_PREFIX}${threadId.toLowerCase()}`;
}

/** The thread id in a thread's stream id; null for a channel's. */
export function threadIdOf(streamId: string): string | null {
  return THREAD_STREAM_PATTERN.test(streamId) ? streamId.slice(THREAD_STREAM_PREFIX.length) : null;
}
