import { parseSearchQuery, SEARCH_QUERY_MAX_LENGTH, SearchQueryError } from './search-query';

/** The error a query gets: its message and position. */
function refusal(query: string): { message: string; position: number } {
  try {
    parseSearchQuery(query);
  } catch (error) {
    if (error instanceof SearchQueryError) return { message: error.message, position: error.position };
    throw error;
  }
  throw new Error(`"${query}" was accepted`);
}

describe('parseSearchQuery', () => {
  it('reads free words (all must match), prefixes, phrases and exclusions', () => {
    expect(parseSearchQuery('meetup saturday proj* "bring the projector" -rain -"no show"')).toEqual({
      words: [
        { text: 'meetup', prefix: false },
        { text: 'saturday', prefix: false },
        { text: 'proj', prefix: true },
      ],
      phrases: ['bring the projector'],
      excluded: [{ text: 'rain', prefix: false }, { phrase: 'no show' }],
      from: [],
      in: [],
      mentions: [],
      has: [],
      before: null,
      after: null,
      during: null,
    });
  });

  it('reads the filters, quoted values with spaces, # and @ dropped, has: once each', () => {
    expect(
      parseSearchQuery(
        'from:"Ada Lovelace" from:brook in:#lobby in:thread mentions:@Grace has:link has:CODE has:link after:2026-11-30 before:2026-12-03',
      ),
    ).toMatchObject({
      words: [],
      from: [
        { value: 'Ada Lovelace', at: 0 },
        { value: 'brook', at: 20 },
      ],
      in: [
        { value: 'lobby', at: 31 },
        { value: 'thread', at: 41 },
      ],
      mentions: [{ value: 'Grace', at: 51 }],
      has: ['link', 'code'],
      after: '2026-11-30',
      before: '2026-12-03',
      during: null,
    });
    expect(parseSearchQuery('during:2024-02-29 plans').during).toBe('2024-02-29');
  });

  it('takes a link as a word, and a lone dash or colon as nothing special', () => {
    expect(parseSearchQuery('https://example.org/a - x:').words).toEqual([
      { text: 'https://example.org/a', prefix: false },
      { text: '-', prefix: false },
      { text: 'x:', prefix: false },
    ]);
  });

  it.each([
    ['"unclosed phrase', 'a quote is not closed', 0],
    ['plans form:ada', 'unknown filter "form:" (from:, in:, mentions:, has:, before:, after:, during:)', 6],
    ['plans from:""', 'from: wants a value', 6],
    ['has:image', 'has: is one of link, code, mention', 0],
    ['before:2026-02-30', 'before: wants a day like 2026-12-03', 0],
    ['after:yesterday', 'after: wants a day like 2026-12-03', 0],
    ['after:2026-01-01 after:2026-02-01', 'after: is given twice', 17],
    ['plans -from:ada', '-from: is not supported', 6],
    ['pro*ject', '`*` goes only at the end of a word', 0],
    ['-rain', 'search for a word, a phrase or a filter', 0],
    ['   ', 'search for a word, a phrase or a filter', 0],
  ])('refuses %j: %s at %d', (query, message, position) => {
    expect(refusal(query)).toEqual({ message, position });
  });

  it('refuses a query too long or with too many parts, where it goes over', () => {
    expect(refusal('a'.repeat(SEARCH_QUERY_MAX_LENGTH + 1)).position).toBe(SEARCH_QUERY_MAX_LENGTH);
    const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    expect(refusal(many)).toEqual({ message: 'at most 32 words and filters', position: many.indexOf('w32') });
  });
});
