import type { Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { launchPerson, type Person, screenshot } from './support/browser';
import {
  addServer,
  channelTitle,
  createIdentity,
  joinAs,
  rail,
  unlock,
  WAIT,
  waitUntil,
} from './support/pages';
import { connectAs, send, type TestSocket } from './support/socket';

const ADA = { username: 'ada-place-e2e', passphrase: 'juniper cascade velvet oriole', displayName: 'Ada' };
const HISTORY = 120;

function communityToml(name: string, rootKey: string): string {
  const channel = (id: string) => `[[channels]]\nid = "${id}"\nname = "${id}"\ngroup = "general"\n`;
  return [
    `[server]\nname = "${name}"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nburst = 10000\nrate_per_second = 10000\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    channel('lobby'),
    channel('random'),
    channel('history'),
  ].join('\n');
}

const channelButton = (page: Page, id: string) => page.locator(`mq-channel-sidebar [data-channel="${id}"]`);
const label = (n: number) => `old message ${String(n).padStart(3, '0')}`;
const messageWith = (page: Page, text: string) =>
  page.locator('[data-test=message-scroller] article.message').filter({ hasText: text });
const isActive = async (page: Page, url: string) =>
  (await rail(page, url).getAttribute('aria-current')) === 'true';

/** The message whose top is `offset` px below the top of the message list, as the person sees it. */
function topMessage(page: Page): Promise<{ id: string; offset: number }> {
  return page.locator('[data-test=message-scroller]').evaluate((scroller) => {
    const top = scroller.getBoundingClientRect().top;
    const row = [...scroller.querySelectorAll('article.message')].find(
      (a) => a.getBoundingClientRect().bottom > top,
    );
    if (!row) throw new Error('no message on screen');
    return { id: row.getAttribute('data-message') ?? '', offset: row.getBoundingClientRect().top - top };
  });
}

async function reloadAndUnlock(page: Page): Promise<void> {
  await page.reload();
  await page.locator('[data-test=passphrase]').fill(ADA.passphrase);
  await unlock(page);
}

describe('web client: a reload opens the place the person left', () => {
  let A: ApiProcess;
  let B: ApiProcess;
  let ada: DerivedIdentity;
  let person: Person;
  let adaDevice: TestSocket | undefined;

  beforeAll(async () => {
    ada = await deriveIdentity(ADA.username, ADA.passphrase);
    const [portA, portB] = [await freePort(), await freePort()];
    [A, B, person] = await Promise.all([
      startApi({ configToml: communityToml('Alpha', ada.publicKey.hex), port: portA }),
      startApi({ configToml: communityToml('Bravo', ada.publicKey.hex), port: portB }),
      launchPerson('ada-place'),
    ]);
    const page = person.page;
    await createIdentity(page, A.url, ADA.username, ADA.passphrase);
    await unlock(page);
    await addServer(page, A.url);
    await joinAs(page, ADA.displayName);
    await addServer(page, B.url);
    await joinAs(page, ADA.displayName);

    adaDevice = await connectAs(A.url, ada);
    for (let n = 1; n <= HISTORY; n++) {
      await send(adaDevice, 'history', `${label(n)}\nsecond line\nthird line`);
    }
  }, 180_000);

  afterAll(async () => {
    adaDevice?.close();
    // Undefined when beforeAll failed early.
    await (person as Person | undefined)?.close().catch(() => undefined);
    await (A as ApiProcess | undefined)?.dispose();
    await (B as ApiProcess | undefined)?.dispose();
  }, 60_000);

  it('restores the server, its channel and the message being read, loading older pages to reach it', async () => {
    const page = person.page;
    // On Bravo: #random, at the present.
    await rail(page, B.url).click();
    await channelButton(page, 'random').click();
    await channelTitle(page, 'random').waitFor();
    // On Alpha: #history, scrolled far back (older than the first page a reload loads).
    await rail(page, A.url).click();
    await channelButton(page, 'history').click();
    await channelTitle(page, 'history').waitFor();
    await messageWith(page, label(HISTORY)).waitFor({ timeout: WAIT });
    const scroller = page.locator('[data-test=message-scroller]');
    const target = messageWith(page, label(12));
    for (let step = 0; step < 20 && (await target.count()) === 0; step++) {
      await scroller.evaluate((el) => (el.scrollTop = -el.scrollHeight));
      await page.waitForTimeout(200);
    }
    await target.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await scroller.evaluate((el) => (el.scrollTop += 30));
    await page.locator('[data-test=jump-to-present]').waitFor({ timeout: WAIT });
    await page.waitForTimeout(300);
    const left = await topMessage(page);
    await screenshot(page, 'place-01-before-reload');

    await reloadAndUnlock(page);

    await channelTitle(page, 'history').waitFor({ timeout: WAIT });
    expect(await isActive(page, A.url)).toBe(true);
    await page.locator(`article.message[data-message="${left.id}"]`).waitFor({ timeout: WAIT });
    await waitUntil(async () => {
      const now = await topMessage(page);
      return now.id === left.id && Math.abs(now.offset - left.offset) <= 2;
    }, 'the message Ada was reading, where it was');
    expect(await page.locator('[data-test=jump-to-present]').isVisible()).toBe(true);
    await screenshot(page, 'place-02-after-reload');

    // Bravo kept its own channel.
    await rail(page, B.url).click();
    await channelTitle(page, 'random').waitFor({ timeout: WAIT });
  });

  it('restores a channel at the present, and the other server', async () => {
    const page = person.page;
    await rail(page, A.url).click();
    await channelTitle(page, 'history').waitFor();
    await page.locator('[data-test=jump-to-present]').click();
    await messageWith(page, label(HISTORY)).waitFor({ timeout: WAIT });
    await rail(page, B.url).click();
    await channelTitle(page, 'random').waitFor();

    await reloadAndUnlock(page);

    await channelTitle(page, 'random').waitFor({ timeout: WAIT });
    expect(await isActive(page, B.url)).toBe(true);
    await rail(page, A.url).click();
    await channelTitle(page, 'history').waitFor();
    await messageWith(page, label(HISTORY)).waitFor({ timeout: WAIT });
    expect(await page.locator('[data-test=jump-to-present]').count()).toBe(0);
  });
});
