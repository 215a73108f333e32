import { Injector } from '@angular/core';

import type { VoiceChannelDto } from '@mpqcht/protocol';

import { channel, onlineHarness, OTHER_KEY, participant, settle, until } from '../testing/fixtures';
import { ActiveCall } from './active-call';
import { VoiceState } from './voice.state';

const voice: VoiceChannelDto = {
  maxParticipants: 8,
  bitrate: 64_000,
  rights: {
    connect: true,
    speak: true,
    video: true,
    screen_share: true,
    mute_members: false,
    move_members: false,
  },
};
const ICE = { iceServers: [], expiresAt: null };
const ADA = participant('p-ada', OTHER_KEY, 'Ada');

describe('VoiceState', () => {
  async function setup(options: { parent?: Injector; url?: string } = {}) {
    const h = await onlineHarness({
      channels: [channel('lobby'), channel('hangout', { voice })],
      voiceRooms: [{ channelId: 'hangout', participants: [ADA] }],
      ...options,
    });
    const me = participant(`p-me-${options.url ?? 'a'}`, h.self.publicKey, 'Me');
    h.socket.handle('voice.join', ({ channelId }) => ({
      ok: true,
      data: { room: { channelId, participants: [ADA, me] }, self: me, ice: ICE, bitrate: 64_000 },
    }));
    h.socket.handle('voice.leave', () => ({ ok: true, data: { channelId: 'hangout' } }));
    h.socket.handle('voice.update', (change) => ({ ok: true, data: { ...me, ...change } }));
    const state = h.connection.get(VoiceState);
    await settle();
    return { ...h, me, state };
  }

  it('asks voice.rooms after the login and follows voice.room pushes', async () => {
    const { state, socket } = await setup();
    expect(socket.sent('voice.rooms')).toHaveLength(1);
    expect(state.room('hangout').map((p) => p.displayName)).toEqual(['Ada']);
    expect(state.room('lobby')).toEqual([]);
    expect(state.self()).toBeNull();

    socket.push('voice.room', { channelId: 'hangout', participants: [{ ...ADA, speaking: true }] });
    expect(state.room('hangout')[0]?.speaking).toBe(true);
    socket.push('voice.room', { channelId: 'hangout', participants: [] });
    expect(state.room('hangout')).toEqual([]);
    expect(state.rooms().size).toBe(0);
  });

  it('keeps a push that came before the answer to voice.rooms', async () => {
    const { state, socket } = await setup();
    socket.unhandle('voice.rooms');
    socket.serverDisconnect();
    socket.serverConnect();
    await until(() => socket.pending('voice.rooms') !== undefined, 'voice.rooms');
    socket.push('voice.room', { channelId: 'hangout', participants: [] });
    socket.pending('voice.rooms')?.ok([{ channelId: 'hangout', participants: [ADA] }]);
    await settle();
    expect(state.room('hangout')).toEqual([]);
  });

  it('after a reconnect joins the same call again, muted as before', async () => {
    const { state, socket } = await setup();
    await state.join('hangout');
    await state.setMuted(true);
    socket.serverDisconnect();
    socket.serverConnect();
    await until(() => socket.sent('voice.join').length === 2, 'the second voice.join');
    await settle();
    expect(socket.sent('voice.join')[1]?.payload).toEqual({ channelId: 'hangout' });
    expect(socket.sent('voice.update').map((r) => r.payload)).toEqual([{ muted: true }, { muted: true }]);
    expect(state.self()?.participant.muted).toBe(true);
  });

  it('joins with voice.join, and self is this connection in that call', async () => {
    const { state, socket, me } = await setup();
    await state.join('hangout');
    expect(socket.sent('voice.join').map((r) => r.payload)).toEqual([{ channelId: 'hangout' }]);
    expect(state.self()).toEqual({ channelId: 'hangout', participant: me });
    expect(state.room('hangout').map((p) => p.displayName)).toEqual(['Ada', 'Me']);
    expect(state.media()).toEqual({ ice: ICE, bitrate: 64_000 });
    expect(state.place()?.channel).toBe('hangout');

    // Joining the call it is in asks nothing.
    await state.join('hangout');
    expect(socket.sent('voice.join')).toHaveLength(1);
  });

  it('mutes and deafens with voice.update and shows what the server answered', async () => {
    const { state, socket } = await setup();
    await state.join('hangout');
    await state.setMuted(true);
    await state.setDeafened(true);
    expect(socket.sent('voice.update').map((r) => r.payload)).toEqual([{ muted: true }, { deafened: true }]);
    expect(state.self()?.participant.deafened).toBe(true);
    await state.setMuted(false);
    expect(state.self()?.participant.muted).toBe(false);
  });

  it('leaves with voice.leave and drops self at once', async () => {
    const { state, socket } = await setup();
    await state.join('hangout');
    const leaving = state.leave();
    expect(state.self()).toBeNull();
    expect(state.room('hangout').map((p) => p.displayName)).toEqual(['Ada']);
    await leaving;
    expect(socket.sent('voice.leave').map((r) => r.payload)).toEqual([{}]);
  });

  it('a voice.room without this connection means it was removed', async () => {
    const { state, socket } = await setup();
    await state.join('hangout');
    socket.push('voice.room', { channelId: 'hangout', participants: [ADA] });
    expect(state.self()).toBeNull();
    expect(state.notice()).toMatch(/removed/);
  });

  it('a refused join says why and leaves self null', async () => {
    const { state, socket } = await setup();
    socket.unhandle('voice.join');
    const join = state.join('hangout');
    await until(() => socket.pending('voice.join') !== undefined, 'voice.join');
    socket.pending('voice.join')?.error('voice_full', 'full', { maxParticipants: 8 });
    await expect(join).rejects.toThrow();
    expect(state.self()).toBeNull();
    expect(state.notice()).toBe('The call is full.');
  });

  it('is in one call across the servers of the page: joining on another server leaves the first', async () => {
    const parent = Injector.create({ providers: [{ provide: ActiveCall, useValue: new ActiveCall() }] });
    const a = await setup({ parent });
    const b = await setup({ parent, url: 'https://other.example.org' });
    const call = parent.get(ActiveCall);

    await a.state.join('hangout');
    expect(call.holder()).toBe(a.state);
    await b.state.join('hangout');
    expect(a.socket.sent('voice.leave')).toHaveLength(1);
    expect(a.state.self()).toBeNull();
    expect(b.state.self()?.channelId).toBe('hangout');
    expect(call.holder()).toBe(b.state);

    await b.state.leave();
    expect(call.holder()).toBeNull();
  });
});
