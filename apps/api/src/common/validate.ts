import type { z } from 'zod';

import { textRuleIssues } from '@mpqcht/protocol';

import { ProtocolError } from './protocol-error';

/**
 * The one validation policy: parse against the shared schema (strict objects, so unknown fields
 * fail), apply the content rule to every string of the payload (no NUL, no lone surrogates: see
 * textRuleIssues), and report every issue with its path. Used by the HTTP and Socket.IO pipes alike.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  const textIssues = textRuleIssues(value);
  if (result.success && textIssues.length === 0) return result.data;
  const schemaIssues = result.success
    ? []
    : result.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message:
          issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message,
      }));
  throw new ProtocolError('validation_failed', 'the payload does not match the schema', {
    issues: [...textIssues, ...schemaIssues],
  });
}
