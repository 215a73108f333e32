import { ProtocolError } from '../common/protocol-error';

/**
 * The refusals that must not tell "hidden from you" apart from "does not exist": each is built
 * here only, and used for both cases, so the code, message and details are the same byte for byte
 * (the message does not even echo the id asked for).
 */
export function noSuchChannel(): ProtocolError {
  return new ProtocolError('not_found', 'no such channel');
}

/** A message that does not exist, was deleted, or is in a channel the member cannot view. */
export function noSuchMessage(): ProtocolError {
  return new ProtocolError('not_found', 'no such message');
}
