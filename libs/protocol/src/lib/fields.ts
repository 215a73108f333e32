import { z } from 'zod';

import { canonicalPublicKeyHex, WIRE_PUBLIC_KEY_PATTERN } from '@mpqcht/identity';

import { DISPLAY_NAME_MAX_LENGTH, MESSAGE_LENGTH_CEILING } from './limits';
import { THREAD_STREAM_PATTERN, THREAD_STREAM_PREFIX, threadIdOf } from './streams';

/**
 * A public key in a request: the wire's spelling in either case (`@mpqcht/identity`), read as its
 * canonical spelling, so a handler gets the key as it is stored and compared.
 */
export const publicKeyHex = z
  .string()
  .regex(WIRE_PUBLIC_KEY_PATTERN, 'a 33-byte compressed P-256 key in hex')
  .transform(canonicalPublicKeyHex);
/**
 * Bytes in hex as the handshake carries them: a non-empty, even number of digits `0-9`, `a-f`, read
 * case-insensitively (the server writes lowercase). `maxChars` bounds the string before it is decoded.
 */
export const hexBytes = (maxChars: number) =>
  z
    .string()
    .max(maxChars)
    .regex(/^(?:[0-9a-fA-F]{2})+$/, 'hex: an even number of digits 0-9, a-f (either case)');

/**
 * Channel, group and role ids, as config.toml declares them and the wire carries them: a lowercase
 * letter or digit, then up to 63 of those, `-` and `_`.
 */
export const ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export const channelId = z.string().regex(ID_PATTERN, 'a channel id');

/**
 * Where messages are: a channel (its id) or a thread (`thread:<uuid>`). Requests that read or write
 * messages name it `channelId`, so a thread is a channel to them (docs/protocol.md, Threads). A
 * thread's uuid is read in either case and handed on in lowercase.
 */
export const streamId = z
  .string()
  .max(64)
  .transform((value) => (value.startsWith(THREAD_STREAM_PREFIX) ? value.toLowerCase() : value))
  .refine(
    (value) => ID_PATTERN.test(value) || THREAD_STREAM_PATTERN.test(value),
    'a channel id or a thread (thread:<uuid>)',
  );
export const roleId = z.string().regex(ID_PATTERN, 'a role id');
export const uuid = z.uuid();
/**
 * The id of a row numbered by the database in insertion order (an audit entry, an invite): a
 * decimal string without leading zeros, at most 18 digits (a positive PostgreSQL bigint).
 */
export const serialId = (what: string) => z.string().regex(/^[1-9][0-9]{0,17}$/, what);

/** Letters, digits, spaces and `. _ - '`; starts and ends with a letter or digit; no double spaces. */
export const displayName = z
  .string()
  .min(1)
  .max(DISPLAY_NAME_MAX_LENGTH)
  .regex(/^[\p{L}\p{N}](?:[\p{L}\p{N}._'-]| (?! ))*$/u, "letters, digits, spaces and . _ - '")
  .refine((name) => /[\p{L}\p{N}]$/u.test(name), 'must end with a letter or digit');

/**
 * The configured limit (at most MESSAGE_LENGTH_CEILING) counts code points and is checked by the
 * server (`message_too_long`); this bound (`validation_failed`) also counts code points: zod's string
 * bounds measure code points, not UTF-16 units.
 */
export const messageContent = z
  .string()
  .max(MESSAGE_LENGTH_CEILING * 2)
  .refine((text) => text.trim().length > 0, 'must not be empty');

/** A thread's stream id only (`thread:<uuid>`), for the requests that act on a thread as such. */
export const threadStream = streamId.refine(
  (value) => threadIdOf(value) !== null,
  'a thread (thread:<uuid>)',
);
