import { MAX_MENTIONS_PER_MESSAGE } from '@mpqcht/protocol';

import { findMentions, mayMention, MemberNames, stripCode } from './mentions';

/** Fake public keys: the tests only need distinct strings. */
const ADA = 'key-ada';
const LOVELACE = 'key-ada-lovelace';
const ADAM = 'key-adam';
const BOB = 'key-bob';
const EMILE = 'key-emile';
const OBRIEN = 'key-obrien';

function namesOf(members: Record<string, string>): MemberNames {
  const names = new MemberNames();
  for (const [publicKey, displayName] of Object.entries(members)) names.set(publicKey, displayName);
  return names;
}

const everyone = namesOf({
  [ADA]: 'Ada',
  [LOVELACE]: 'Ada Lovelace',
  [ADAM]: 'Adam',
  [BOB]: 'Bob',
  [EMILE]: 'Émile',
  [OBRIEN]: "O'Brien",
});
const adaAlone = namesOf({ [ADA]: 'Ada', [BOB]: 'Bob' });

describe('findMentions', () => {
  it.each([
    ['@Ada', [ADA]],
    ['@ada', [ADA]],
    ['@ADA', [ADA]],
    ['hi @aDa!', [ADA]],
    // NFKC folds full-width letters and at signs, and composes accents.
    ['@Ａｄａ', [ADA]],
    ['＠Ada', [ADA]],
    ['﹫Ada', [ADA]],
    ['@émile', [EMILE]],
    ['@ÉMILE', [EMILE]],
    ['@E\u0301mile', [EMILE]],
    ['@Emile', []],
    ["@o'brien", [OBRIEN]],
  ])('matches names case-insensitively after folding: %j', (content, expected) => {
    expect(findMentions(content, everyone)).toEqual(expected);
  });

  it.each([
    ['@Ada Lovelace', everyone, [LOVELACE]],
    ['@ada lovelace, hello', everyone, [LOVELACE]],
    ['@Ada Lovelace', adaAlone, [ADA]],
    // The longer name runs on into a letter, so the shorter one is the mention.
    ['@Ada Lovelaces', everyone, [ADA]],
    ['@Adam', everyone, [ADAM]],
    ['@Ada Byron', everyone, [ADA]],
  ])('prefers the longest name that ends a word: %j', (content, names, expected) => {
    expect(findMentions(content, names)).toEqual(expected);
  });

  it.each([
    ['@Adam', []],
    ['@Ada2', []],
    ['@Adaé', []],
    ['@Ada_x', [ADA]],
    ['@Ada\u0301', []],
    ['@Ada.', [ADA]],
    ['@Ada,', [ADA]],
    ["@Ada's turn", [ADA]],
    ['(@Ada)', [ADA]],
    ['@Ada😀', [ADA]],
    ['@Ada\nnext line', [ADA]],
    ['say hi to @Ada', [ADA]],
  ])('needs a word boundary after the name: %j', (content, expected) => {
    expect(findMentions(content, adaAlone)).toEqual(expected);
  });

  it.each([
    ['`@Ada`', []],
    ['`` @Ada ` still code ``', []],
    ['a `@Ada` b @Bob', [BOB]],
    ['```\n@Ada\n```\n@Bob', [BOB]],
    ['```ts\nconst x = "@Ada";\n```', []],
    ['~~~\n@Ada\n~~~', []],
    ['   ```\n@Ada\n   ```', []],
    // A fence closes only with the same character, at least as long.
    ['````\n```\n@Ada\n````\n@Bob', [BOB]],
    ['~~~\n```\n@Ada\n~~~', []],
    // An unclosed fence runs to the end of the message.
    ['@Bob\n```\n@Ada', [BOB]],
    // Code spans may span lines within a paragraph.
    ['`start\n@Ada end`', []],
    // Not code: an unmatched backtick, an escaped one, a span cut by a blank line.
    ['`@Ada', [ADA]],
    ['\\`@Ada\\`', [ADA]],
    ['`start\n\n@Ada end`', [ADA]],
    ['```a```@Ada', [ADA]],
    // Code between a name and a letter does not join them into a longer word.
    ['@Ada`code`m', [ADA]],
  ])('ignores mentions in code: %j', (content, expected) => {
    expect(findMentions(content, adaAlone)).toEqual(expected);
  });

  it.each([
    ['no at sign Ada', []],
    ['@', []],
    ['@ Ada', []],
    ['@Zed and @Adb', []],
    ['ada@example.org', []],
    // An at sign inside a word is an address, not a mention.
    ['write to me@Ada.org', []],
    ['@@Ada', [ADA]],
  ])('ignores what is not a member name: %j', (content, expected) => {
    expect(findMentions(content, adaAlone)).toEqual(expected);
  });

  it('lists each member once, in order of first mention', () => {
    expect(findMentions('@Bob @Ada @bob @ADA @Ada Lovelace @Bob', everyone)).toEqual([BOB, ADA, LOVELACE]);
  });

  it(`keeps at most ${MAX_MENTIONS_PER_MESSAGE} distinct mentions, the first ones`, () => {
    const members: Record<string, string> = {};
    for (let i = 0; i < 60; i++) members[`key-${i}`] = `Member ${i}`;
    const names = namesOf(members);
    const content = Array.from({ length: 60 }, (_, i) => `@member ${i}`).join(' ');
    const found = findMentions(`@Member 0 ${content}`, names);
    expect(found).toHaveLength(MAX_MENTIONS_PER_MESSAGE);
    expect(found).toEqual(Array.from({ length: MAX_MENTIONS_PER_MESSAGE }, (_, i) => `key-${i}`));
  });

  it('forgets removed members and the old name of a member who joined again', () => {
    const names = namesOf({ [ADA]: 'Ada', [BOB]: 'Bob' });
    expect(findMentions('@Ada @Bob', names)).toEqual([ADA, BOB]);
    names.remove(ADA);
    expect(findMentions('@Ada @Bob', names)).toEqual([BOB]);
    names.set(BOB, 'Robert');
    expect(findMentions('@Ada @Bob @Robert', names)).toEqual([BOB]);
    expect(findMentions('@Bob', names)).toEqual([]);
    expect(names.size).toBe(1);
  });

  it('finds nothing when no member has joined', () => {
    expect(findMentions('@Ada', new MemberNames())).toEqual([]);
  });

  it('finds a mention after thousands of near misses', () => {
    expect(findMentions('@a @ad '.repeat(3000) + '@Ada', everyone)).toEqual([ADA]);
  });
});

describe('mayMention', () => {
  it.each([
    ['hello', false],
    ['', false],
    ['@', true],
    ['＠', true],
    ['﹫', true],
  ])('%j: %s', (content, expected) => {
    expect(mayMention(content)).toBe(expected);
  });
});

describe('stripCode', () => {
  it('replaces a code span by one space and keeps the text around it', () => {
    expect(stripCode('a `b` c')).toBe('a   c');
    expect(stripCode('a ``b`c`` d')).toBe('a   d');
  });

  it('blanks the lines of a fenced block, fences included, and keeps the lines after it', () => {
    expect(stripCode('before\n```js\ncode\n```\nafter')).toBe('before\n\n\n\nafter');
    expect(stripCode('before\r\n~~~\r\ncode\r\n~~~\r\nafter')).toBe('before\r\n\n\n\nafter');
  });
});
