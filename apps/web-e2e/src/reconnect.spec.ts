import * as fs from 'node:fs';
import * as path from 'node:path';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import {
  type ApiOptions,
  type ApiProcess,
  createDatabase,
  dropDatabase,
  freePort,
  serverUrl,
  startApi,
  tempDir,
} from '@mpqcht/test-harness';

import { launchPerson, type Person, screenshot } from './support/browser';
import {
  addServer,
  channelTitle,
  createIdentity,
  defined,
  joinAs,
  unlock,
  WAIT,
  waitUntil,
} from './support/pages';
import { attemptBound, type ReconnectEvent, ReconnectLog } from './support/reconnect-log';

/**
 * Reconnecting (issue 14, point 2): two members in Chromium on one server, which is stopped
 * gracefully (SIGTERM: `server.restarting`, then the transports close) and started again on the
 * same port and database. The schedule each page followed is read from its reconnect log.
 */

const ADA = { username: 'ada-reconnect', passphrase: 'velvet kayak quorum tundra', displayName: 'Ada' };
const BROOK = {
  username: 'brook-reconnect',
  passphrase: 'saffron glacier mosaic puffin',
  displayName: 'Brook',
};

/** What an attempt may wait besides the policy's bound: the server's `retryAfterMs` while draining. */
const SERVER_RETRY_AFTER_MS = 1_000;
/** After `server.restarting`, for the first 20 s of waiting, no attempt waits longer. */
const RESTART_BOUND_MS = 1_000;
const RESTART_WINDOW_MS = 20_000;
/** While the browser has no network an attempt waits this long (the policy's longest delay). */
const OFFLINE_DELAY_MS = 30_000;

function toml(rootKeys: readonly string[]): string {
  return [
    `[server]\nname = "Echo"\nroot_keys = [${rootKeys.map((k) => `"${k}"`).join(', ')}]\n`,
    `[limits]\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\n`,
  ].join('\n');
}

const isEarly =
  (attempt: number, trigger: string) =>
  (e: ReconnectEvent): e is Extract<ReconnectEvent, { kind: 'early' }> =>
    e.kind === 'early' && e.attempt === attempt && e.trigger === trigger;
const isScheduled =
  (attempt: number) =>
  (e: ReconnectEvent): e is Extract<ReconnectEvent, { kind: 'scheduled' }> =>
    e.kind === 'scheduled' && e.attempt === attempt;

describe('web client reconnecting', () => {
  let api: ApiProcess;
  let options: ApiOptions;
  let dir = '';
  let database: string | undefined;
  let ada: DerivedIdentity;
  let brook: DerivedIdentity;
  const people: { person: Person; log: ReconnectLog }[] = [];

  beforeAll(async () => {
    [ada, brook] = await Promise.all([
      deriveIdentity(ADA.username, ADA.passphrase),
      deriveIdentity(BROOK.username, BROOK.passphrase),
    ]);
    // Stopped and started again on the same port and data, so this file owns them.
    dir = tempDir('mpqcht-web-e2e-reconnect-');
    const base = serverUrl();
    database = base ? await createDatabase(base) : undefined;
    options = {
      configToml: toml([ada.publicKey.hex, brook.publicKey.hex]),
      port: await freePort(),
      dataDir: path.join(dir, 'data'),
      ...(database ? { databaseUrl: database } : {}),
    };
    const [started, p1, p2] = await Promise.all([
      startApi(options),
      launchPerson('ada'),
      launchPerson('brook'),
    ]);
    api = started;
    for (const person of [p1, p2]) people.push({ person, log: new ReconnectLog(person.page, api.url) });
  }, 120_000);

  afterAll(async () => {
    for (const { person } of people) await person.close().catch(() => undefined);
    await (api as ApiProcess | undefined)?.dispose();
    if (database) await dropDatabase(database);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('after a graceful restart both members reconnect by themselves, on the policy’s schedule', async () => {
    for (const [{ person }, who] of people.map((p, i) => [p, i === 0 ? ADA : BROOK] as const)) {
      await createIdentity(person.page, api.url, who.username, who.passphrase);
      await unlock(person.page);
      await addServer(person.page, api.url);
      await joinAs(person.page, who.displayName);
      await channelTitle(person.page, 'lobby').waitFor();
    }
    for (const { log } of people) log.clear();

    const stopped = Date.now();
    expect(await api.stop()).toBe(0);
    await Promise.all(
      people.map(({ person }) => person.page.locator('[data-test=reconnecting]').waitFor({ timeout: WAIT })),
    );
    await api.dispose(); // its config.toml; the data stays in `dir`
    api = await startApi(options);
    const listening = Date.now();
    // No click: each page comes back by itself.
    const back = await Promise.all(
      people.map(async ({ person }) => {
        await person.page.locator('[data-test=reconnecting]').waitFor({ state: 'detached', timeout: 60_000 });
        return Date.now();
      }),
    );

    console.log(
      [
        'reconnect after a graceful restart (measured once, not asserted):',
        `  api stopped and started again: ${listening - stopped} ms`,
        ...people.map(
          ({ person, log }, i) =>
            `  ${person.name}: online again ${(back[i] ?? 0) - stopped} ms after SIGTERM, ` +
            `${(back[i] ?? 0) - listening} ms after the api listened; attempts: ` +
            log
              .scheduled()
              .map((s) => `#${s.attempt} in ${s.delayMs} ms`)
              .join(', '),
        ),
      ].join('\n'),
    );

    for (const { log } of people) {
      const scheduled = log.scheduled();
      // Numbered from 1, one after another: the schedule started over with the lost connection.
      expect(scheduled.length).toBeGreaterThan(0);
      expect(scheduled.map((s) => s.attempt)).toEqual(scheduled.map((_, i) => i + 1));
      // The first comes soon (or when the draining server said); then, the restart being
      // announced, at most 1 s each for the first 20 s of waiting, and the backoff after that.
      let waited = 0;
      let quick = 0;
      for (const { attempt, delayMs } of scheduled) {
        const inWindow = attempt > 1 && waited < RESTART_WINDOW_MS;
        if (inWindow) quick += 1;
        const bound =
          attempt === 1 ? attemptBound(1) : inWindow ? RESTART_BOUND_MS : attemptBound(attempt - quick);
        expect(delayMs).toBeLessThanOrEqual(Math.max(bound, SERVER_RETRY_AFTER_MS));
        if (attempt === 1) expect(delayMs).toBeGreaterThanOrEqual(250);
        waited += delayMs;
      }
      // Nothing was started early: no click, no wake-up.
      expect(log.events.filter((e) => e.kind === 'early')).toEqual([]);
    }

    // And the chat works again both ways.
    const [first, second] = people.map(({ person }) => person.page);
    if (!first || !second) throw new Error('two members');
    await first.locator('[data-test=composer]').fill('Back after the restart');
    await first.locator('[data-test=composer]').press('Enter');
    await second
      .locator('[data-test=message-scroller] article.message', { hasText: 'Back after the restart' })
      .waitFor({ timeout: WAIT });
  });

  it('starts an attempt at once on Reconnect now, when the tab becomes visible and when the network returns', async () => {
    const { person, log } = defined(people[0], 'Ada');
    const page = person.page;
    log.clear();

    await person.context.setOffline(true);
    const badge = page.locator('[data-test=reconnecting]');
    await badge.waitFor({ timeout: WAIT });
    // Without a network an attempt waits the longest delay; every wait below is shorter, so
    // each step can only pass if something started an attempt early.
    const waiting = await log.next('attempt 1 scheduled', isScheduled(1));
    expect(waiting.delayMs).toBeGreaterThanOrEqual(OFFLINE_DELAY_MS);
    expect(WAIT).toBeLessThan(OFFLINE_DELAY_MS);
    await screenshot(page, '11-reconnecting-badge');

    await badge.locator('[data-test=reconnect-now]').click();
    await log.next('attempt 1 started by the button', isEarly(1, 'button'));
    // Still offline, so it fails, and the next one waits again.
    await log.next('attempt 2 scheduled', isScheduled(2));

    await page.evaluate(() => document.dispatchEvent(new Event('visibilitychange')));
    await log.next('attempt 2 started as the tab is visible', isEarly(2, 'visible'));
    await log.next('attempt 3 scheduled', isScheduled(3));

    await person.context.setOffline(false);
    await log.next('attempt 3 started as the network returned', isEarly(3, 'online'));
    await badge.waitFor({ state: 'detached', timeout: WAIT });
    await waitUntil(
      async () => (await page.locator('[data-test=composer]').count()) === 1,
      'the composer after reconnecting',
    );
    expect(log.scheduled().map((s) => s.delayMs)).toEqual([
      OFFLINE_DELAY_MS,
      OFFLINE_DELAY_MS,
      OFFLINE_DELAY_MS,
    ]);
  });
});
