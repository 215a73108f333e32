import { TEXT_RULE_MESSAGE, textRuleIssues } from './text-rule';

describe('textRuleIssues', () => {
  it('accepts text, emoji (surrogate pairs) and other values', () => {
    expect(textRuleIssues({ content: 'héllo 👋🏽 — 中文', n: 1, ok: true, none: null, list: ['a'] })).toEqual(
      [],
    );
  });

  it.each([
    ['NUL', 'a\u0000b'],
    ['a lone high surrogate', 'a\uD83Db'],
    ['a lone low surrogate', '\uDC4B'],
    ['a reversed pair', '\uDC4B\uD83D'],
  ])('names the field holding %s', (_what, text) => {
    expect(textRuleIssues({ reason: text })).toEqual([{ path: 'reason', message: TEXT_RULE_MESSAGE }]);
  });

  it('finds strings in nested objects and arrays, and in keys', () => {
    expect(textRuleIssues({ a: { b: ['ok', 'x\u0000'] }, ['k\u0000']: 1 })).toEqual([
      { path: 'a.b.1', message: TEXT_RULE_MESSAGE },
      { path: 'k\u0000', message: TEXT_RULE_MESSAGE },
    ]);
    expect(textRuleIssues('\u0000')).toEqual([{ path: '', message: TEXT_RULE_MESSAGE }]);
  });

  it('walks a deeply nested payload without overflowing the stack', () => {
    let deep: unknown = '\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(textRuleIssues(deep)).toHaveLength(1);
  });
});
