import type { VoiceRoomDto } from '@mpqcht/protocol';

import { collectPushes, fails, nextPush, ok, request, type TestSocket } from './support/client';
import { newIdentity } from './support/identity';
import { type Community, type JoinedMember, sendMarker, startCommunity } from './support/joined-members';
import { pushMatching } from './support/push-matching';

/**
 * Voice calls over the protocol: joining by `connect`, the room pushed to the channel's viewers,
 * signalling relayed only inside one call, limits, moderator mutes, and leaving on disconnect.
 */
const VOICE_CHANNELS = `
[[roles]]
id = "listener"
name = "Listener"

[[roles]]
id = "banned-from-calls"
name = "No calls"

[[channels]]
id = "hangout"
name = "Hangout"
group = "general"
kind = "voice"

[[channels.overrides]]
role = "listener"
deny = ["speak", "video"]

[[channels.overrides]]
role = "banned-from-calls"
deny = ["connect"]

[[channels]]
id = "pair"
name = "Pair"
group = "general"
kind = "voice"
max_participants = 2
bitrate = 24000

[[channels]]
id = "backstage"
name = "Backstage"
group = "general"
kind = "voice"
default_permissions = { view = false }
`;

const names = (room: VoiceRoomDto) => room.participants.map((p) => p.displayName);
const roomOf = (socket: TestSocket, channelId: string, match: (room: VoiceRoomDto) => boolean) =>
  pushMatching(socket, 'voice.room', (room) => room.channelId === channelId && match(room));

describe('voice calls', () => {
  let c: Community;
  let extra = 0;

  beforeAll(async () => {
    c = await startCommunity(VOICE_CHANNELS);
  });

  afterAll(async () => {
    await c.close();
  });

  /** A member authorized with `roles`, joined under a fresh name. */
  async function member(roles: string[]): Promise<JoinedMember & { socket: TestSocket }> {
    extra += 1;
    const displayName = `Extra ${extra}`;
    const identity = await newIdentity();
    await ok(c.root.socket, 'members.authorize', { publicKey: identity.publicKey.hex, roles });
    const socket = await c.connectAgain({
      identity,
      publicKey: identity.publicKey.hex,
      displayName: '',
      socket: c.root.socket,
    });
    await ok(socket, 'member.join', { displayName });
    return { identity, publicKey: identity.publicKey.hex, displayName, socket };
  }

  it('lists the voice channels a member can view, each with who is in its call', async () => {
    const rooms = await ok(c.alice.socket, 'voice.rooms', {});
    expect(rooms).toEqual([
      { channelId: 'hangout', participants: [] },
      { channelId: 'pair', participants: [] },
    ]);
    const list = await ok(c.alice.socket, 'channels.list', {});
    expect(list.channels.find((ch) => ch.id === 'pair')?.voice).toEqual({
      maxParticipants: 2,
      bitrate: 24_000,
      rights: {
        connect: true,
        speak: true,
        video: true,
        screen_share: true,
        mute_members: false,
        move_members: false,
      },
    });
    expect(list.channels.find((ch) => ch.id === 'lobby')?.voice).toBeUndefined();
  });

  it('joins, tells every viewer who is in the call, relays signalling between its participants, and leaves', async () => {
    const bobSeesAlice = roomOf(c.bob.socket, 'hangout', (r) => names(r).includes('Alice'));
    const joined = await ok(c.alice.socket, 'voice.join', { channelId: 'hangout' });
    expect(joined.bitrate).toBe(64_000);
    expect(joined.ice).toEqual({ iceServers: [], expiresAt: null }); // no TURN_URLS: host candidates only
    expect(joined.self).toMatchObject({ displayName: 'Alice', muted: false, serverMuted: false });
    expect(names(joined.room)).toEqual(['Alice']);
    expect(names(await bobSeesAlice)).toEqual(['Alice']);

    const aliceSeesBob = roomOf(c.alice.socket, 'hangout', (r) => r.participants.length === 2);
    const bobJoined = await ok(c.bob.socket, 'voice.join', { channelId: 'hangout' });
    expect(names(await aliceSeesBob)).toEqual(['Alice', 'Bob']);

    // An offer from Alice to Bob reaches Bob's connection, and only it.
    const rootSaw = collectPushes(c.root.socket, 'voice.signal');
    const offer = nextPush(c.bob.socket, 'voice.signal');
    // With what each of Alice's streams carries, so Bob tells her screen from her camera.
    const streams = { 'mic-stream': 'microphone', 'screen-stream': 'screen' } as const;
    await ok(c.alice.socket, 'voice.signal', {
      to: bobJoined.self.participantId,
      description: { type: 'offer', sdp: 'v=0\r\n' },
      streams,
    });
    expect(await offer).toEqual({
      channelId: 'hangout',
      from: joined.self.participantId,
      description: { type: 'offer', sdp: 'v=0\r\n' },
      streams,
    });
    const candidate = nextPush(c.alice.socket, 'voice.signal');
    await ok(c.bob.socket, 'voice.signal', {
      to: joined.self.participantId,
      candidate: {
        candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
        sdpMid: '0',
        sdpMLineIndex: 0,
      },
    });
    expect((await candidate).candidate?.candidate).toContain('typ host');

    // Someone outside the call cannot signal into it, nor to a made-up participant.
    expect(
      await fails(c.root.socket, 'voice.signal', { to: joined.self.participantId, candidate: null }),
    ).toBe('not_in_voice');
    expect(
      await fails(c.alice.socket, 'voice.signal', {
        to: '00000000-0000-4000-8000-000000000000',
        candidate: null,
      }),
    ).toBe('not_in_voice');
    await sendMarker(c.alice.socket, c.root.socket, 'lobby');
    expect(rootSaw).toEqual([]);

    // Own state: pushed to the viewers.
    const deafened = roomOf(c.bob.socket, 'hangout', (r) => r.participants.some((p) => p.deafened));
    expect(await ok(c.alice.socket, 'voice.update', { deafened: true, camera: true })).toMatchObject({
      deafened: true,
      camera: true,
    });
    expect((await deafened).participants[0]).toMatchObject({
      displayName: 'Alice',
      deafened: true,
      camera: true,
    });

    const left = roomOf(c.bob.socket, 'hangout', (r) => r.participants.length === 1);
    expect(await ok(c.alice.socket, 'voice.leave', {})).toEqual({ channelId: 'hangout' });
    expect(names(await left)).toEqual(['Bob']);
    expect(await ok(c.alice.socket, 'voice.leave', {})).toEqual({ channelId: null });
    await ok(c.bob.socket, 'voice.leave', {});
  });

  it('refuses what it must, with clear codes', async () => {
    expect(await fails(c.alice.socket, 'voice.join', { channelId: 'lobby' })).toBe('not_voice_channel');
    // A hidden voice channel is refused exactly like one that does not exist.
    expect(await fails(c.alice.socket, 'voice.join', { channelId: 'backstage' })).toBe('not_found');
    expect(await fails(c.alice.socket, 'voice.join', { channelId: 'no-such-channel' })).toBe('not_found');
    expect(await fails(c.alice.socket, 'voice.update', { muted: true })).toBe('not_in_voice');
    const malformed = await request(c.alice.socket, 'voice.signal', {
      to: '00000000-0000-4000-8000-000000000000',
      description: { type: 'offer', sdp: 'x'.repeat(40_000) },
    });
    expect(malformed.ok ? null : malformed.error.code).toBe('validation_failed');
    const neither = await request(c.alice.socket, 'voice.signal', {
      to: '00000000-0000-4000-8000-000000000000',
    });
    expect(neither.ok ? null : neither.error.code).toBe('validation_failed');
    // Typed as the protocol's: the point is what the server does with what a client may send anyway.
    const badStreams = [
      { a: 'hologram' },
      { a: 'camera', b: 'camera', c: 'camera', d: 'camera' },
      { ['x'.repeat(65)]: 'camera' },
    ] as unknown as Record<string, 'camera'>[];
    for (const streams of badStreams) {
      const bad = await request(c.alice.socket, 'voice.signal', {
        to: '00000000-0000-4000-8000-000000000000',
        description: { type: 'offer', sdp: 'v=0' },
        streams,
      });
      expect(bad.ok ? null : bad.error.code).toBe('validation_failed');
    }
    // Stream kinds travel only with a description.
    const streamsAlone = await request(c.alice.socket, 'voice.signal', {
      to: '00000000-0000-4000-8000-000000000000',
      candidate: null,
      streams: { a: 'camera' },
    });
    expect(streamsAlone.ok ? null : streamsAlone.error.code).toBe('validation_failed');

    const noCalls = await member(['banned-from-calls']);
    expect(await fails(noCalls.socket, 'voice.join', { channelId: 'hangout' })).toBe('forbidden');

    // Without speak (and video): joined muted by the server, and cannot unmute or turn a camera on.
    const listener = await member(['listener']);
    const joined = await ok(listener.socket, 'voice.join', { channelId: 'hangout' });
    expect(joined.self).toMatchObject({ muted: true, serverMuted: true });
    expect(await fails(listener.socket, 'voice.update', { muted: false })).toBe('forbidden');
    expect(await fails(listener.socket, 'voice.update', { camera: true })).toBe('forbidden');
    // A plain member may not mute others.
    expect(
      await fails(c.alice.socket, 'voice.mute', {
        channelId: 'hangout',
        publicKey: listener.publicKey,
        muted: false,
      }),
    ).toBe('forbidden');
    await ok(listener.socket, 'voice.leave', {});
  });

  it('holds max_participants under concurrent joins (voice_full)', async () => {
    const joiners = await Promise.all([member([]), member([]), member([]), member([])]);
    const outcomes = await Promise.all(
      joiners.map((j) => request(j.socket, 'voice.join', { channelId: 'pair' })),
    );
    const codes = outcomes.map((o) => (o.ok ? 'ok' : o.error.code)).sort();
    expect(codes).toEqual(['ok', 'ok', 'voice_full', 'voice_full']);
    const room = (await ok(c.alice.socket, 'voice.rooms', {})).find((r) => r.channelId === 'pair');
    expect(room?.participants).toHaveLength(2);
    for (const j of joiners) await ok(j.socket, 'voice.leave', {});
  });

  it("enforces a moderator's mute, shown to everyone, until lifted", async () => {
    const speaker = await member([]);
    await ok(speaker.socket, 'voice.join', { channelId: 'hangout' });
    const shown = roomOf(c.alice.socket, 'hangout', (r) => r.participants.some((p) => p.serverMuted));
    const room = await ok(c.root.socket, 'voice.mute', {
      channelId: 'hangout',
      publicKey: speaker.publicKey,
      muted: true,
    });
    expect(room.participants.find((p) => p.publicKey === speaker.publicKey)).toMatchObject({
      muted: true,
      serverMuted: true,
    });
    await shown;
    expect(await fails(speaker.socket, 'voice.update', { muted: false })).toBe('forbidden');
    await ok(c.root.socket, 'voice.mute', {
      channelId: 'hangout',
      publicKey: speaker.publicKey,
      muted: false,
    });
    expect(await ok(speaker.socket, 'voice.update', { muted: false })).toMatchObject({
      muted: false,
      serverMuted: false,
    });
    expect(
      await fails(c.root.socket, 'voice.mute', {
        channelId: 'hangout',
        publicKey: c.alice.publicKey,
        muted: true,
      }),
    ).toBe('not_in_voice');
    await ok(speaker.socket, 'voice.leave', {});
  });

  it('takes a member out of the call at once when the connection closes or the member is kicked', async () => {
    const leaver = await member([]);
    const kicked = await member([]);
    await ok(leaver.socket, 'voice.join', { channelId: 'hangout' });
    await ok(kicked.socket, 'voice.join', { channelId: 'hangout' });

    const afterClose = roomOf(c.alice.socket, 'hangout', (r) => !names(r).includes(leaver.displayName));
    leaver.socket.close();
    expect(names(await afterClose)).toEqual([kicked.displayName]);

    const afterKick = roomOf(c.alice.socket, 'hangout', (r) => r.participants.length === 0);
    await ok(c.root.socket, 'members.kick', { publicKey: kicked.publicKey, reason: 'testing voice' });
    expect((await afterKick).participants).toEqual([]);
  });

  it('follows a role change at once: muted without speak, out of the call without connect', async () => {
    const changing = await member([]);
    await ok(changing.socket, 'voice.join', { channelId: 'hangout' });
    const muted = roomOf(c.alice.socket, 'hangout', (r) =>
      r.participants.some((p) => p.publicKey === changing.publicKey && p.serverMuted),
    );
    await ok(c.root.socket, 'members.setRoles', { publicKey: changing.publicKey, roles: ['listener'] });
    expect((await muted).participants.find((p) => p.publicKey === changing.publicKey)).toMatchObject({
      muted: true,
      serverMuted: true,
    });
    const removed = roomOf(
      c.alice.socket,
      'hangout',
      (r) => !r.participants.some((p) => p.publicKey === changing.publicKey),
    );
    await ok(c.root.socket, 'members.setRoles', {
      publicKey: changing.publicKey,
      roles: ['banned-from-calls'],
    });
    await removed;
    expect(await fails(changing.socket, 'voice.update', { deafened: true })).toBe('not_in_voice');
  });

  it('tells the call only to members who can view its channel', async () => {
    const seen = collectPushes(c.alice.socket, 'voice.room');
    await ok(c.root.socket, 'voice.join', { channelId: 'backstage' });
    await ok(c.root.socket, 'voice.leave', {});
    await sendMarker(c.root.socket, c.alice.socket, 'lobby');
    expect(seen.filter((r) => r.channelId === 'backstage')).toEqual([]);
  });
});
