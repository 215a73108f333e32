import { screenshot } from './support/browser';
import { defined, WAIT, waitUntil } from './support/pages';
import { inCall, startVoiceCommunity, type VoiceCommunity } from './support/voice-call';
import { audioFlowsInto, voiceStats } from './support/voice-stats';

/**
 * The audio of a call between two real Chromiums (fake microphones): both join, each peer
 * connection carries audio both ways, the remote audio plays in an `<audio>` element, a mute
 * reaches the other side, and leaving closes the connection.
 */
describe('web client: the audio of a voice call', () => {
  let call: VoiceCommunity;

  beforeAll(async () => {
    call = await startVoiceCommunity('media', true);
  }, 180_000);

  afterAll(async () => {
    // Undefined when beforeAll failed.
    await (call as VoiceCommunity | undefined)?.close();
  }, 60_000);

  it('audio flows both ways between two members in a call; a mute reaches the other; leaving closes', async () => {
    const a = call.ada.page;
    const b = call.brook.page;
    await a.locator('[data-join-voice="lounge"]').click();
    await inCall(a, 'Ada').waitFor({ timeout: WAIT });
    await b.locator('[data-join-voice="lounge"]').click();
    await inCall(b, 'Brook').waitFor({ timeout: WAIT });
    await inCall(a, 'Brook').waitFor({ timeout: WAIT });

    await audioFlowsInto(a, 'Ada');
    await audioFlowsInto(b, 'Brook');
    for (const page of [a, b]) {
      const stats = defined((await voiceStats(page))[0], 'the peer connection');
      expect(stats.connectionState).toBe('connected');
      expect(stats.bytesSent).toBeGreaterThan(0);
      // The other's audio plays in a hidden <audio autoplay> element, not muted.
      const audio = page.locator('[data-voice-audio] audio');
      expect(await audio.count()).toBe(1);
      expect(await audio.evaluate((el: HTMLAudioElement) => el.srcObject !== null && !el.muted)).toBe(true);
    }
    await screenshot(b, 'voice-media-01-both-hear');

    // Ada mutes: her microphone track is disabled, and Brook sees it.
    await a.locator('[data-test=voice-mute]').click();
    await inCall(b, 'Ada').locator('[data-test=participant-muted]').waitFor({ timeout: WAIT });

    // Brook deafens: Ada's audio element is muted on his page.
    await b.locator('[data-test=voice-deafen]').click();
    await waitUntil(
      () => b.locator('[data-voice-audio] audio').evaluate((el: HTMLAudioElement) => el.muted),
      "Ada's audio muted for deafened Brook",
    );

    // Brook leaves: both peer connections are dropped.
    await b.locator('[data-test=voice-leave]').click();
    await waitUntil(async () => (await voiceStats(a)).length === 0, "Ada's link to Brook closed");
    await waitUntil(async () => (await voiceStats(b)).length === 0, "Brook's links closed");
    expect(await b.locator('[data-voice-audio]').count()).toBe(0);
  });
});
