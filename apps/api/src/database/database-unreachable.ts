/**
 * Whether an error says "the database cannot be reached" (as opposed to a bug or a refused
 * statement): what `DatabaseAvailability` answers `database_unavailable` for. The pg driver
 * reports a lost server as a Node socket error or a bare "Connection terminated" error, PostgreSQL
 * itself as SQLSTATE codes; TypeORM wraps query errors and copies the driver's `code` (and keeps it
 * as `driverError`), and Node may wrap several connection attempts in an AggregateError.
 */

/** Socket errors: the server is not there, went away, or cannot be routed to. */
const SOCKET_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * SQLSTATEs of a server that cannot serve: class 08 (connection exception), an administrator or
 * crash shutdown (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now: starting
 * up or in recovery), no connection slot left (53300) and a full disk (53100), which refuses writes
 * until an operator frees space.
 */
const SQLSTATES: ReadonlySet<string> = new Set(['57P01', '57P02', '57P03', '53300', '53100']);

/** Messages of the pg driver and pg-pool for a connection that is gone or never came. */
const MESSAGES: readonly RegExp[] = [
  /^Connection terminated/,
  /^Client has encountered a connection error and is not queryable/,
  /^timeout exceeded when trying to connect/,
  /^Client was closed and is not queryable/,
];

function codeSaysUnreachable(code: unknown): boolean {
  if (typeof code !== 'string') return false;
  return SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code);
}

export function isDatabaseUnreachable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const { code, message, driverError, cause, errors } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
    errors?: unknown;
  };
  if (codeSaysUnreachable(code)) return true;
  if (typeof message === 'string' && MESSAGES.some((pattern) => pattern.test(message))) return true;
  const inner = [driverError, cause, ...(Array.isArray(errors) ? (errors as unknown[]) : [])];
  return inner.some((e) => e !== error && isDatabaseUnreachable(e, depth + 1));
}
