import type { SearchHitDto } from '@mpqcht/protocol';

import { RequestFailed } from '../connection/request-failed';
import type { FakeRequest } from '../testing/fake-socket';
import { channel, message, type OnlineHarness, onlineHarness, until } from '../testing/fixtures';
import { SearchState } from './search.state';

async function nextSearch(h: OnlineHarness): Promise<FakeRequest<'search.messages'>> {
  await until(() => h.socket.pending('search.messages') !== undefined, 'search.messages');
  const request = h.socket.pending('search.messages');
  if (!request) throw new Error('no search');
  return request;
}

const hit = (seq: number): SearchHitDto => ({
  message: message('lobby', seq),
  channelId: 'lobby',
  threadName: null,
  highlights: [[0, 7]],
});

describe('SearchState', () => {
  let h: OnlineHarness;
  let search: SearchState;

  beforeEach(async () => {
    h = await onlineHarness({ channels: [channel('lobby')] });
    search = h.connection.get(SearchState);
  });

  afterEach(() => jest.useRealTimers());

  it('searches, then adds the older pages by cursor', async () => {
    const first = search.search('meetup');
    expect(search.current()?.status).toBe('loading');
    const request = await nextSearch(h);
    expect(request.payload).toEqual({ query: 'meetup' });
    request.ok({ results: [hit(3), hit(2)], cursor: 'c1', indexing: true });
    await first;
    expect(search.current()).toMatchObject({ status: 'done', cursor: 'c1', indexing: true });

    const more = search.more();
    expect(search.current()?.loadingMore).toBe(true);
    const next = await nextSearch(h);
    expect(next.payload).toEqual({ query: 'meetup', cursor: 'c1' });
    next.ok({ results: [hit(2), hit(1)], cursor: null, indexing: false });
    await more;
    expect(search.current()?.hits.map((x) => x.message.seq)).toEqual([3, 2, 1]);
    expect(search.current()).toMatchObject({ cursor: null, indexing: false, loadingMore: false });
  });

  it('drops the answer to a query replaced by a newer one', async () => {
    const old = search.search('old');
    const oldRequest = await nextSearch(h);
    const fresh = search.search('new');
    oldRequest.ok({ results: [hit(1)], cursor: null, indexing: false });
    await old;
    expect(search.current()).toMatchObject({ query: 'new', status: 'loading' });
    (await nextSearch(h)).ok({ results: [], cursor: null, indexing: false });
    await fresh;
    expect(search.current()).toMatchObject({ query: 'new', status: 'done', hits: [] });
  });

  it('keeps where the server found a fault in the query', async () => {
    const searching = search.search('from:nobody');
    (await nextSearch(h)).error('validation_failed', 'no member is called nobody', { position: 0 });
    await searching;
    expect(search.current()).toMatchObject({
      status: 'failed',
      error: 'no member is called nobody',
      errorPosition: 0,
    });
  });

  it('calls a server slow after the wait, and still takes its answer when it comes', async () => {
    jest.useFakeTimers();
    const searching = search.search('meetup', 5_000);
    const request = await nextSearch(h);
    jest.advanceTimersByTime(5_000);
    expect(search.current()).toMatchObject({ status: 'loading', slow: true });
    request.ok({ results: [hit(1)], cursor: null, indexing: false });
    await searching;
    expect(search.current()).toMatchObject({ status: 'done', slow: false });
  });

  it('fails at once while offline', async () => {
    h.session.close();
    await search.search('meetup');
    expect(search.current()).toMatchObject({ status: 'failed', error: 'offline' });
    expect(new RequestFailed('offline', 'x').code).toBe('offline');
  });
});
