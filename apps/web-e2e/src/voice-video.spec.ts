import type { Locator, Page } from 'playwright-core';

import { screenshot } from './support/browser';
import { defined, WAIT, waitUntil } from './support/pages';
import { inCall, startVoiceCommunity, type VoiceCommunity } from './support/voice-call';
import { audioFlowsInto, voiceStats } from './support/voice-stats';

/** A grid tile of `name` on `page` (`kind`: camera, screen, avatar). */
const tile = (page: Page, name: string, kind: string) =>
  page.locator(`mq-call-grid [data-tile="${name}"][data-kind="${kind}"]`);

/** Frames decoded by a `<video>` so far, and its size: a remote track that plays. */
async function frames(video: Locator): Promise<{ frames: number; width: number }> {
  return video.evaluate((el: HTMLVideoElement) => ({
    frames: el.getVideoPlaybackQuality().totalVideoFrames,
    width: el.videoWidth,
  }));
}

/** Waits until a `<video>` has a size and decoded frames keep coming. */
async function plays(video: Locator, what: string): Promise<number> {
  await video.waitFor({ timeout: WAIT });
  let last = -1;
  let width = 0;
  let increases = 0;
  await waitUntil(async () => {
    const now = await frames(video);
    if (last >= 0 && now.frames > last) increases++;
    last = now.frames;
    width = now.width;
    return increases >= 2 && now.width > 0;
  }, `${what} playing`);
  return width;
}

/** How much the audio energy from the one other participant grew over ~1.5 s. */
async function energyGrowth(page: Page): Promise<number> {
  const before = defined((await voiceStats(page))[0], 'a link').audioEnergy;
  await page.waitForTimeout(1500);
  return defined((await voiceStats(page))[0], 'a link').audioEnergy - before;
}

/**
 * Video, screen share and what a member hears, between two real Chromiums (fake camera,
 * microphone and screen): the camera and the screen arrive as remote video tracks in the grid and
 * are shown in the sidebar; a mute, push-to-talk and the per-member volume change what the other
 * actually hears (the energy of the audio that arrives, not only a flag); a moderator's mute
 * from a tile holds.
 */
describe('web client: video, screen share and what the others hear', () => {
  let call: VoiceCommunity;

  beforeAll(async () => {
    call = await startVoiceCommunity('video', true);
    const a = call.ada.page;
    const b = call.brook.page;
    await a.locator('[data-join-voice="lounge"]').click();
    await inCall(a, 'Ada').waitFor({ timeout: WAIT });
    await b.locator('[data-join-voice="lounge"]').click();
    await inCall(a, 'Brook').waitFor({ timeout: WAIT });
    await audioFlowsInto(a, 'Ada');
    await audioFlowsInto(b, 'Brook');
  }, 240_000);

  afterAll(async () => {
    await (call as VoiceCommunity | undefined)?.close();
  }, 60_000);

  it('a camera and a screen share arrive as remote video in the grid; the sidebar shows them; both stop', async () => {
    const a = call.ada.page;
    const b = call.brook.page;
    // Before any video: an initial per participant.
    await tile(b, 'Ada', 'avatar').waitFor({ timeout: WAIT });
    await tile(b, 'Brook', 'avatar').waitFor({ timeout: WAIT });
    // Ada's fake microphone beeps: her tile rings while she speaks.
    await b.locator('mq-call-grid .tile.speaking[data-tile="Ada"]').waitFor({ timeout: WAIT });
    await b.locator('[data-test=voice-quality]').waitFor({ timeout: WAIT });
    await screenshot(b, 'voice-video-00-speaking');

    await a.locator('[data-test=voice-camera]').click();
    await inCall(b, 'Ada').locator('[data-test=participant-camera]').waitFor({ timeout: WAIT });
    expect(await plays(tile(b, 'Ada', 'camera').locator('video'), "Ada's camera at Brook")).toBeGreaterThan(
      0,
    );
    // Ada sees herself (her own capture, mirrored).
    await plays(tile(a, 'Ada', 'camera').locator('video.mirror'), "Ada's own camera");

    await a.locator('[data-test=voice-screen]').click();
    await inCall(b, 'Ada').locator('[data-test=participant-screen]').waitFor({ timeout: WAIT });
    const screenWidth = await plays(tile(b, 'Ada', 'screen').locator('video'), "Ada's screen at Brook");
    // The screen is its own track, wider than the camera's 640.
    expect(screenWidth).toBeGreaterThan(640);
    await plays(tile(b, 'Ada', 'camera').locator('video'), "Ada's camera beside her screen");
    expect(await a.locator('[data-test=voice-screen]').getAttribute('aria-pressed')).toBe('true');
    await screenshot(b, 'voice-video-01-camera-and-screen');

    await a.locator('[data-test=voice-screen]').click();
    await tile(b, 'Ada', 'screen').waitFor({ state: 'detached', timeout: WAIT });
    await a.locator('[data-test=voice-camera]').click();
    await tile(b, 'Ada', 'avatar').waitFor({ timeout: WAIT });
    expect(await inCall(b, 'Ada').locator('[data-test=participant-camera]').count()).toBe(0);
    expect(await inCall(b, 'Ada').locator('[data-test=participant-screen]').count()).toBe(0);
  });

  it('a mute and push-to-talk silence what the other hears; the per-member volume sets how loud it plays', async () => {
    const a = call.ada.page;
    const b = call.brook.page;
    const speaking = await energyGrowth(b);
    expect(speaking).toBeGreaterThan(0);

    // Muted: what arrives at Brook is silence.
    await a.locator('[data-test=voice-mute]').click();
    await waitUntil(async () => (await energyGrowth(b)) < speaking / 100, 'silence at Brook after the mute');
    await a.locator('[data-test=voice-mute]').click();
    await waitUntil(async () => (await energyGrowth(b)) > speaking / 10, 'Ada heard again');

    // Push-to-talk: silent until Ada holds the key (Backquote by default).
    await a.locator('[data-test=voice-settings-open]').click();
    await a.locator('[data-test=voice-ptt]').check();
    await a.locator('[data-test=voice-settings] .close').click();
    await a.locator('[data-test=voice-ptt-state]', { hasText: 'Push to talk' }).waitFor({ timeout: WAIT });
    await waitUntil(async () => (await energyGrowth(b)) < speaking / 100, 'silence while the key is up');
    await a.keyboard.down('Backquote');
    await a.locator('[data-test=voice-ptt-state]', { hasText: 'Talking' }).waitFor({ timeout: WAIT });
    await waitUntil(async () => (await energyGrowth(b)) > speaking / 10, 'Ada heard while she holds the key');
    await a.keyboard.up('Backquote');
    await waitUntil(async () => (await energyGrowth(b)) < speaking / 100, 'silence once the key is released');
    await a.locator('[data-test=voice-settings-open]').click();
    await a.locator('[data-test=voice-ptt]').uncheck();
    await a.locator('[data-test=voice-settings] .close').click();

    // Brook turns Ada down to 30 %: her <audio> plays at 0.3, and the choice is kept.
    await tile(b, 'Ada', 'avatar').locator('[data-test=tile-options]').click();
    await b.locator('[data-test=tile-volume]').fill('30');
    const audio = b.locator('[data-voice-audio] audio');
    await waitUntil(
      async () => (await audio.evaluate((el: HTMLAudioElement) => el.volume)) === 0.3,
      "Ada's audio at 30 %",
    );
    const stored = await b.evaluate(() => localStorage.getItem('mpqcht.voice.v1'));
    const kept = JSON.parse(stored ?? '{}') as { volumes?: Record<string, number> };
    expect(Object.values(kept.volumes ?? {})).toEqual([0.3]);
    await screenshot(b, 'voice-video-02-tile-options');
    await tile(b, 'Ada', 'avatar').locator('[data-test=tile-options]').click();
  });

  it("a moderator mutes a member for everyone from the member's tile; the member cannot unmute", async () => {
    const a = call.ada.page;
    const b = call.brook.page;
    // Ada is the server's root: she holds mute_members; Brook does not, and is offered no such button.
    await tile(b, 'Ada', 'avatar').locator('[data-test=tile-options]').click();
    expect(await b.locator('[data-test=tile-mute]').count()).toBe(0);
    await tile(b, 'Ada', 'avatar').locator('[data-test=tile-options]').click();

    const speakingAtAda = await energyGrowth(a);
    expect(speakingAtAda).toBeGreaterThan(0);
    await tile(a, 'Brook', 'avatar').locator('[data-test=tile-options]').click();
    await a.locator('[data-test=tile-mute]').click();
    await b.locator('[data-test=voice-mute][aria-label="Muted by a moderator"]').waitFor({ timeout: WAIT });
    expect(await b.locator('[data-test=voice-mute]').isDisabled()).toBe(true);
    await tile(a, 'Brook', 'avatar')
      .locator('.badge', { hasText: 'muted by a moderator' })
      .waitFor({ timeout: WAIT });
    await waitUntil(async () => (await energyGrowth(a)) < speakingAtAda / 100, 'Brook silent at Ada');
    await a.locator('[data-test=tile-unmute]').click();
    await b.locator('[data-test=voice-mute][aria-label="Mute"]').waitFor({ timeout: WAIT });
  });
});
