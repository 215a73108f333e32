import { RECENT_WINDOW, type SearchFilter, type SearchPlan, searchStatement } from './search-statement';

const base: SearchFilter = {
  config: 'simple',
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
  'a marker only': { markers: ['has link'] },
  words: { words: ['soup'], prefixes: ['tom'] },
  'exclusions with a filter': { notWords: ['rain'], authors: ['02ab'] },
  'a phrase and everything': {
    phrases: ['of the'],
    notPhrases: ['no show'],
    markers: ['in thread'],
    beforeIds: ['00000000-0000-7000-8000-000000000001', '00000000-0000-7000-8000-000000000002'],
  },
};

describe('searchStatement', () => {
  // PostgreSQL refuses a statement with a parameter it cannot type, e.g. one it never uses.
  it.each(
    Object.entries(FILTERS).flatMap(([name, f]) =>
      (['planned', 'recent', 'indexed'] as const).map((plan) => [name, f, plan] as const),
    ),
  )('uses every parameter it binds: %s, %s', (_name, patch, plan: SearchPlan) => {
    const { text, params } = searchStatement({ ...base, ...patch }, plan);
    const used = new Set([...text.matchAll(/\$(\d+)/gu)].map((m) => Number(m[1])));
    expect([...used].sort((a, b) => a - b)).toEqual(params.map((_, i) => i + 1));
  });

  it('bounds a recent search to the newest candidates, and keeps an indexed one off the id order', () => {
    const phrase = { ...base, phrases: ['of the'] };
    const recent = searchStatement(phrase, 'recent');
    expect(recent.params).toContain(RECENT_WINDOW);
    expect(recent.text).toMatch(/ORDER BY m\.id DESC LIMIT \$\d+\) m\s+WHERE m\.search_vector @@/u);
    expect(searchStatement(phrase, 'indexed').text).toContain('ORDER BY m.id::text COLLATE "C" DESC');
    // Without words to match there is nothing to bound: the planner's statement.
    expect(searchStatement({ ...base, authors: ['02ab'] }, 'recent').params).not.toContain(RECENT_WINDOW);
  });
});
