import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { launchPerson, type Person, screenshot } from './support/browser';
import { addServer, createIdentity, joinAs, unlock, WAIT } from './support/pages';

const ERIN = { username: 'erin-e2e', passphrase: 'juniper falcon meadow quartz', displayName: 'Erin' };

/** One challenge every 6 s per address, two at once: easy to use up, quick to come back. */
function limitedToml(rootKey: string): string {
  return [
    `[server]\nname = "Delta"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nchallenges_per_minute = 10\nchallenge_burst = 2\nfailed_logins_per_minute = 1000000\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\n`,
  ].join('\n');
}

describe('web client when the server limits logins from its address', () => {
  let api: ApiProcess;
  let erin: DerivedIdentity;
  let person: Person;

  beforeAll(async () => {
    erin = await deriveIdentity(ERIN.username, ERIN.passphrase);
    const port = await freePort();
    [api, person] = await Promise.all([
      startApi({ configToml: limitedToml(erin.publicKey.hex), port }),
      launchPerson('erin'),
    ]);
  }, 120_000);

  afterAll(async () => {
    await person.close().catch(() => undefined);
    await api.dispose();
  }, 60_000);

  it('says it is rate limited (not unreachable), counts down, and logs in by itself once allowed', async () => {
    const page = person.page;
    await createIdentity(page, api.url, ERIN.username, ERIN.passphrase);
    await unlock(page);
    // Everything from 127.0.0.1 shares the address's challenges: use them up.
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${api.url}/api/auth/challenge`, { method: 'POST' });
      if (response.status === 429) break;
    }
    await addServer(page, api.url);

    const status = page.locator('[data-test=server-status][data-kind=rate_limited]');
    await status.waitFor({ timeout: WAIT });
    expect(await status.locator('h2').textContent()).toContain('Too many logins from here');
    expect(await status.textContent()).toMatch(/Trying again\s+in \d+ s/);
    await screenshot(page, '10-rate-limited-login');

    // No click: the client waits as long as the server said, then logs in.
    await joinAs(page, ERIN.displayName);
  });
});
