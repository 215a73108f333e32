import type { Locator, Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import type { MessageDto } from '@mpqcht/protocol';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { expectAccessible } from './support/axe';
import { launchPerson, type Person, screenshot } from './support/browser';
import { addServer, channelTitle, createIdentity, rail, unlock, WAIT, waitUntil } from './support/pages';
import { connectAs, ok, send, type TestSocket } from './support/socket';

/**
 * Message search in the browser (issue 17): the search box completes operators and shows where a
 * query cannot be read; one query goes to both of Ada's servers, whose results come back merged
 * newest first, each labelled with its server; choosing one opens its channel (or thread) on its
 * server around the message, scrolled into view and flashed.
 */

const ADA = { username: 'ada-search-e2e', passphrase: 'harbor lantern quartz meadow', displayName: 'Ada' };
const LIMITS = `[limits]\nburst = 10000\nrate_per_second = 10000\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`;

function harborToml(rootKey: string): string {
  return [
    `[server]\nname = "Harbor"\nroot_keys = ["${rootKey}"]\n`,
    LIMITS,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\n`,
    `[[channels]]\nid = "random"\nname = "random"\ngroup = "general"\n`,
  ].join('\n');
}

function summitToml(rootKey: string): string {
  return [
    `[server]\nname = "Summit"\nroot_keys = ["${rootKey}"]\n`,
    LIMITS,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "plaza"\nname = "plaza"\ngroup = "general"\n`,
  ].join('\n');
}

const panel = (page: Page) => page.locator('mq-search-panel');
const hits = (page: Page) => panel(page).locator('[data-test=search-hit]');
const hitOf = (page: Page, message: MessageDto) =>
  panel(page).locator(`[data-test=search-hit][data-message="${message.id}"]`);
const input = (page: Page) => page.locator('[data-test=search-input]');

/** The row of a message, flashed, inside `scope`, and within its scroller's visible part. */
async function flashedInView(page: Page, scope: string, message: MessageDto): Promise<Locator> {
  const row = page.locator(`${scope} article.message[data-flash][data-message="${message.id}"]`);
  await row.waitFor({ timeout: WAIT });
  const scroller = page.locator(`${scope} [data-test=message-scroller]`);
  await waitUntil(async () => {
    const [r, s] = await Promise.all([row.boundingBox(), scroller.boundingBox()]);
    return r !== null && s !== null && r.y >= s.y - 1 && r.y + Math.min(r.height, 40) <= s.y + s.height + 1;
  }, `message ${message.content} scrolled into view`);
  return row;
}

async function search(page: Page, query: string): Promise<void> {
  await input(page).fill(query);
  await input(page).press('Enter');
}

describe('web client: search across servers', () => {
  let harbor: ApiProcess;
  let summit: ApiProcess;
  let ada: DerivedIdentity;
  let adaPerson: Person;
  let adaHarbor: TestSocket;
  let adaSummit: TestSocket;
  let brookHarbor: TestSocket;
  /** Seeded oldest first. */
  const seeded: Record<'tour' | 'hike' | 'photos' | 'water' | 'keeper', MessageDto> = {} as never;

  beforeAll(async () => {
    let brook: DerivedIdentity;
    [ada, brook] = await Promise.all([
      deriveIdentity(ADA.username, ADA.passphrase),
      deriveIdentity('brook-search-e2e', 'walnut cipher tundra gazelle'),
    ]);
    const [harborPort, summitPort] = [await freePort(), await freePort()];
    [harbor, summit, adaPerson] = await Promise.all([
      startApi({ configToml: harborToml(ada.publicKey.hex), port: harborPort }),
      startApi({ configToml: summitToml(ada.publicKey.hex), port: summitPort }),
      launchPerson('ada-search'),
    ]);
    adaHarbor = await connectAs(harbor.url, ada);
    adaSummit = await connectAs(summit.url, ada);
    await ok(adaHarbor, 'member.join', { displayName: ADA.displayName });
    await ok(adaSummit, 'member.join', { displayName: ADA.displayName });
    await ok(adaHarbor, 'members.authorize', { publicKey: brook.publicKey.hex });
    brookHarbor = await connectAs(harbor.url, brook);
    await ok(brookHarbor, 'member.join', { displayName: 'Brook' });

    // An old message in the lobby, far behind its newest page, then the others, one after another
    // (their times order the merged results).
    seeded.tour = await send(adaHarbor, 'lobby', 'The lighthouse tour starts at noon');
    for (let i = 1; i <= 120; i++) await send(adaHarbor, 'lobby', `filler ${i}`);
    seeded.hike = await send(adaSummit, 'plaza', 'Lighthouse hike on Sunday, who is in?');
    seeded.photos = await send(brookHarbor, 'random', 'Photos from the lighthouse are up');
    seeded.water = await send(adaSummit, 'plaza', 'Bring water, the lighthouse path is long');
    const root = await send(adaHarbor, 'lobby', 'Stories, anyone?');
    const thread = await ok(adaHarbor, 'threads.create', {
      channelId: 'lobby',
      messageId: root.id,
      name: 'Keeper stories',
    });
    seeded.keeper = await send(brookHarbor, thread.streamId, 'The old lighthouse keeper had a cat');

    const a = adaPerson.page;
    await createIdentity(a, harbor.url, ADA.username, ADA.passphrase);
    await unlock(a);
    await addServer(a, summit.url);
    await channelTitle(a, 'plaza').waitFor({ timeout: WAIT });
    await addServer(a, harbor.url);
    await channelTitle(a, 'lobby').waitFor({ timeout: WAIT });
  }, 180_000);

  afterAll(async () => {
    for (const socket of [adaHarbor, adaSummit, brookHarbor] as (TestSocket | undefined)[]) socket?.close();
    await (adaPerson as Person | undefined)?.close().catch(() => undefined);
    await (harbor as ApiProcess | undefined)?.dispose();
    await (summit as ApiProcess | undefined)?.dispose();
  }, 60_000);

  it('completes operators and shows where a query cannot be read', async () => {
    const a = adaPerson.page;
    // `/` focuses the box.
    await a.locator('mq-message-pane [data-test=message-scroller]').click();
    await a.keyboard.press('/');
    await waitUntil(
      () => input(a).evaluate((el) => el === document.activeElement),
      'the search box focused by /',
    );
    await a.keyboard.type('lighthouse from:b');
    const suggestions = a.locator('[data-test=search-suggestions] [role=option]');
    await suggestions.first().waitFor({ timeout: WAIT });
    expect(await suggestions.allTextContents()).toEqual([expect.stringContaining('Brook')]);
    await screenshot(a, 'search-01-member-suggestions');
    await expectAccessible(a, 'search-box', 'mq-message-pane .channel-header');
    await a.keyboard.press('Enter');
    expect(await input(a).inputValue()).toBe('lighthouse from:Brook ');

    await input(a).fill('');
    await a.keyboard.type('in:');
    await waitUntil(
      async () => (await suggestions.allTextContents()).join('|').includes('#random'),
      'channels offered after in:',
    );
    await a.keyboard.press('ArrowDown');
    await a.keyboard.press('Tab');
    expect(await input(a).inputValue()).toBe('in:random ');

    await search(a, 'lighthouse "unclosed');
    const fault = a.locator('[data-test=search-fault]');
    await fault.waitFor({ timeout: WAIT });
    expect(await fault.textContent()).toContain('a quote is not closed');
    expect(await fault.locator('mark').textContent()).toBe('"unclosed');
    expect(await panel(a).count()).toBe(0);
    await screenshot(a, 'search-02-parse-error');
  });

  it('searches one server, then all of them: merged newest first, each result labelled with its server', async () => {
    const a = adaPerson.page;
    await search(a, 'lighthouse');
    await hits(a).first().waitFor({ timeout: WAIT });
    await waitUntil(async () => (await hits(a).count()) === 3, 'three results on Harbor');
    expect(await hits(a).evaluateAll((els) => els.map((e) => e.getAttribute('data-message')))).toEqual([
      seeded.keeper.id,
      seeded.photos.id,
      seeded.tour.id,
    ]);
    expect(await hitOf(a, seeded.photos).textContent()).toContain('Brook');
    expect(await hitOf(a, seeded.photos).textContent()).toContain('#random');
    expect(await hitOf(a, seeded.keeper).textContent()).toContain('Keeper stories');
    expect(await hitOf(a, seeded.tour).locator('mark').allTextContents()).toEqual(['lighthouse']);
    expect(await hitOf(a, seeded.tour).locator('[data-test=search-hit-text]').textContent()).toBe(
      'The lighthouse tour starts at noon',
    );
    await screenshot(a, 'search-03-this-server');

    await panel(a).locator('[data-test=search-scope-all]').click();
    await waitUntil(async () => (await hits(a).count()) === 5, 'five results from both servers');
    const order = await hits(a).evaluateAll((els) =>
      els.map((e) => [
        e.getAttribute('data-message'),
        e.querySelector('[data-test=search-hit-server]')?.textContent.trim(),
      ]),
    );
    expect(order).toEqual([
      [seeded.keeper.id, 'Harbor'],
      [seeded.water.id, 'Summit'],
      [seeded.photos.id, 'Harbor'],
      [seeded.hike.id, 'Summit'],
      [seeded.tour.id, 'Harbor'],
    ]);
    const servers = panel(a).locator('[data-test=search-server]');
    expect(await servers.count()).toBe(2);
    await screenshot(a, 'search-04-all-servers');
    await expectAccessible(a, 'search-results', 'mq-search-panel');
  });

  it('opens a result on its server, around the message, flashed', async () => {
    const a = adaPerson.page;
    // Far behind the lobby's newest page: loaded around it.
    await hitOf(a, seeded.tour).click();
    await channelTitle(a, 'lobby').waitFor({ timeout: WAIT });
    await flashedInView(a, 'mq-message-pane', seeded.tour);
    expect(await a.locator('mq-message-pane article.message', { hasText: 'filler 120' }).count()).toBe(0);
    await screenshot(a, 'search-05-jump-harbor-lobby');
    // Back to the present from there.
    await a.locator('[data-test=jump-to-present]').click();
    await a
      .locator('mq-message-pane article.message', { hasText: 'Stories, anyone?' })
      .waitFor({ timeout: WAIT });
    await a.locator('mq-message-pane article.message', { hasText: 'The lighthouse tour' }).waitFor({
      state: 'detached',
    });

    // Again, then scrolling down pages newer messages into the window, up to the present.
    await hitOf(a, seeded.tour).click();
    await flashedInView(a, 'mq-message-pane', seeded.tour);
    const scroller = a.locator('mq-message-pane [data-test=message-scroller]');
    const newest = a.locator('mq-message-pane article.message', { hasText: 'Stories, anyone?' });
    await waitUntil(async () => {
      await scroller.evaluate((el) => {
        el.scrollTop = 0;
        el.dispatchEvent(new Event('scroll'));
      });
      return (await newest.count()) > 0;
    }, 'newer pages down to the present');
    expect(await a.locator('mq-message-pane article.message', { hasText: 'filler 60' }).count()).toBe(1);
    await a.locator('[data-test=jump-to-present]').waitFor({ state: 'detached' });

    // On the other server.
    await hitOf(a, seeded.hike).click();
    await channelTitle(a, 'plaza').waitFor({ timeout: WAIT });
    expect(await rail(a, summit.url).getAttribute('aria-current')).toBe('true');
    await flashedInView(a, 'mq-message-pane', seeded.hike);
    await screenshot(a, 'search-06-jump-summit-plaza');

    // A thread's message opens the thread beside its channel.
    await hitOf(a, seeded.keeper).click();
    await channelTitle(a, 'lobby').waitFor({ timeout: WAIT });
    await a
      .locator('mq-thread-panel [data-test=thread-title]', { hasText: 'Keeper stories' })
      .waitFor({ timeout: WAIT });
    await flashedInView(a, 'mq-thread-panel', seeded.keeper);
    await screenshot(a, 'search-07-jump-thread');
    // Closing the thread brings the results back.
    await a.locator('mq-thread-panel [data-test=thread-close]').click();
    await hits(a).first().waitFor({ timeout: WAIT });
  });

  it('pages with More results, newest first', async () => {
    const a = adaPerson.page;
    await panel(a).locator('[data-test=search-scope-server]').click();
    // A name that matches nothing is refused by the server, at the filter's place.
    await search(a, 'filler from:nobody');
    const fault = panel(a).locator('[data-test=search-server-fault]');
    await fault.waitFor({ timeout: WAIT });
    expect(await fault.locator('mark').textContent()).toBe('from:nobody');
    await screenshot(a, 'search-08-server-refused-query');

    await search(a, 'filler');
    await waitUntil(async () => (await hits(a).count()) === 25, 'the first page (25)');
    await panel(a).locator('[data-test=search-more]').click();
    await waitUntil(async () => (await hits(a).count()) === 50, 'the second page (50)');
    const texts = await hits(a).locator('[data-test=search-hit-text]').allTextContents();
    expect(texts[0]).toBe('filler 120');
    expect(texts[49]).toBe('filler 71');
    await hits(a).nth(49).scrollIntoViewIfNeeded();
    await screenshot(a, 'search-09-more-results');
  });

  it('does not wait for a slow server: the others show at once, it is marked, its results join later', async () => {
    const a = adaPerson.page;
    await panel(a).locator('[data-test=search-scope-all]').click();
    const summitLine = panel(a).locator(`[data-test=search-server][data-server="${summit.url}"]`);
    summit.child.kill('SIGSTOP');
    try {
      await search(a, 'lighthouse');
      await waitUntil(async () => (await hits(a).count()) === 3, 'Harbor’s results while Summit is silent');
      expect(await summitLine.getAttribute('data-status')).toBe('loading');
      await waitUntil(
        async () => (await summitLine.getAttribute('data-status')) === 'slow',
        'Summit marked slow after 5 s',
        8_000,
      );
      expect(await summitLine.textContent()).toContain('no answer yet');
      await screenshot(a, 'search-10-slow-server');
    } finally {
      summit.child.kill('SIGCONT');
    }
    await waitUntil(async () => (await hits(a).count()) === 5, 'Summit’s results once it answers');
    expect(await summitLine.getAttribute('data-status')).toBe('done');
  });

  it('shows what the servers that answer found, and marks the one that does not', async () => {
    const a = adaPerson.page;
    await summit.stop();
    await panel(a).locator('[data-test=search-scope-all]').click();
    await search(a, 'lighthouse');
    const summitLine = panel(a).locator(`[data-test=search-server][data-server="${summit.url}"]`);
    await waitUntil(
      async () => (await summitLine.getAttribute('data-status')) === 'failed',
      'Summit marked as failed',
    );
    await waitUntil(async () => (await hits(a).count()) === 3, 'Harbor’s three results');
    expect(await panel(a).locator('[data-test=search-hit-server]').allTextContents()).toEqual([
      'Harbor',
      'Harbor',
      'Harbor',
    ]);
    await screenshot(a, 'search-11-one-server-offline');
  });
});
