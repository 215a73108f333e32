import type { Page } from 'playwright-core';

import { expectAccessible } from './support/axe';
import { screenshot } from './support/browser';
import { channelTitle, WAIT, waitUntil } from './support/pages';
import { inCall, startVoiceCommunity, type VoiceCommunity } from './support/voice-call';

const muteButton = (page: Page) => page.locator('[data-test=voice-mute]');

/**
 * Presence in calls in the web client (no media yet): one member joins a voice channel's call from
 * the sidebar, the other sees them listed under the channel, a mute shows for both, leaving removes.
 */
describe('web client: who is in a voice call', () => {
  let call: VoiceCommunity;

  beforeAll(async () => {
    call = await startVoiceCommunity('voice');
  }, 180_000);

  afterAll(async () => {
    // Undefined when beforeAll failed.
    await (call as VoiceCommunity | undefined)?.close();
  }, 60_000);

  it('joining from the sidebar lists the member under the channel for both; mute shows; leaving removes', async () => {
    const a = call.ada.page;
    const b = call.brook.page;
    // A voice channel has a speaker icon and a Join button; a text channel neither.
    await a.locator('[data-join-voice="lounge"]').waitFor({ timeout: WAIT });
    expect(await a.locator('[data-join-voice="lobby"]').count()).toBe(0);

    await a.locator('[data-join-voice="lounge"]').click();
    await channelTitle(a, 'Lounge').waitFor({ timeout: WAIT });
    await inCall(a, 'Ada').waitFor({ timeout: WAIT });
    await a.locator('[data-test=voice-panel]', { hasText: 'Lounge / Voices' }).waitFor({ timeout: WAIT });
    expect(await a.locator('[data-join-voice="lounge"]').count()).toBe(0);
    await inCall(b, 'Ada').waitFor({ timeout: WAIT });
    // Brook reads lobby and still sees who is in the call; no panel, he is in none.
    expect(await b.locator('[data-test=voice-panel]').count()).toBe(0);
    await screenshot(a, 'voice-01-ada-in-the-call');
    await screenshot(b, 'voice-02-brook-sees-ada');

    await muteButton(a).click();
    await waitUntil(async () => (await muteButton(a).getAttribute('aria-pressed')) === 'true', 'Ada muted');
    await inCall(a, 'Ada').locator('[data-test=participant-muted]').waitFor({ timeout: WAIT });
    await inCall(b, 'Ada').locator('[data-test=participant-muted]').waitFor({ timeout: WAIT });
    await screenshot(a, 'voice-03-ada-muted');
    // The call's rows and the panel meet WCAG AA (contrast, names, pressed states).
    await expectAccessible(a, 'the sidebar in a call, muted', 'mq-channel-sidebar');

    // Brook joins too: both are listed, in joining order, on both pages.
    await b.locator('[data-join-voice="lounge"]').click();
    await inCall(a, 'Brook').waitFor({ timeout: WAIT });
    await inCall(b, 'Brook').waitFor({ timeout: WAIT });
    expect(
      await b
        .locator('mq-channel-sidebar [data-voice-members="lounge"] [data-participant]')
        .allTextContents(),
    ).toEqual([expect.stringContaining('Ada'), expect.stringContaining('Brook')]);
    await screenshot(b, 'voice-04-both-in-the-call-ada-muted');

    // Ada reads another channel: the panel stays, and Leave ends her part.
    await a.locator('mq-channel-sidebar [data-channel="lobby"]').click();
    await channelTitle(a, 'lobby').waitFor({ timeout: WAIT });
    await a.locator('[data-test=voice-leave]').click();
    await inCall(b, 'Ada').waitFor({ state: 'detached', timeout: WAIT });
    await inCall(a, 'Ada').waitFor({ state: 'detached', timeout: WAIT });
    expect(await a.locator('[data-test=voice-panel]').count()).toBe(0);
    await inCall(a, 'Brook').waitFor({ timeout: WAIT });
    await screenshot(a, 'voice-05-ada-left');
  });
});
