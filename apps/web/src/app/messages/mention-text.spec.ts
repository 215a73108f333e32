import {
  completeMention,
  findNameMatches,
  findTrigger,
  matchNames,
  type MentionTrigger,
} from './mention-text';

const at = (text: string) => findTrigger(text, text.length);

describe('findTrigger', () => {
  it('finds @ and # at the start, after a space and after punctuation, with what follows', () => {
    expect(at('@')).toEqual({ sigil: '@', start: 0, end: 1, query: '' });
    expect(at('hi @ad')).toEqual({ sigil: '@', start: 3, end: 6, query: 'ad' });
    expect(at('see #ran')).toEqual({ sigil: '#', start: 4, end: 8, query: 'ran' });
    expect(at('(@Ad')).toMatchObject({ sigil: '@', query: 'Ad' });
    expect(at('line one\n@b')).toMatchObject({ start: 9, query: 'b' });
  });

  it('keeps a single space inside the query (names have them) but not a leading or double one', () => {
    expect(at('@ada lo')).toMatchObject({ query: 'ada lo' });
    expect(at('@ ada')).toBeNull();
    expect(at('@ada  x')).toBeNull();
    // A Markdown heading is not a channel.
    expect(at('# Title')).toBeNull();
  });

  it('ignores a sigil inside a word, on an earlier line, or too far back', () => {
    expect(at('mail bob@exam')).toBeNull();
    expect(at('issue#12')).toBeNull();
    expect(at('@ada\nhello')).toBeNull();
    expect(at(`@${'a'.repeat(65)}`)).toBeNull();
    expect(at(`@${'a'.repeat(64)}`)).toMatchObject({ start: 0 });
  });

  it('offers nothing inside code', () => {
    expect(at('try `@ad')).toBeNull();
    expect(at('try `x` then @ad')).toMatchObject({ query: 'ad' });
    expect(at('```\n@ad')).toBeNull();
    expect(at('```\ncode\n```\n@ad')).toMatchObject({ query: 'ad' });
  });

  it('looks at the caret, not the end of the text', () => {
    expect(findTrigger('@ad and more', 3)).toEqual({ sigil: '@', start: 0, end: 3, query: 'ad' });
    // Spaces are part of a query (the names decide whether anything matches); before the @ is none.
    expect(findTrigger('@ad and more', 7)).toMatchObject({ query: 'ad and' });
    expect(findTrigger('x @ad', 1)).toBeNull();
  });
});

describe('matchNames', () => {
  const names = [
    { id: '1', name: 'Brook' },
    { id: '2', name: 'Ada' },
    { id: '3', name: 'Ada Lovelace' },
    { id: '4', name: 'Grace Hopper' },
    { id: '5', name: 'Madame_X' },
  ];
  const ids = (query: string, limit?: number) => matchNames(names, query, limit).map((n) => n.id);

  it('ranks the whole name, then its start, then a word start, then anywhere, keeping order on ties', () => {
    expect(ids('ada')).toEqual(['2', '3', '5']);
    expect(ids('lov')).toEqual(['3']);
    expect(ids('x')).toEqual(['5']);
    expect(ids('opp')).toEqual(['4']);
  });

  it('folds case and compatibility forms as the server does', () => {
    expect(ids('ＡＤＡ')).toEqual(['2', '3', '5']);
  });

  it('matches a query with a space only at the start of a name', () => {
    expect(ids('ada l')).toEqual(['3']);
    expect(ids('a l')).toEqual([]);
  });

  it('offers everything, in the given order, for an empty query, up to the limit', () => {
    expect(ids('')).toEqual(['1', '2', '3', '4', '5']);
    expect(ids('', 2)).toEqual(['1', '2']);
  });
});

describe('completeMention', () => {
  const trigger = (text: string, caret = text.length): MentionTrigger => {
    const found = findTrigger(text, caret);
    if (!found) throw new Error(`no trigger in ${text}`);
    return found;
  };

  it('replaces the query with the name and one space, the caret after it', () => {
    expect(completeMention('hi @ad', trigger('hi @ad'), 'Ada Lovelace')).toEqual({
      text: 'hi @Ada Lovelace ',
      caret: 17,
    });
    expect(completeMention('#', trigger('#'), 'random')).toEqual({ text: '#random ', caret: 8 });
  });

  it('keeps what follows, stepping over an existing space and replacing the rest of the word', () => {
    expect(completeMention('@ad and more', trigger('@ad and more', 3), 'Ada')).toEqual({
      text: '@Ada and more',
      caret: 5,
    });
    expect(completeMention('@adxyz!', trigger('@adxyz!', 3), 'Ada')).toEqual({ text: '@Ada!', caret: 4 });
  });
});

describe('findNameMatches', () => {
  const members = [
    { id: 'ada', name: 'Ada' },
    { id: 'lovelace', name: 'Ada Lovelace' },
    { id: 'emile', name: 'Émile' },
  ];
  const spans = (text: string) =>
    findNameMatches(text, '@', members).map((m) => [text.slice(m.start, m.end), m.id]);

  it('finds each mention with the longest name, in the original text', () => {
    expect(spans('hi @Ada and @ada lovelace!')).toEqual([
      ['@Ada', 'ada'],
      ['@ada lovelace', 'lovelace'],
    ]);
  });

  it('does not match a name running on into a word, or an @ inside a word', () => {
    expect(spans('@Adam and bob@ada')).toEqual([]);
    expect(spans("@Ada's (@ada)")).toEqual([
      ['@Ada', 'ada'],
      ['@ada', 'ada'],
    ]);
  });

  it('folds per character, so full-width forms and the full-width @ map back to what was written', () => {
    expect(spans('＠ＡＤＡ, @ÉMILE')).toEqual([
      ['＠ＡＤＡ', 'ada'],
      ['@ÉMILE', 'emile'],
    ]);
  });

  it('finds channels after #', () => {
    const channels = [
      { id: 'c1', name: 'random' },
      { id: 'c2', name: 'off topic' },
    ];
    const text = 'see #random and #off topic, not #randomness';
    expect(findNameMatches(text, '#', channels).map((m) => [text.slice(m.start, m.end), m.id])).toEqual([
      ['#random', 'c1'],
      ['#off topic', 'c2'],
    ]);
  });

  it('finds nothing without names', () => {
    expect(findNameMatches('@Ada', '@', [])).toEqual([]);
  });
});
