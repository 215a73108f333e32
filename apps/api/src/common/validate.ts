import type { z } from 'zod';
import { ProtocolError } from './protocol-error';

/**
 * The one validation policy: parse against the shared schema (strict objects, so unknown fields
 * fail) and report every issue with its path. Used by the HTTP and Socket.IO pipes alike.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ProtocolError('validation_failed', 'the payload does not match the schema', {
    issues: result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message:
        issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
    })),
  });
}
