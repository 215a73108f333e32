import { z } from 'zod';

import { ProtocolError } from './protocol-error';
import { validate } from './validate';

/** The `details.issues` of the validation_failed error `validate` throws for `value`. */
function issuesOf(schema: z.ZodType, value: unknown): unknown {
  try {
    validate(schema, value);
  } catch (error) {
    if (error instanceof ProtocolError && error.code === 'validation_failed')
      return error.details?.['issues'];
    throw error;
  }
  throw new Error('validate accepted the value');
}

describe('validate: details.issues', () => {
  const schema = z.strictObject({
    name: z.string(),
    items: z.array(z.strictObject({ tags: z.array(z.string()) })).optional(),
  });

  it('joins object keys and array indexes with dots', () => {
    expect(issuesOf(schema, { name: 'n', items: [{ tags: [] }, { tags: ['a', 'b', 7] }] })).toEqual([
      { path: 'items.1.tags.2', message: expect.any(String) as string },
    ]);
    expect(issuesOf(schema, { name: 1 })).toEqual([{ path: 'name', message: expect.any(String) as string }]);
  });

  it('uses the empty string for the payload itself, and the object for its unknown fields', () => {
    expect(issuesOf(schema, 'text')).toEqual([{ path: '', message: expect.any(String) as string }]);
    expect(issuesOf(schema, { name: 'n', b: 1, a: 2 })).toEqual([
      { path: '', message: 'unknown field(s): b, a' },
    ]);
    expect(issuesOf(schema, { name: 'n', items: [{ tags: [], x: 1 }] })).toEqual([
      { path: 'items.0', message: 'unknown field(s): x' },
    ]);
  });

  it('reports every issue, not only the first', () => {
    expect(issuesOf(schema, { items: 'no' })).toEqual([
      { path: 'name', message: expect.any(String) as string },
      { path: 'items', message: expect.any(String) as string },
    ]);
  });
});
