import { ProtocolError } from '../common/protocol-error';

/**
 * A position in a channel's thread list, which runs active threads first, then archived ones, each
 * by latest activity (newest first), then by id. Opaque to clients: `<0|1>.<µs since epoch>.<id>`,
 * microseconds because that is PostgreSQL's precision (a millisecond cursor would skip or repeat
 * threads active in the same millisecond).
 */
export interface ThreadCursor {
  readonly archived: boolean;
  readonly lastMessageMicros: string;
  readonly id: string;
}

const CURSOR_PATTERN =
  /^([01])\.([0-9]{1,17})\.([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

export function encodeThreadCursor(cursor: ThreadCursor): string {
  return `${cursor.archived ? 1 : 0}.${cursor.lastMessageMicros}.${cursor.id}`;
}

/** The cursor a page ended with; `validation_failed` for anything else. */
export function decodeThreadCursor(text: string): ThreadCursor {
  const match = CURSOR_PATTERN.exec(text);
  if (!match?.[2] || !match[3]) {
    throw new ProtocolError('validation_failed', 'cursor: not a cursor of threads.list', {
      issues: [{ path: 'cursor', message: 'not a cursor of threads.list' }],
    });
  }
  return { archived: match[1] === '1', lastMessageMicros: match[2], id: match[3] };
}
