import { ProtocolError } from '../common/protocol-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/u;

/**
 * A position in a search's results, which run newest first by message id (UUIDv7): the last id
 * of the page, as `s1.<id>`. New messages have larger ids, so they never shift a later page.
 */
export function encodeSearchCursor(lastId: string): string {
  return `s1.${lastId}`;
}

/** The id a cursor continues before; `validation_failed` for anything that is not a cursor. */
export function decodeSearchCursor(cursor: string): string {
  const id = cursor.startsWith('s1.') ? cursor.slice(3) : '';
  if (!UUID.test(id)) {
    throw new ProtocolError('validation_failed', 'cursor: not a cursor of search.messages', {
      issues: [{ path: 'cursor', message: 'not a cursor of search.messages' }],
    });
  }
  return id;
}
