/**
 * The content rule for every string of every payload: no NUL (PostgreSQL text cannot store it, and
 * one would fail a whole batch of sends) and no lone UTF-16 surrogate (not Unicode text: UTF-8
 * would silently store U+FFFD instead). With the `u` flag a surrogate pair is one code point, so
 * the class matches only unpaired halves.
 */
const FORBIDDEN_CHARACTER = /[\u0000\uD800-\uDFFF]/u;

export const TEXT_RULE_MESSAGE = 'must not contain NUL or unpaired surrogate characters';

export interface TextIssue {
  /** Keys and array indexes joined with dots, as in `details.issues[].path`; '' for the root. */
  readonly path: string;
  readonly message: string;
}

/**
 * Every string (values and keys) anywhere in a decoded payload that breaks the content rule. The
 * walk is iterative, so a deeply nested payload cannot overflow the stack.
 */
export function textRuleIssues(value: unknown): TextIssue[] {
  const issues: TextIssue[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value: current, path } = next;
    if (typeof current === 'string') {
      if (FORBIDDEN_CHARACTER.test(current)) issues.push({ path, message: TEXT_RULE_MESSAGE });
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, child] of Object.entries(current)) {
        const childPath = path === '' ? key : `${path}.${key}`;
        if (FORBIDDEN_CHARACTER.test(key)) issues.push({ path: childPath, message: TEXT_RULE_MESSAGE });
        pending.push({ value: child, path: childPath });
      }
    }
  }
  return issues.reverse();
}
