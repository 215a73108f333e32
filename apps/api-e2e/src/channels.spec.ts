import { randomUUID } from 'node:crypto';

import { type ChannelDto, type MessageDto, type ReadStateDto, TYPING_TTL_MS } from '@mpqcht/protocol';

import { collectPushes, fails, nextPush, ok, type TestSocket } from './support/client';
import {
  type Community,
  extraChannels,
  type JoinedMember,
  send,
  sendMarker,
  startCommunity,
} from './support/joined-members';
import { pushMatching } from './support/push-matching';

const OFFTOPIC = `
[[groups]]
id = "offtopic"
name = "Off topic"

[[channels]]
id = "games"
name = "Games"
group = "offtopic"
topic = "Board games and more"
`;

function unread(channelId: string): ReadStateDto {
  return { channelId, lastReadSeq: 0, lastReadMessageId: null, unreadCount: 0, mentionCount: 0 };
}

function channelOf(list: { channels: readonly ChannelDto[] }, id: string): ChannelDto {
  const channel = list.channels.find((c) => c.id === id);
  if (!channel) throw new Error(`channel ${id} is not listed`);
  return channel;
}

/** What a member without roles may do in a channel of the test config.toml (its defaults). */
const PLAIN_RIGHTS = {
  write: true,
  moderate: false,
  manage: false,
  create_threads: true,
  manage_threads: false,
  maxMessageLength: 500,
  slowmodeMs: 0,
};

describe('channels', () => {
  let c: Community;

  beforeAll(async () => {
    c = await startCommunity(extraChannels(['counts', 'reads']) + OFFTOPIC);
  });

  afterAll(async () => {
    await c.close();
  });

  describe('channels.list', () => {
    it('lists the groups and channels from config, with no messages and nothing read', async () => {
      const list = await ok(c.alice.socket, 'channels.list', {});
      const plain = (id: string, groupId = 'general', name = id, topic = '') => ({
        id,
        name,
        groupId,
        topic,
        lastSeq: 0,
        lastRev: 0,
        readState: unread(id),
        // A plain member: the defaults of config.toml.
        rights: PLAIN_RIGHTS,
      });
      expect(list).toEqual({
        groups: [
          { id: 'general', name: 'General' },
          { id: 'offtopic', name: 'Off topic' },
        ],
        channels: [
          plain('lobby'),
          plain('random'),
          plain('counts'),
          plain('reads'),
          plain('games', 'offtopic', 'Games', 'Board games and more'),
        ],
      });
    });

    it('counts lastSeq and, per member, unread messages by others that are not deleted', async () => {
      const { root, alice, bob } = c;
      await send(alice.socket, 'counts', 'a1');
      await send(alice.socket, 'counts', 'a2');
      const bobsFirst = await send(bob.socket, 'counts', 'b1');
      await send(root.socket, 'counts', 'r1');
      await send(bob.socket, 'counts', 'b2');
      const last = await send(alice.socket, 'counts', 'a3');
      expect(last.seq).toBe(6);
      await ok(bob.socket, 'messages.delete', { messageId: bobsFirst.id });

      // Alice: bob 1 (one deleted) + root 1. Bob: alice 3 + root 1. Root: alice 3 + bob 1.
      const expected: [JoinedMember, number][] = [
        [alice, 2],
        [bob, 4],
        [root, 4],
      ];
      for (const [member, unreadCount] of expected) {
        const list = await ok(member.socket, 'channels.list', {});
        expect(channelOf(list, 'counts')).toMatchObject({
          lastSeq: 6,
          readState: { channelId: 'counts', lastReadSeq: 0, lastReadMessageId: null, unreadCount },
        });
        expect(channelOf(list, 'random')).toMatchObject({ lastSeq: 0, readState: unread('random') });
      }
    });
  });

  describe('channels.markRead', () => {
    let sent: MessageDto[] = [];
    let aliceOther: TestSocket;

    beforeAll(async () => {
      sent = [];
      for (let i = 1; i <= 5; i++) sent.push(await send(c.bob.socket, 'reads', `b${i}`));
      aliceOther = await c.connectAgain(c.alice);
    });

    function message(seq: number): MessageDto {
      const found = sent.find((m) => m.seq === seq);
      if (!found) throw new Error(`no message ${seq}`);
      return found;
    }

    async function markerRow(memberKey: string, channelId: string) {
      const result = await c.db.query<{ last_read_seq: string; last_read_message_id: string | null }>(
        'SELECT last_read_seq, last_read_message_id FROM read_markers WHERE member_key = $1 AND channel_id = $2',
        [memberKey, channelId],
      );
      return result.rows;
    }

    it('moves the marker forward, returns the unread count, and tells the member’s other device', async () => {
      const { alice } = c;
      const third = message(3);
      const pushed = nextPush(aliceOther, 'readState.updated');
      const state = await ok(alice.socket, 'channels.markRead', { channelId: 'reads', messageId: third.id });
      expect(state).toEqual({
        channelId: 'reads',
        lastReadSeq: 3,
        lastReadMessageId: third.id,
        unreadCount: 2,
        mentionCount: 0,
      });
      expect(await pushed).toEqual(state);
      expect(await markerRow(alice.publicKey, 'reads')).toEqual([
        { last_read_seq: '3', last_read_message_id: third.id },
      ]);
    });

    it('never moves the marker backwards', async () => {
      const { alice } = c;
      const state = await ok(alice.socket, 'channels.markRead', {
        channelId: 'reads',
        messageId: message(2).id,
      });
      expect(state).toEqual({
        channelId: 'reads',
        lastReadSeq: 3,
        lastReadMessageId: message(3).id,
        unreadCount: 2,
        mentionCount: 0,
      });
      expect(await markerRow(alice.publicKey, 'reads')).toEqual([
        { last_read_seq: '3', last_read_message_id: message(3).id },
      ]);

      const fifth = message(5);
      const pushed = pushMatching(aliceOther, 'readState.updated', (s) => s.lastReadSeq === 5);
      const latest = await ok(alice.socket, 'channels.markRead', { channelId: 'reads', messageId: fifth.id });
      expect(latest).toEqual({
        channelId: 'reads',
        lastReadSeq: 5,
        lastReadMessageId: fifth.id,
        unreadCount: 0,
        mentionCount: 0,
      });
      expect(await pushed).toEqual(latest);
    });

    it('keeps read markers per member and tells no one else', async () => {
      const { alice, bob } = c;
      sent.push(await send(bob.socket, 'reads', 'b6'));
      const bobGets = collectPushes(bob.socket, 'readState.updated');
      const state = await ok(alice.socket, 'channels.markRead', {
        channelId: 'reads',
        messageId: message(6).id,
      });
      expect(state).toMatchObject({ lastReadSeq: 6, unreadCount: 0 });
      await sendMarker(alice.socket, bob.socket, 'reads');
      expect(bobGets).toEqual([]);

      // Bob's own marker is untouched by Alice's; his unread count is Alice's messages only.
      const bobs = channelOf(await ok(bob.socket, 'channels.list', {}), 'reads');
      expect(bobs).toMatchObject({ lastSeq: 7, readState: { ...unread('reads'), unreadCount: 1 } });
      expect(await markerRow(bob.publicKey, 'reads')).toEqual([]);
    });

    it('counts only others’ new messages and keeps the state across a reconnect', async () => {
      const { alice, bob } = c;
      await send(alice.socket, 'reads', 'my own message');
      const before = channelOf(await ok(alice.socket, 'channels.list', {}), 'reads');
      expect(before).toEqual({
        id: 'reads',
        name: 'reads',
        groupId: 'general',
        topic: '',
        lastSeq: 8,
        lastRev: 8,
        readState: {
          channelId: 'reads',
          lastReadSeq: 6,
          lastReadMessageId: message(6).id,
          unreadCount: 0,
          mentionCount: 0,
        },
        rights: PLAIN_RIGHTS,
      });

      const newer = await send(bob.socket, 'reads', 'b-new');
      expect(newer.seq).toBe(9);
      // Every socket of Alice's key goes away; a new login sees the same state from the server.
      alice.socket.close();
      aliceOther.close();
      alice.socket = await c.connectAgain(alice);
      const after = channelOf(await ok(alice.socket, 'channels.list', {}), 'reads');
      expect(after).toEqual({
        ...before,
        lastSeq: 9,
        lastRev: 9,
        readState: { ...before.readState, unreadCount: 1 },
      });
    });

    it('answers not_found for a message of another channel, an unknown message or channel', async () => {
      const { alice, bob } = c;
      const elsewhere = await send(bob.socket, 'lobby', 'not in reads');
      expect(
        await fails(alice.socket, 'channels.markRead', { channelId: 'reads', messageId: elsewhere.id }),
      ).toBe('not_found');
      expect(
        await fails(alice.socket, 'channels.markRead', { channelId: 'reads', messageId: randomUUID() }),
      ).toBe('not_found');
      expect(
        await fails(alice.socket, 'channels.markRead', { channelId: 'nowhere', messageId: elsewhere.id }),
      ).toBe('not_found');
      expect(await markerRow(alice.publicKey, 'reads')).toEqual([
        { last_read_seq: '6', last_read_message_id: message(6).id },
      ]);
      expect(await markerRow(alice.publicKey, 'lobby')).toEqual([]);
      expect(await markerRow(alice.publicKey, 'nowhere')).toEqual([]);
    });
  });

  describe('typing.start', () => {
    it('tells the other members of the channel who is typing, but not the sender', async () => {
      const { root, alice, bob } = c;
      const aliceGets = collectPushes(alice.socket, 'typing.started');
      const bobSees = nextPush(bob.socket, 'typing.started');
      const rootSees = nextPush(root.socket, 'typing.started');
      expect(await ok(alice.socket, 'typing.start', { channelId: 'lobby' })).toEqual({});
      const expected = {
        channelId: 'lobby',
        publicKey: alice.publicKey,
        displayName: 'Alice',
        expiresInMs: TYPING_TTL_MS,
      };
      expect(await bobSees).toEqual(expected);
      expect(await rootSees).toEqual(expected);

      // Pushes arrive in order: once Bob's later typing reaches Alice, hers would have too.
      const aliceSeesBob = nextPush(alice.socket, 'typing.started');
      await ok(bob.socket, 'typing.start', { channelId: 'games' });
      const bobs = {
        channelId: 'games',
        publicKey: bob.publicKey,
        displayName: 'Bob',
        expiresInMs: TYPING_TTL_MS,
      };
      expect(await aliceSeesBob).toEqual(bobs);
      expect(aliceGets).toEqual([bobs]);
    });

    it('answers not_found for an unknown channel and pushes nothing', async () => {
      const { alice, bob } = c;
      const bobGets = collectPushes(bob.socket, 'typing.started');
      expect(await fails(alice.socket, 'typing.start', { channelId: 'nowhere' })).toBe('not_found');
      await sendMarker(alice.socket, bob.socket, 'lobby');
      expect(bobGets).toEqual([]);
    });
  });
});
