import type { MessageDto } from '@mpqcht/protocol';

import { ChannelTimeline } from './channel-timeline';

let n = 0;
function dto(seq: number, overrides: Partial<MessageDto> = {}): MessageDto {
  n++;
  return {
    id: `00000000-0000-7000-8000-${String(seq).padStart(12, '0')}`,
    channelId: 'lobby',
    seq,
    rev: seq,
    clientId: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    author: '02' + 'a'.repeat(64),
    content: `message ${seq}`,
    createdAt: new Date(1_700_000_000_000 + seq).toISOString(),
    editedAt: null,
    mentions: [],
    ...overrides,
  };
}

describe('ChannelTimeline', () => {
  it('keeps stored messages in seq order whatever order they arrive in', () => {
    const timeline = new ChannelTimeline('lobby');
    timeline.upsert(dto(3));
    timeline.upsert(dto(1));
    timeline.upsert(dto(2));
    expect(timeline.messages().map((m) => m.seq)).toEqual([1, 2, 3]);
  });

  it('turns a pending send into the stored message with the same client id, without a duplicate', () => {
    const timeline = new ChannelTimeline('lobby');
    timeline.upsert(dto(1));
    timeline.addPending({ clientId: 'c-1', author: 'me', content: 'hi' });
    expect(timeline.messages().map((m) => m.state)).toEqual(['sent', 'pending']);
    const stored = dto(2, { clientId: 'c-1', content: 'hi' });
    expect(timeline.upsert(stored)).toBe(true);
    // The push of the same message arrives after the ack: not new, not duplicated.
    expect(timeline.upsert(stored)).toBe(false);
    expect(timeline.messages().map((m) => [m.key, m.state, m.seq])).toEqual([
      [timeline.messages()[0]?.key, 'sent', 1],
      ['c-1', 'sent', 2],
    ]);
  });

  it('marks a failed send, keeps it after stored ones, and discards it on request', () => {
    const timeline = new ChannelTimeline('lobby');
    timeline.addPending({ clientId: 'c-2', author: 'me', content: 'lost' });
    timeline.setState('c-2', 'failed', 'offline');
    timeline.upsert(dto(5));
    expect(timeline.messages().map((m) => [m.clientId === 'c-2', m.state, m.error])).toEqual([
      [false, 'sent', undefined],
      [true, 'failed', 'offline'],
    ]);
    timeline.discard('c-2');
    expect(timeline.messages()).toHaveLength(1);
  });

  it('prepends an older page without duplicating what is cached', () => {
    const timeline = new ChannelTimeline('lobby');
    const five = dto(5);
    timeline.upsert(five);
    timeline.addPage([dto(3), dto(4), five]);
    expect(timeline.messages().map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(timeline.oldestSent()?.seq).toBe(3);
    expect(timeline.newestSent()?.seq).toBe(5);
  });

  it('removes a deleted message by id', () => {
    const timeline = new ChannelTimeline('lobby');
    const one = dto(1);
    timeline.upsert(one);
    timeline.upsert(dto(2));
    timeline.remove(one.id);
    expect(timeline.messages().map((m) => m.seq)).toEqual([2]);
  });
});
