import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import {
  type ApiOptions,
  type ApiProcess,
  createDatabase,
  defaultConfig,
  dropDatabase,
  freePort,
  serverUrl,
  startApi,
  tempDir,
  withClient,
} from '@mpqcht/test-harness';

import { launchPerson, type Person, screenshot } from './support/browser';
import { addServer, channelTitle, createIdentity, defined, joinAs, unlock, WAIT } from './support/pages';

/**
 * The outbox (issue 14, point 3): a message typed while its server is down waits, survives a
 * reload, and is delivered exactly once when the server is back. The page is loaded from server
 * A, which stays up (a reload needs it); the chat server B is stopped and started again on the
 * same port and database.
 */

const ADA = { username: 'ada-outbox', passphrase: 'velvet kayak quorum tundra', displayName: 'Ada' };
const BROOK = { username: 'brook-outbox', passphrase: 'saffron glacier mosaic puffin', displayName: 'Brook' };
const TEXT = 'Typed while Bravo was down';

function toml(rootKeys: readonly string[]): string {
  return [
    `[server]\nname = "Bravo"\nroot_keys = [${rootKeys.map((k) => `"${k}"`).join(', ')}]\n`,
    `[limits]\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\n`,
  ].join('\n');
}

const messagesWith = (page: Page, text: string) =>
  page.locator('[data-test=message-scroller] article.message', { hasText: text });

/** The outbox entries this page keeps in localStorage, whatever the server and identity. */
function storedOutbox(page: Page): Promise<{ clientId: string; content: string }[]> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('mpqcht.outbox.v1 '))
      .flatMap(
        (key) => JSON.parse(localStorage.getItem(key) ?? '[]') as { clientId: string; content: string }[],
      ),
  );
}

describe('web client outbox', () => {
  let A: ApiProcess;
  let B: ApiProcess;
  let bOptions: ApiOptions;
  let bDir = '';
  let bDatabase: string | undefined;
  let ada: DerivedIdentity;
  let brook: DerivedIdentity;
  let p1: Person;
  let p2: Person;

  beforeAll(async () => {
    [ada, brook] = await Promise.all([
      deriveIdentity(ADA.username, ADA.passphrase),
      deriveIdentity(BROOK.username, BROOK.passphrase),
    ]);
    bDir = tempDir('mpqcht-web-e2e-outbox-');
    const base = serverUrl();
    bDatabase = base ? await createDatabase(base) : undefined;
    bOptions = {
      configToml: toml([ada.publicKey.hex, brook.publicKey.hex]),
      port: await freePort(),
      dataDir: path.join(bDir, 'data'),
      ...(bDatabase ? { databaseUrl: bDatabase } : {}),
    };
    [A, B, p1, p2] = await Promise.all([
      startApi({ configToml: defaultConfig(), port: await freePort() }),
      startApi(bOptions),
      launchPerson('ada'),
      launchPerson('brook'),
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const person of [p1, p2] as (Person | undefined)[]) await person?.close().catch(() => undefined);
    await (A as ApiProcess | undefined)?.dispose();
    await (B as ApiProcess | undefined)?.dispose();
    if (bDatabase) await dropDatabase(bDatabase);
    if (bDir) fs.rmSync(bDir, { recursive: true, force: true });
  }, 60_000);

  it('a message sent while the server is down waits, survives a reload, and arrives exactly once', async () => {
    for (const [person, who] of [
      [p1, ADA],
      [p2, BROOK],
    ] as const) {
      await createIdentity(person.page, A.url, who.username, who.passphrase);
      await unlock(person.page);
      await addServer(person.page, B.url);
      await joinAs(person.page, who.displayName);
      await channelTitle(person.page, 'lobby').waitFor();
    }
    const page = p1.page;

    expect(await B.stop()).toBe(0);
    await page.locator('[data-test=reconnecting]').waitFor({ timeout: WAIT });
    const composer = page.locator('[data-test=composer]');
    await composer.fill(TEXT);
    await composer.press('Enter');
    const message = messagesWith(page, TEXT);
    await message.and(page.locator('[data-state=pending]')).waitFor({ timeout: WAIT });
    await message.locator('[data-test=pending]', { hasText: 'Waiting for connection…' }).waitFor();
    const clientId = defined(await message.getAttribute('data-message'), 'the client id');
    expect(await storedOutbox(page)).toEqual([expect.objectContaining({ clientId, content: TEXT })]);
    await screenshot(page, '12-outbox-waiting');

    // A reload while B is still down: unlock again; the message is still waiting.
    await page.reload();
    await page.locator('[data-test=passphrase]').fill(ADA.passphrase);
    await page.locator('[data-test=unlock]').click();
    await page.waitForURL('**/chat', { timeout: WAIT });
    const waiting = page.locator('[data-test=outbox-waiting]');
    await waiting.waitFor({ timeout: WAIT });
    expect(await waiting.textContent()).toContain('1 message is waiting to be sent');
    await screenshot(page, '13-outbox-after-reload');

    await B.dispose(); // its config.toml; the data stays in bDir
    B = await startApi(bOptions);

    // No click: the outbox sends it after the login, with the client id of the first attempt.
    await messagesWith(page, TEXT).and(page.locator('[data-state=sent]')).waitFor({ timeout: 60_000 });
    const other = p2.page;
    await messagesWith(other, TEXT).waitFor({ timeout: 60_000 });
    expect(await messagesWith(page, TEXT).count()).toBe(1);
    expect(await messagesWith(other, TEXT).count()).toBe(1);
    expect(await storedOutbox(page)).toEqual([]);

    const stored = await withClient(B.databaseUrl(), (db) =>
      db.query<{ client_id: string; author_key: string }>(
        'SELECT client_id, author_key FROM messages WHERE content = $1',
        [TEXT],
      ),
    );
    expect(stored.rows).toEqual([{ client_id: clientId, author_key: ada.publicKey.hex }]);

    // The history the other member loads from scratch has it once too.
    await other.reload();
    await other.locator('[data-test=passphrase]').fill(BROOK.passphrase);
    await other.locator('[data-test=unlock]').click();
    await messagesWith(other, TEXT).waitFor({ timeout: WAIT });
    expect(await messagesWith(other, TEXT).count()).toBe(1);
  });
});
