import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { launchPerson, type Person, screenshot } from './support/browser';
import { addServer, createIdentity, joinAs, unlock, WAIT } from './support/pages';
import { connectAs, type TestSocket } from './support/socket';

const DANA = { username: 'dana-e2e', passphrase: 'marble osprey cobalt thistle', displayName: 'Dana' };

/** One socket per key: the browser's is refused while another device holds the key's one. */
function limitedToml(rootKey: string): string {
  return [
    `[server]\nname = "Charlie"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\nconnections_per_key = 1\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\n`,
  ].join('\n');
}

describe('web client and the connections-per-key limit', () => {
  let api: ApiProcess;
  let dana: DerivedIdentity;
  let person: Person;
  let otherDevice: TestSocket | undefined;

  beforeAll(async () => {
    dana = await deriveIdentity(DANA.username, DANA.passphrase);
    const port = await freePort();
    [api, person] = await Promise.all([
      startApi({ configToml: limitedToml(dana.publicKey.hex), port }),
      launchPerson('dana'),
    ]);
  }, 120_000);

  afterAll(async () => {
    otherDevice?.close();
    await person.close().catch(() => undefined);
    await api.dispose();
  }, 60_000);

  it('tells the member to close another tab or device, and connects when they try again after doing so', async () => {
    otherDevice = await connectAs(api.url, dana);
    const page = person.page;
    await createIdentity(page, api.url, DANA.username, DANA.passphrase);
    await unlock(page);
    await addServer(page, api.url);

    const status = page.locator('[data-test=server-status][data-kind=refused]');
    await status.waitFor({ timeout: WAIT });
    expect(await status.locator('h2').textContent()).toContain('Too many open connections to Charlie');
    await screenshot(page, '09-too-many-connections');

    // Not retried behind the member's back: still refused while the other device stays.
    expect(await status.isVisible()).toBe(true);
    otherDevice.close();
    otherDevice = undefined;
    // The server releases the slot as the other socket's disconnect arrives; the member may be
    // early once, so try again until the panel changes (each click is one login attempt).
    const tryAgain = status.getByRole('button', { name: 'Try again' });
    for (let attempt = 0; attempt < 20 && (await status.isVisible()); attempt++) {
      await tryAgain.click().catch(() => undefined);
      await page.waitForTimeout(250);
    }
    await joinAs(page, DANA.displayName);
  });
});
