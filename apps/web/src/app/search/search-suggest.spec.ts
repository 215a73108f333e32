import { partAt, suggest } from './search-suggest';

const names = {
  members: [{ name: 'Ada Lovelace', detail: 'online' }, { name: 'Brook' }, { name: 'Grace' }],
  channels: [{ name: 'lobby' }, { name: 'random' }],
};
const at = (query: string) => suggest(query, query.length, names);

describe('search box suggestions', () => {
  it('offers members after from: and mentions:, narrowed by what is typed, quoting names with spaces', () => {
    expect(at('from:').map((s) => s.label)).toEqual(['Ada Lovelace', 'Brook', 'Grace']);
    const [ada] = at('meetup from:ad');
    expect(ada).toMatchObject({ kind: 'value', label: 'Ada Lovelace', query: 'meetup from:"Ada Lovelace" ' });
    expect(ada?.caret).toBe(ada?.query.length);
    expect(at('mentions:@gr').map((s) => s.query)).toEqual(['mentions:Grace ']);
    // Contains, after starts-with.
    expect(at('from:a').map((s) => s.label)).toEqual(['Ada Lovelace', 'Grace']);
  });

  it('offers channels (and thread) after in:, and the kinds after has:', () => {
    expect(at('in:').map((s) => s.label)).toEqual(['#lobby', '#random', 'thread']);
    expect(at('in:#ra').map((s) => s.query)).toEqual(['in:random ']);
    expect(at('has:').map((s) => s.label)).toEqual(['link', 'code', 'mention']);
    expect(at('has:c').map((s) => s.query)).toEqual(['has:code ']);
  });

  it('offers nothing once the value is complete, or for a word', () => {
    expect(at('has:link')).toEqual([]);
    expect(at('from:Brook')).toEqual([]);
    expect(at('meetup ')).toEqual([]);
    expect(at('"from')).toEqual([]);
  });

  it('completes an operator name, leaving the caret after the colon', () => {
    const [from] = at('fr');
    expect(from).toMatchObject({ kind: 'operator', label: 'from:', query: 'from:', caret: 5 });
    expect(at('d').map((s) => s.label)).toEqual(['during:']);
  });

  it('completes the part at the caret, in the middle of the query too', () => {
    const query = 'from:br meetup';
    const [brook] = suggest(query, 7, names);
    expect(brook).toMatchObject({ query: 'from:Brook meetup', caret: 11 });
  });

  it('reads a quoted value as one part', () => {
    expect(partAt('x from:"Ada Lo', 14)).toMatchObject({ start: 2, operator: 'from', value: '"Ada Lo' });
    expect(at('from:"Ada L').map((s) => s.query)).toEqual(['from:"Ada Lovelace" ']);
    expect(partAt('https://x.org', 5)).toMatchObject({ operator: null });
  });
});
