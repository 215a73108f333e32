import { type SearchFilter, searchStatement } from './search-statement';

const base: SearchFilter = {
  config: 'simple',
  wordPairs: true,
  words: [],
  prefixes: [],
  phrases: [],
  notWords: [],
  notPrefixes: [],
  notPhrases: [],
  markers: [],
  channels: ['lobby'],
  authors: null,
  fromId: null,
  beforeIds: [],
  rows: 26,
};

const FILTERS: Record<string, Partial<SearchFilter>> = {
  'filters only': { authors: ['02ab'], fromId: '00000000-0000-7000-8000-000000000000' },
  'a marker only': { markers: [' has:link'] },
  words: { words: ['soup'], prefixes: ['tom'] },
  'exclusions with a filter': { notWords: ['rain'], authors: ['02ab'] },
  'a phrase and everything': {
    phrases: ['of the'],
    notPhrases: ['no show'],
    markers: [' in:thread'],
    beforeIds: ['00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002'],
  },
  'a phrase while the pairs are rebuilt': { phrases: ['of the'], wordPairs: false },
};

describe('searchStatement', () => {
  // PostgreSQL refuses a statement with a parameter it cannot type, e.g. one it never uses.
  it.each(Object.entries(FILTERS))('uses every parameter it binds: %s', (_name, patch) => {
    const { text, params } = searchStatement({ ...base, ...patch });
    const used = new Set([...text.matchAll(/\$(\d+)/gu)].map((m) => Number(m[1])));
    expect([...used].sort((a, b) => a - b)).toEqual(params.map((_, i) => i + 1));
  });

  it('asks for the words only when the query has some', () => {
    expect(searchStatement({ ...base, authors: ['02ab'] }).text).not.toContain('search_vector @@');
    expect(searchStatement({ ...base, words: ['soup'] }).text).toContain('search_vector @@');
  });

  it('looks phrases up by their word pairs only when every vector has them', () => {
    expect(searchStatement({ ...base, phrases: ['of the'] }).text).toContain('mpqcht_search_phrases');
    expect(searchStatement({ ...base, phrases: ['of the'], wordPairs: false }).text).not.toContain(
      'mpqcht_search_phrases',
    );
  });
});
