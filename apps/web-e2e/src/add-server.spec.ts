import { deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, defaultConfig, freePort, startApi } from '@mpqcht/test-harness';

import { launchPerson, type Person, screenshot } from './support/browser';
import { createIdentity, joinAs, rail, unlock, WAIT } from './support/pages';

const ERIN = { username: 'erin-e2e', passphrase: 'marble osprey cobalt thistle', displayName: 'Erin' };

/**
 * The add-server box asks the address first and explains what a plain-http local server refuses
 * (issue 14, point 11): the https:// guessed for an address typed without a scheme, and another
 * name of this computer than the server's PUBLIC_ORIGIN (here http://127.0.0.1:<port>).
 */
describe('adding a server by an address it does not answer at', () => {
  let api: ApiProcess;
  let person: Person;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    const erin = await deriveIdentity(ERIN.username, ERIN.passphrase);
    [api, person] = await Promise.all([
      startApi({ configToml: defaultConfig([erin.publicKey.hex]), port }),
      launchPerson('erin'),
    ]);
  }, 120_000);

  afterAll(async () => {
    await person.close().catch(() => undefined);
    await api.dispose();
  }, 60_000);

  it('explains the https:// guess and 127.0.0.1 vs localhost, offers the right address, and it works', async () => {
    const page = person.page;
    await createIdentity(page, api.url, ERIN.username, ERIN.passphrase);
    await unlock(page);
    expect(api.origin).toBe(`http://127.0.0.1:${port}`);

    const input = page.locator('[data-test=server-url]');
    const hint = page.locator('[data-test=add-server-hint]');
    const suggested = page.locator('[data-test=add-suggested]');
    await page.locator('[data-test=add-server]').click();

    // Typed without a scheme: tried as https://, which a plain-http server does not answer.
    await input.fill(`127.0.0.1:${port}`);
    await page.locator('[data-test=add-server-submit]').click();
    await hint.waitFor({ timeout: WAIT });
    expect(await hint.textContent()).toContain(
      `An address typed without http:// is tried as https://, and https://127.0.0.1:${port} did not ` +
        `answer. The server answers over plain http (no TLS): add it as http://127.0.0.1:${port}.`,
    );
    expect((await suggested.textContent())?.trim()).toBe(`Add http://127.0.0.1:${port}`);

    // Another name of this computer than the server's PUBLIC_ORIGIN.
    await input.fill(`http://localhost:${port}`);
    expect(await hint.count()).toBe(0);
    await page.locator('[data-test=add-server-submit]').click();
    await hint.waitFor({ timeout: WAIT });
    expect(await hint.textContent()).toContain(
      `http://localhost:${port} and http://127.0.0.1:${port} are this computer, but not the same ` +
        `address to a browser`,
    );
    await screenshot(page, '14-add-server-hint');
    // Neither address was added.
    expect(await page.locator('mq-server-rail button.server[data-server]').count()).toBe(0);

    // The offered address is the one that logs in.
    await suggested.click();
    await rail(page, api.origin).waitFor({ timeout: WAIT });
    expect(await hint.count()).toBe(0);
    await joinAs(page, ERIN.displayName);
    expect(await page.locator('mq-server-rail button.server[data-server]').count()).toBe(1);
  });
});
