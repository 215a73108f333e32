import { QueryFailedError } from 'typeorm';

import { isDatabaseUnreachable } from './database-unreachable';

function withCode(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('isDatabaseUnreachable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['a reset connection', withCode('read ECONNRESET', 'ECONNRESET')],
    ['a connect timeout', withCode('connect ETIMEDOUT 10.0.0.1:5432', 'ETIMEDOUT')],
    ['an unknown host', withCode('getaddrinfo ENOTFOUND db', 'ENOTFOUND')],
    ['a connection lost mid-query', new Error('Connection terminated unexpectedly')],
    ['a connection timeout of the driver', new Error('Connection terminated due to connection timeout')],
    ['pg-pool waiting in vain', new Error('timeout exceeded when trying to connect')],
    ['a broken client', new Error('Client has encountered a connection error and is not queryable')],
    ['SQLSTATE 08006 connection_failure', withCode('connection failure', '08006')],
    ['SQLSTATE 08P01 protocol_violation', withCode('protocol violation', '08P01')],
    [
      'SQLSTATE 57P01 admin_shutdown',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    ['SQLSTATE 57P02 crash_shutdown', withCode('terminating connection because of crash', '57P02')],
    ['SQLSTATE 57P03 cannot_connect_now', withCode('the database system is starting up', '57P03')],
    ['SQLSTATE 53300 too_many_connections', withCode('sorry, too many clients already', '53300')],
    ['SQLSTATE 53100 disk_full', withCode('could not extend file', '53100')],
    [
      'a TypeORM QueryFailedError around a lost connection',
      new QueryFailedError('SELECT 1', [], new Error('Connection terminated unexpectedly')),
    ],
    [
      'an AggregateError of connection attempts',
      new AggregateError([withCode('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED')], 'connect failed'),
    ],
    ['an error caused by a lost connection', new Error('query failed', { cause: withCode('x', 'EPIPE') })],
  ])('true for %s', (_name, error) => {
    expect(isDatabaseUnreachable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    ['a syntax error', withCode('syntax error at or near "SELEC"', '42601')],
    ['a wrong password', withCode('password authentication failed for user "postgres"', '28P01')],
    ['a missing database', withCode('database "nope" does not exist', '3D000')],
    ['a cancelled statement', withCode('canceling statement due to user request', '57014')],
    ['a serialization failure', withCode('could not serialize access', '40001')],
    [
      'a TypeORM QueryFailedError around a refused statement',
      new QueryFailedError('INSERT', [], withCode('null value in column', '23502')),
    ],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['a string', 'ECONNREFUSED'],
    ['undefined', undefined],
    ['null', null],
  ])('false for %s', (_name, error) => {
    expect(isDatabaseUnreachable(error)).toBe(false);
  });
});
