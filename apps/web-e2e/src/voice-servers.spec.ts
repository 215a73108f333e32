import { deriveIdentity } from '@mpqcht/identity';
import type { VoiceRoomDto } from '@mpqcht/protocol';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { screenshot } from './support/browser';
import { addServer, channelTitle, rail, WAIT, waitUntil } from './support/pages';
import { connectAs, ok, type TestSocket } from './support/socket';
import { inCall, startVoiceCommunity, type VoiceCommunity } from './support/voice-call';
import { audioFlowsInto, voiceStats } from './support/voice-stats';

/** A second community of Ada's, text only: what she reads while her call goes on elsewhere. */
function elsewhereToml(rootKey: string): string {
  return [
    `[server]\nname = "Elsewhere"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nburst = 10000\nrate_per_second = 10000\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "plaza"\nname = "plaza"\ngroup = "general"\n`,
  ].join('\n');
}

/** Display names of the last `voice.room` push for Lounge, in joining order (muted marked). */
function lastLounge(rooms: readonly VoiceRoomDto[]): string[] | undefined {
  const room = rooms.filter((r) => r.channelId === 'lounge').at(-1);
  return room?.participants.map((p) => `${p.displayName}${p.muted ? ' (muted)' : ''}`);
}

/**
 * A call is the page's, not the screen's: Ada, in a call on Voices with Brook, goes to another
 * server (Elsewhere) and reads a text channel there; the call goes on (panel, audio both ways)
 * until she comes back and leaves. Meanwhile Cleo, a member of Voices who is not in the call
 * (a socket), follows it through `voice.room` pushes and receives none of its signaling.
 */
describe('web client: a call across servers, and a member outside it', () => {
  let call: VoiceCommunity;
  let elsewhere: ApiProcess;
  let adaElsewhere: TestSocket;
  let cleo: TestSocket;
  const cleoRooms: VoiceRoomDto[] = [];
  let cleoSignals = 0;

  beforeAll(async () => {
    call = await startVoiceCommunity('servers', true);
    const cleoIdentity = await deriveIdentity('cleo-servers-e2e', 'quartz meadow lantern ember');
    await ok(call.adaDevice, 'members.authorize', { publicKey: cleoIdentity.publicKey.hex });
    cleo = await connectAs(call.api.url, cleoIdentity);
    await ok(cleo, 'member.join', { displayName: 'Cleo' });
    cleo.on('voice.room', (room) => cleoRooms.push(room));
    cleo.on('voice.signal', () => cleoSignals++);

    const port = await freePort();
    elsewhere = await startApi({ configToml: elsewhereToml(call.identities.ada.publicKey.hex), port });
    adaElsewhere = await connectAs(elsewhere.url, call.identities.ada);
    await ok(adaElsewhere, 'member.join', { displayName: 'Ada' });
    // Ada's page has both servers; Brook's only Voices.
    const a = call.ada.page;
    await addServer(a, elsewhere.url);
    await channelTitle(a, 'plaza').waitFor({ timeout: WAIT });
    await rail(a, call.api.url).click();
    await channelTitle(a, 'lobby').waitFor({ timeout: WAIT });
  }, 240_000);

  afterAll(async () => {
    // Undefined when beforeAll failed.
    (cleo as TestSocket | undefined)?.close();
    (adaElsewhere as TestSocket | undefined)?.close();
    await (call as VoiceCommunity | undefined)?.close();
    await (elsewhere as ApiProcess | undefined)?.dispose();
  }, 60_000);

  it('the call survives reading another server: panel and audio both ways, then back and leave', async () => {
    const a = call.ada.page;
    const b = call.brook.page;
    const place = a.locator('[data-test=voice-panel] [data-test=voice-place]');
    await a.locator('[data-join-voice="lounge"]').click();
    await inCall(a, 'Ada').waitFor({ timeout: WAIT });
    await waitUntil(
      () => Promise.resolve(lastLounge(cleoRooms)?.join() === 'Ada'),
      'Cleo told that Ada joined',
    );
    await b.locator('[data-join-voice="lounge"]').click();
    await inCall(a, 'Brook').waitFor({ timeout: WAIT });
    await audioFlowsInto(a, 'Ada');
    await audioFlowsInto(b, 'Brook');
    await waitUntil(
      () => Promise.resolve(lastLounge(cleoRooms)?.join() === 'Ada,Brook'),
      'Cleo told that Brook joined after Ada',
    );

    // Ada goes to Elsewhere and reads plaza: Voices' sidebar is gone, the call is not.
    await rail(a, elsewhere.url).click();
    await a.locator('mq-channel-sidebar [data-channel="plaza"]').click();
    await channelTitle(a, 'plaza').waitFor({ timeout: WAIT });
    expect(await a.locator('[data-join-voice="lounge"], [data-voice-members="lounge"]').count()).toBe(0);
    await waitUntil(
      async () => (await place.textContent())?.trim() === 'Lounge / Voices',
      'the panel names the call',
    );
    // Audio keeps arriving on both sides after the switch (counted from now on).
    const [adaLink] = await audioFlowsInto(a, 'Ada, reading Elsewhere');
    const [brookLink] = await audioFlowsInto(b, 'Brook, with Ada elsewhere');
    expect(adaLink?.connectionState).toBe('connected');
    expect(brookLink?.connectionState).toBe('connected');
    await screenshot(a, 'voice-servers-01-ada-reads-elsewhere-in-a-call');

    // Brook mutes: Cleo, outside the call, is told.
    await b.locator('[data-test=voice-mute]').click();
    await waitUntil(
      () => Promise.resolve(lastLounge(cleoRooms)?.join() === 'Ada,Brook (muted)'),
      "Cleo told of Brook's mute",
    );

    // Back on Voices the call is listed as before; Leave ends Ada's part on both sides.
    await rail(a, call.api.url).click();
    await inCall(a, 'Brook').waitFor({ timeout: WAIT });
    await inCall(a, 'Ada').waitFor({ timeout: WAIT });
    await a.locator('[data-test=voice-leave]').click();
    await inCall(b, 'Ada').waitFor({ state: 'detached', timeout: WAIT });
    expect(await a.locator('[data-test=voice-panel]').count()).toBe(0);
    await waitUntil(async () => (await voiceStats(a)).length === 0, "Ada's links closed");
    await waitUntil(async () => (await voiceStats(b)).length === 0, "Brook's link to Ada closed");
    await waitUntil(
      () => Promise.resolve(lastLounge(cleoRooms)?.join() === 'Brook (muted)'),
      'Cleo told that Ada left',
    );
    // The call's offers, answers and candidates went to its participants only.
    expect(cleoSignals).toBe(0);
  });
});
