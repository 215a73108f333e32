import { type CoturnProcess, startCoturn } from '@mpqcht/test-harness';

import { screenshot } from './support/browser';
import { WAIT, waitUntil } from './support/pages';
import { inCall, startVoiceCommunity, type VoiceCommunity } from './support/voice-call';
import { audioFlowsInto } from './support/voice-stats';

const SECRET = 'e2e0voice0relay0secret0c4d5e6f7a8b9c0d1e2';

/**
 * A call forced through TURN: a real coturn (Debian's `turnserver`, the repository's
 * coturn/turnserver.conf plus the loopback exception startCoturn adds), an api handing out its
 * credentials in `voice.join` (TURN_SECRET, TURN_URLS), and two Chromiums whose voice preferences
 * say `relayOnly` (every RTCPeerConnection with `iceTransportPolicy: "relay"`). The audio must
 * flow both ways over a relayed candidate pair, through allocations coturn made for each member.
 */
describe('web client: a voice call through the TURN relay only', () => {
  let coturn: CoturnProcess;
  let call: VoiceCommunity;

  beforeAll(async () => {
    coturn = await startCoturn({ secret: SECRET, verbose: true });
    call = await startVoiceCommunity('relay', true, {
      apiEnv: { TURN_SECRET: SECRET, TURN_URLS: coturn.turnUrl },
      relayOnly: true,
    });
  }, 180_000);

  afterAll(async () => {
    // Undefined when beforeAll failed.
    await (call as VoiceCommunity | undefined)?.close();
    await (coturn as CoturnProcess | undefined)?.stop();
  }, 60_000);

  it('relayOnly members hear each other over relay candidates allocated by coturn for each of them', async () => {
    const a = call.ada.page;
    const b = call.brook.page;
    // The preference is in place before the app loaded (what PeerMesh reads).
    for (const page of [a, b])
      expect(await page.evaluate(() => localStorage.getItem('mpqcht.voice.v1'))).toContain(
        '"relayOnly":true',
      );

    await a.locator('[data-join-voice="lounge"]').click();
    await inCall(a, 'Ada').waitFor({ timeout: WAIT });
    await b.locator('[data-join-voice="lounge"]').click();
    await inCall(b, 'Brook').waitFor({ timeout: WAIT });
    await inCall(a, 'Brook').waitFor({ timeout: WAIT });

    // Relayed ICE takes an allocation round trip more than host candidates: a longer wait.
    for (const [page, who] of [
      [a, 'Ada'],
      [b, 'Brook'],
    ] as const) {
      const [link] = await audioFlowsInto(page, who, 1, 2 * WAIT);
      expect(link).toMatchObject({ connectionState: 'connected', candidateType: 'relay' });
      expect(link?.bytesSent).toBeGreaterThan(0);
    }
    await screenshot(b, 'voice-relay-01-both-hear-through-turn');

    // Leaving closes the peer connections, which frees their allocations: coturn then logs each
    // session's usage under the username the api made for that member (`<expiry>:<public key>`).
    await a.locator('[data-test=voice-leave]').click();
    await b.locator('[data-test=voice-leave]').click();
    for (const [who, key] of [
      ['Ada', call.identities.ada.publicKey.hex],
      ['Brook', call.identities.brook.publicKey.hex],
    ] as const) {
      const usage = new RegExp(
        `usage: realm=<[^>]*>, username=<\\d+:${key}>, rp=(\\d+), rb=(\\d+), sp=(\\d+), sb=(\\d+)`,
        'g',
      );
      // Audio went both ways through that member's relay: more bytes than an allocation, its
      // refreshes and the ICE checks alone (a few hundred bytes each way). Chromium may allocate
      // more than once; the session that carried the call logs its usage when it is freed.
      const relayedBoth = () =>
        [...coturn.log().matchAll(usage)].some((m) => Number(m[2]) > 5_000 && Number(m[4]) > 5_000);
      await waitUntil(
        () => Promise.resolve(relayedBoth()),
        `coturn's usage line of ${who}'s allocation that relayed the call`,
      ).catch((error: unknown) => {
        throw new Error(`${String(error)}\ncoturn's log:\n${coturn.log()}`);
      });
    }
  });
});
