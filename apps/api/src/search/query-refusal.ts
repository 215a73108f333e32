import { ProtocolError } from '../common/protocol-error';

/** A query that cannot be searched: `validation_failed`, with where in the query (UTF-16 offset). */
export function queryRefusal(message: string, position: number): ProtocolError {
  return new ProtocolError('validation_failed', `query: ${message}`, {
    position,
    issues: [{ path: 'query', message }],
  });
}
