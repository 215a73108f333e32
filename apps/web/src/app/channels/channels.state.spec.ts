import { channel, message, onlineHarness } from '../testing/fixtures';

describe('ServerConnection channels.changed', () => {
  it('replaces the groups and channels with the pushed list, read state included', async () => {
    const h = await onlineHarness({ channels: [channel('lobby'), channel('random')] });
    expect(h.channels.channels().map((c) => c.id)).toEqual(['lobby', 'random']);

    h.socket.push('channels.changed', {
      groups: [
        { id: 'general', name: 'General' },
        { id: 'staff', name: 'Staff' },
      ],
      channels: [
        channel('lobby', { lastSeq: 4 }, { lastReadSeq: 2, unreadCount: 2 }),
        channel('staff-room', { groupId: 'staff', lastSeq: 7 }, { unreadCount: 7, mentionCount: 1 }),
      ],
    });

    expect(h.channels.groups()).toEqual([
      { id: 'general', name: 'General' },
      { id: 'staff', name: 'Staff' },
    ]);
    expect(
      h.channels.channels().map(({ id, groupId, lastSeq, unread, mentions }) => ({
        id,
        groupId,
        lastSeq,
        unread,
        mentions,
      })),
    ).toEqual([
      { id: 'lobby', groupId: 'general', lastSeq: 4, unread: 2, mentions: 0 },
      { id: 'staff-room', groupId: 'staff', lastSeq: 7, unread: 7, mentions: 1 },
    ]);
    expect(h.channels.unreadTotal()).toBe(9);
  });

  it('drops a channel that is no longer visible and counts pushes only for listed channels', async () => {
    const h = await onlineHarness({
      channels: [channel('lobby'), channel('staff-room', { groupId: 'staff' })],
    });

    h.socket.push('channels.changed', {
      groups: [{ id: 'general', name: 'General' }],
      channels: [channel('lobby')],
    });
    h.socket.push('message.created', message('lobby', 1));

    expect(h.channels.groups()).toEqual([{ id: 'general', name: 'General' }]);
    expect(h.channels.channels().map((c) => [c.id, c.unread])).toEqual([['lobby', 1]]);
  });
});
