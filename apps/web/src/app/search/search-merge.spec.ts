import type { SearchHitDto } from '@mpqcht/protocol';

import { message } from '../testing/fixtures';
import type { ServerSearch } from './search.state';
import { highlightParts, mergeResults, type SearchSource } from './search-merge';

function hit(channelId: string, seq: number, minute: number, content = `message ${seq}`): SearchHitDto {
  const m = message(channelId, seq, {
    content,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
  });
  return { message: m, channelId, threadName: null, highlights: [] };
}

function done(hits: SearchHitDto[], cursor: string | null = null): ServerSearch {
  return {
    query: 'q',
    status: 'done',
    hits,
    cursor,
    indexing: false,
    loadingMore: false,
    slow: false,
    error: null,
    errorPosition: null,
  };
}

const source = (key: string, search: ServerSearch | null): SearchSource<string> => ({
  server: key,
  key,
  search,
});
const order = (sources: SearchSource<string>[]) =>
  mergeResults(sources).hits.map((h) => `${h.server}:${h.hit.message.content}`);

describe('mergeResults', () => {
  it('puts the results of every server in one list, newest first, each with its server', () => {
    expect(
      order([
        source('a', done([hit('lobby', 3, 30, 'a30'), hit('lobby', 1, 10, 'a10')])),
        source('b', done([hit('random', 2, 20, 'b20'), hit('random', 1, 5, 'b5')])),
      ]),
    ).toEqual(['a:a30', 'b:b20', 'a:a10', 'b:b5']);
  });

  it('shows what has come while another server is still loading or failed, and holds nothing back for them', () => {
    const failed: ServerSearch = { ...done([]), status: 'failed', error: 'offline' };
    const loading: ServerSearch = { ...done([]), status: 'loading' };
    const merged = mergeResults([
      source('a', done([hit('lobby', 1, 10, 'a10')], 'next')),
      source('b', loading),
      source('c', failed),
    ]);
    expect(merged.hits.map((h) => h.hit.message.content)).toEqual(['a10']);
    expect(merged.more).toBe(true);
    expect(merged.heldBack).toBe(0);
  });

  it('holds back results older than what a server with more pages has not sent yet', () => {
    const sources = [
      // a has more after minute 40: its next page may hold results between 40 and 20.
      source('a', done([hit('lobby', 2, 50, 'a50'), hit('lobby', 1, 40, 'a40')], 'a-next')),
      source(
        'b',
        done([hit('random', 3, 45, 'b45'), hit('random', 2, 30, 'b30'), hit('random', 1, 20, 'b20')]),
      ),
    ];
    const merged = mergeResults(sources);
    expect(merged.hits.map((h) => h.hit.message.content)).toEqual(['a50', 'b45', 'a40']);
    expect(merged.heldBack).toBe(2);
    expect(merged.more).toBe(true);

    // a's next page: everything in order, nothing inserted above what was shown.
    sources[0] = source(
      'a',
      done([hit('lobby', 2, 50, 'a50'), hit('lobby', 1, 40, 'a40'), hit('lobby', 0, 35, 'a35')]),
    );
    expect(order(sources)).toEqual(['a:a50', 'b:b45', 'a:a40', 'a:a35', 'b:b30', 'b:b20']);
    expect(mergeResults(sources).more).toBe(false);
  });

  it('keeps results of two servers with the same message id apart', () => {
    const merged = mergeResults([
      source('a', done([hit('lobby', 1, 10)])),
      source('b', done([hit('lobby', 1, 10)])),
    ]);
    expect(new Set(merged.hits.map((h) => h.key)).size).toBe(2);
  });
});

describe('highlightParts', () => {
  it('marks the ranges, merging overlapping ones and ignoring ones outside the text', () => {
    expect(
      highlightParts('the meetup is on Saturday', [
        [4, 10],
        [17, 25],
        [8, 10],
        [30, 40],
      ]),
    ).toEqual([
      { text: 'the ', mark: false },
      { text: 'meetup', mark: true },
      { text: ' is on ', mark: false },
      { text: 'Saturday', mark: true },
    ]);
  });

  it('shows the text plainly without highlights (a match by filters alone)', () => {
    expect(highlightParts('a <b>bold</b>\n\nline', [])).toEqual([
      { text: 'a <b>bold</b> line', mark: false },
    ]);
  });

  it('cuts a long message to a snippet around its first match', () => {
    const content = `${'word '.repeat(100)}needle ${'tail '.repeat(100)}`;
    const at = content.indexOf('needle');
    const parts = highlightParts(content, [[at, at + 6]], 120);
    expect(parts[0]).toEqual({ text: '…', mark: false });
    expect(parts.at(-1)).toEqual({ text: '…', mark: false });
    expect(parts.find((p) => p.mark)?.text).toBe('needle');
    expect(parts.map((p) => p.text).join('').length).toBeLessThanOrEqual(124);
  });
});
