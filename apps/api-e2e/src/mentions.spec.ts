import { randomUUID } from 'node:crypto';

import type { ChannelDto, MessageDto, ReadStateDto } from '@mpqcht/protocol';

import { connect, nextPush, ok, type TestSocket } from './support/client';
import { newIdentity } from './support/identity';
import {
  type Community,
  extraChannels,
  type JoinedMember,
  send,
  startCommunity,
} from './support/joined-members';
import { pushMatching } from './support/push-matching';

describe('mentions', () => {
  let c: Community;

  beforeAll(async () => {
    c = await startCommunity(extraChannels(['pings', 'counts', 'edits', 'deletes', 'late']));
  });

  afterAll(async () => {
    await c.close();
  });

  async function storedMentions(messageId: string): Promise<string[]> {
    const result = await c.db.query<{ mentions: string[] }>('SELECT mentions FROM messages WHERE id = $1', [
      messageId,
    ]);
    const row = result.rows[0];
    if (!row) throw new Error(`no row for message ${messageId}`);
    return row.mentions;
  }

  async function channelFor(member: JoinedMember, channelId: string): Promise<ChannelDto> {
    const list = await ok(member.socket, 'channels.list', {});
    const channel = list.channels.find((ch) => ch.id === channelId);
    if (!channel) throw new Error(`channel ${channelId} is not listed`);
    return channel;
  }

  async function readState(member: JoinedMember, channelId: string): Promise<ReadStateDto> {
    return (await channelFor(member, channelId)).readState;
  }

  async function counts(member: JoinedMember, channelId: string) {
    const state = await readState(member, channelId);
    return { unreadCount: state.unreadCount, mentionCount: state.mentionCount };
  }

  it('resolves mentions on send: the ack, the push, the row and history carry the keys', async () => {
    const { root, alice, bob } = c;
    const clientId = randomUUID();
    const content = 'hi @Bob and @ROOT, not `@Alice`, not @Bobby, again @bob';
    const bobPush = pushMatching(bob.socket, 'message.created', (m) => m.clientId === clientId);
    const rootPush = pushMatching(root.socket, 'message.created', (m) => m.clientId === clientId);
    const sent = await ok(alice.socket, 'messages.send', { channelId: 'pings', clientId, content });

    expect(sent).toMatchObject({
      author: alice.publicKey,
      content,
      mentions: [bob.publicKey, root.publicKey],
    });
    expect(await bobPush).toEqual(sent);
    expect(await rootPush).toEqual(sent);
    expect(await storedMentions(sent.id)).toEqual([bob.publicKey, root.publicKey]);

    // A retry returns the stored message, mentions included.
    expect(await ok(alice.socket, 'messages.send', { channelId: 'pings', clientId, content })).toEqual(sent);

    const plain = await send(bob.socket, 'pings', 'no mention here, mail me at bob@example.org');
    expect(plain.mentions).toEqual([]);
    const page = await ok(root.socket, 'messages.history', { channelId: 'pings' });
    expect(page.messages).toEqual([sent, plain]);
  });

  it('counts mentions per member in channels.list, not one’s own, and markRead clears them', async () => {
    const { root, alice, bob } = c;
    const m1 = await send(alice.socket, 'counts', '@Bob look at this');
    const m2 = await send(root.socket, 'counts', '@bob and @Alice, meeting at noon');
    const m3 = await send(bob.socket, 'counts', '@Bob note to self');
    const m4 = await send(alice.socket, 'counts', '@Alice note to self');
    const m5 = await send(alice.socket, 'counts', 'nothing for anyone');
    expect([m1, m2, m3, m4, m5].map((m) => m.mentions)).toEqual([
      [bob.publicKey],
      [bob.publicKey, alice.publicKey],
      [bob.publicKey],
      [alice.publicKey],
      [],
    ]);

    expect(await counts(bob, 'counts')).toEqual({ unreadCount: 4, mentionCount: 2 });
    expect(await counts(alice, 'counts')).toEqual({ unreadCount: 2, mentionCount: 1 });
    expect(await counts(root, 'counts')).toEqual({ unreadCount: 4, mentionCount: 0 });
    expect(await counts(bob, 'pings')).toEqual({ unreadCount: 1, mentionCount: 1 });

    const bobOther = await c.connectAgain(bob);
    const pushed = nextPush(bobOther, 'readState.updated');
    const afterFirst = await ok(bob.socket, 'channels.markRead', { channelId: 'counts', messageId: m1.id });
    expect(afterFirst).toEqual({
      channelId: 'counts',
      lastReadSeq: m1.seq,
      lastReadMessageId: m1.id,
      unreadCount: 3,
      mentionCount: 1,
    });
    expect(await pushed).toEqual(afterFirst);

    const afterAll = await ok(bob.socket, 'channels.markRead', { channelId: 'counts', messageId: m5.id });
    expect(afterAll).toMatchObject({ lastReadSeq: m5.seq, unreadCount: 0, mentionCount: 0 });
    expect(await readState(bob, 'counts')).toEqual(afterAll);
    // Alice's count is her own: Bob reading changed nothing for her.
    expect(await counts(alice, 'counts')).toEqual({ unreadCount: 2, mentionCount: 1 });
    bobOther.close();
  });

  it('resolves mentions again on edit and updates the counts', async () => {
    const { root, alice, bob } = c;
    const original = await send(alice.socket, 'edits', '@Bob can you review?');
    expect(original.mentions).toEqual([bob.publicKey]);
    expect(await counts(bob, 'edits')).toEqual({ unreadCount: 1, mentionCount: 1 });

    const bobSees = nextPush(bob.socket, 'message.updated');
    const edited = await ok(alice.socket, 'messages.edit', {
      messageId: original.id,
      content: 'never mind, @Root can',
    });
    expect(edited).toEqual({
      ...original,
      content: 'never mind, @Root can',
      mentions: [root.publicKey],
      editedAt: edited.editedAt,
      rev: original.rev + 1,
    });
    expect(await bobSees).toEqual(edited);
    expect(await storedMentions(original.id)).toEqual([root.publicKey]);
    expect(await counts(bob, 'edits')).toEqual({ unreadCount: 1, mentionCount: 0 });
    expect(await counts(root, 'edits')).toEqual({ unreadCount: 1, mentionCount: 1 });

    const both = await ok(alice.socket, 'messages.edit', {
      messageId: original.id,
      content: '@Root and @Bob, both of you',
    });
    expect(both.mentions).toEqual([root.publicKey, bob.publicKey]);
    expect(await counts(bob, 'edits')).toEqual({ unreadCount: 1, mentionCount: 1 });

    const none = await ok(alice.socket, 'messages.edit', { messageId: original.id, content: 'all sorted' });
    expect(none.mentions).toEqual([]);
    expect(await storedMentions(original.id)).toEqual([]);
    expect(await counts(bob, 'edits')).toEqual({ unreadCount: 1, mentionCount: 0 });
    expect(await counts(root, 'edits')).toEqual({ unreadCount: 1, mentionCount: 0 });
  });

  it('no longer counts a deleted message, and clears its mentions', async () => {
    const { root, alice } = c;
    const kept = await send(root.socket, 'deletes', '@Alice first');
    const gone = await send(root.socket, 'deletes', '@Alice second');
    expect(await counts(alice, 'deletes')).toEqual({ unreadCount: 2, mentionCount: 2 });

    await ok(root.socket, 'messages.delete', { messageId: gone.id });
    expect(await counts(alice, 'deletes')).toEqual({ unreadCount: 1, mentionCount: 1 });
    expect(await storedMentions(gone.id)).toEqual([]);
    expect(await storedMentions(kept.id)).toEqual([alice.publicKey]);
  });

  it('resolves a member who joins later at once, and no longer after a revocation', async () => {
    const { root, alice } = c;
    const carolKey = await newIdentity();
    await ok(root.socket, 'members.authorize', { publicKey: carolKey.publicKey.hex, roles: [] });
    // Authorized but not joined: not a name yet.
    expect((await send(alice.socket, 'late', '@Carol are you there?')).mentions).toEqual([]);

    let carol: TestSocket | undefined;
    try {
      carol = await connect(c.api, carolKey);
      await ok(carol, 'member.join', { displayName: 'Carol' });
      const welcome = await send(alice.socket, 'late', 'welcome @carol!');
      expect(welcome.mentions).toEqual([carolKey.publicKey.hex]);
      const state = (await ok(carol, 'channels.list', {})).channels.find((ch) => ch.id === 'late')?.readState;
      expect(state).toMatchObject({ unreadCount: 2, mentionCount: 1 });

      await ok(root.socket, 'members.revoke', { publicKey: carolKey.publicKey.hex });
      expect((await send(alice.socket, 'late', 'bye @Carol')).mentions).toEqual([]);
    } finally {
      carol?.close();
    }
  });

  it('keeps a mention of a member whose name is a prefix of a joined one apart', async () => {
    const { root, alice } = c;
    const key = await newIdentity();
    await ok(root.socket, 'members.authorize', { publicKey: key.publicKey.hex, roles: [] });
    const socket = await connect(c.api, key);
    try {
      await ok(socket, 'member.join', { displayName: 'Alice Liddell' });
      const messages: MessageDto[] = [
        await send(root.socket, 'late', '@Alice Liddell, down the rabbit hole'),
        await send(root.socket, 'late', '@Alice, not Liddell'),
        await send(root.socket, 'late', '@Alicea is nobody'),
      ];
      expect(messages.map((m) => m.mentions)).toEqual([[key.publicKey.hex], [alice.publicKey], []]);
    } finally {
      socket.close();
    }
  });
});
