import type { ProtocolError } from './protocol-error';

/** Where a refusal was answered: a Socket.IO request's ack, a handshake, an HTTP route. */
export type RefusedAt = 'request' | 'handshake' | 'http';

/**
 * Turns an error saying that a dependency is down (the database) into the answer to give instead.
 * Declared here and implemented in database/ (DatabaseAvailability), so that the error filter in
 * this leaf folder needs no import from a folder above it.
 */
export abstract class OutageRefusals {
  /** The refusal to answer instead of `error`, or undefined when `error` is not an outage. */
  abstract refusalFor(error: unknown, at: RefusedAt): ProtocolError | undefined;
}
