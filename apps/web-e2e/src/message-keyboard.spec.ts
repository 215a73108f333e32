import type { Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import type { MessageDto } from '@mpqcht/protocol';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { axeViolations } from './support/axe';
import { launchPerson, type Person, screenshot } from './support/browser';
import { addServer, channelTitle, createIdentity, joinAs, unlock, WAIT, waitUntil } from './support/pages';
import { connectAs, ok, send, type TestSocket } from './support/socket';

/**
 * Message actions from the keyboard (issue 14, point 9): the message list is one tab stop whose
 * rows Up/Down/Home/End move between; Enter, the menu key or Shift+F10 open a row's actions menu
 * (arrows move in it, Escape closes it back to the row); editing saves with Enter and returns to
 * the row; deleting asks, then the next row has the focus.
 */

const ADMIN = { username: 'admin-keys-e2e', passphrase: 'lagoon pylon thimble marrow' };
const ADA = { username: 'ada-keys-e2e', passphrase: 'cobalt meadow zither plume', displayName: 'Ada' };
const BROOK = { username: 'brook-keys-e2e', passphrase: 'juniper anvil quasar ripple' };

function communityToml(rootKey: string): string {
  return [
    `[server]\nname = "Keys"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nburst = 10000\nrate_per_second = 10000\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    // Threads have their own spec (threads.spec.ts): here a message's menu is edit and delete.
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\ndefault_permissions = { create_threads = false }\n`,
  ].join('\n');
}

const row = (page: Page, id: string) => page.locator(`article.message[data-message="${id}"]`);
const menu = (page: Page) => page.locator('[data-test=message-menu]');

/** The id of the message whose row has the focus, or null when focus is elsewhere. */
const focusedMessage = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    return active?.matches('article.message') ? active.getAttribute('data-message') : null;
  });

/** The label of the focused menu item, or null. */
const focusedItem = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    return active?.getAttribute('role') === 'menuitem' ? active.textContent.trim() : null;
  });

describe('web client: message actions from the keyboard', () => {
  let api: ApiProcess;
  let admin: DerivedIdentity;
  let ada: DerivedIdentity;
  let brook: DerivedIdentity;
  let person: Person;
  let adminSocket: TestSocket;
  let adaDevice: TestSocket;
  let brookSocket: TestSocket;
  /** brook 1, ada 2, brook 3, ada 4: Ada's own messages are 2 and 4. */
  const m: MessageDto[] = [];

  beforeAll(async () => {
    [admin, ada, brook] = await Promise.all([
      deriveIdentity(ADMIN.username, ADMIN.passphrase),
      deriveIdentity(ADA.username, ADA.passphrase),
      deriveIdentity(BROOK.username, BROOK.passphrase),
    ]);
    const port = await freePort();
    [api, person] = await Promise.all([
      startApi({ configToml: communityToml(admin.publicKey.hex), port }),
      launchPerson('ada-keys'),
    ]);
    // Ada and Brook are plain members: no moderate, so only Ada's own messages have actions.
    adminSocket = await connectAs(api.url, admin);
    await ok(adminSocket, 'member.join', { displayName: 'Admin' });
    await ok(adminSocket, 'members.authorize', { publicKey: ada.publicKey.hex });
    await ok(adminSocket, 'members.authorize', { publicKey: brook.publicKey.hex });
    brookSocket = await connectAs(api.url, brook);
    await ok(brookSocket, 'member.join', { displayName: 'Brook' });

    const page = person.page;
    await createIdentity(page, api.url, ADA.username, ADA.passphrase);
    await unlock(page);
    await addServer(page, api.url);
    await joinAs(page, ADA.displayName);
    await channelTitle(page, 'lobby').waitFor();
    adaDevice = await connectAs(api.url, ada);

    m.push(await send(brookSocket, 'lobby', 'brook 1'));
    m.push(await send(adaDevice, 'lobby', 'ada 2'));
    m.push(await send(brookSocket, 'lobby', 'brook 3'));
    m.push(await send(adaDevice, 'lobby', 'ada 4'));
    for (const message of m) await row(page, message.id).waitFor({ timeout: WAIT });
  }, 120_000);

  afterAll(async () => {
    // Undefined when beforeAll failed early.
    for (const socket of [adminSocket, adaDevice, brookSocket] as (TestSocket | undefined)[]) socket?.close();
    await (person as Person | undefined)?.close().catch(() => undefined);
    await (api as ApiProcess | undefined)?.dispose();
  }, 60_000);

  const id = (n: 1 | 2 | 3 | 4) => m[n - 1]?.id ?? '';

  it('is one tab stop whose rows the arrows, Home and End move between', async () => {
    const page = person.page;
    await page.locator('[data-test=composer]').focus();
    // Back from the composer: the list's one tab stop, the newest message.
    await page.keyboard.press('Shift+Tab');
    expect(await focusedMessage(page)).toBe(id(4));
    expect(await page.locator('article.message[tabindex="0"]').count()).toBe(1);

    await page.keyboard.press('ArrowUp');
    expect(await focusedMessage(page)).toBe(id(3));
    await screenshot(page, 'keyboard-01-focused-row');
    await page.keyboard.press('ArrowUp');
    expect(await focusedMessage(page)).toBe(id(2));
    await page.keyboard.press('ArrowDown');
    expect(await focusedMessage(page)).toBe(id(3));
    await page.keyboard.press('Home');
    expect(await focusedMessage(page)).toBe(id(1));
    await page.keyboard.press('End');
    expect(await focusedMessage(page)).toBe(id(4));

    // The tab stop follows the focus: back to the composer and into the list again lands on it.
    await page.keyboard.press('ArrowUp');
    // The page renders the moved tab stop a moment after the focus moved.
    await waitUntil(
      async () => (await row(page, id(3)).getAttribute('tabindex')) === '0',
      'the tab stop on 3',
    );
    expect(await row(page, id(4)).getAttribute('tabindex')).toBe('-1');
    await page.locator('[data-test=composer]').focus();
    await page.keyboard.press('Shift+Tab');
    expect(await focusedMessage(page)).toBe(id(3));
    // Someone else's message, without moderate: no actions, so no menu.
    await page.keyboard.press('Enter');
    expect(await menu(page).count()).toBe(0);
  });

  it('opens the actions menu with the menu key, Shift+F10 or Enter; arrows move in it, Escape goes back to the row', async () => {
    const page = person.page;
    await row(page, id(2)).focus();
    for (const key of ['ContextMenu', 'Shift+F10', 'Enter']) {
      await page.keyboard.press(key);
      await menu(page).waitFor({ timeout: WAIT });
      expect(await menu(page).locator('[role=menuitem]').allTextContents()).toEqual([' Edit ', ' Delete ']);
      await waitUntil(async () => (await focusedItem(page)) === 'Edit', `Edit focused after ${key}`);
      await page.keyboard.press('ArrowDown');
      expect(await focusedItem(page)).toBe('Delete');
      if (key === 'ContextMenu') {
        await screenshot(page, 'keyboard-02-actions-menu');
        expect(await axeViolations(page, '[data-test=message-menu]')).toEqual([]);
      }
      await page.keyboard.press('ArrowDown');
      expect(await focusedItem(page)).toBe('Edit');
      await page.keyboard.press('Escape');
      await menu(page).waitFor({ state: 'detached' });
      expect(await focusedMessage(page)).toBe(id(2));
    }
  });

  it('edits from the menu: Enter in the edit box saves, and focus returns to the row', async () => {
    const page = person.page;
    await row(page, id(2)).focus();
    await page.keyboard.press('Shift+F10');
    await menu(page).waitFor({ timeout: WAIT });
    await waitUntil(async () => (await focusedItem(page)) === 'Edit', 'Edit focused');
    await page.keyboard.press('Enter');
    const box = page.locator('[data-test=edit-box]');
    await box.waitFor({ timeout: WAIT });
    await waitUntil(
      () => page.evaluate(() => document.activeElement?.getAttribute('data-test') === 'edit-box'),
      'the edit box focused',
    );
    expect(await box.inputValue()).toBe('ada 2');
    // A message arriving meanwhile (Ada reads it: her read state changes) leaves the edit open.
    const meanwhile = await send(brookSocket, 'lobby', 'brook 5, while Ada edits');
    await row(page, meanwhile.id).waitFor({ timeout: WAIT });
    await waitUntil(
      async () =>
        (await ok(adaDevice, 'channels.list', {})).channels[0]?.readState.lastReadSeq === meanwhile.seq,
      'brook 5 read',
    );
    expect(await box.count()).toBe(1);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe('edit-box');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('ada 2, edited from the keyboard');
    await waitUntil(
      async () => (await box.inputValue()) === 'ada 2, edited from the keyboard',
      'the new text',
    );
    // Up and Down in the edit box are the text's, not the list's.
    await page.keyboard.press('ArrowUp');
    expect(await box.count()).toBe(1);

    const updated = new Promise<string>((resolve) =>
      adaDevice.once('message.updated', (u) => resolve(u.content)),
    );
    await page.keyboard.press('Enter');
    expect(await updated).toBe('ada 2, edited from the keyboard');
    await box.waitFor({ state: 'detached', timeout: WAIT });
    await row(page, id(2)).filter({ hasText: 'ada 2, edited from the keyboard' }).waitFor({ timeout: WAIT });
    await waitUntil(async () => (await focusedMessage(page)) === id(2), 'focus back on the edited row');

    // E edits an own message directly; Escape cancels, and focus is on the row again.
    await page.keyboard.press('e');
    await box.waitFor({ timeout: WAIT });
    await page.keyboard.press('Escape');
    await box.waitFor({ state: 'detached', timeout: WAIT });
    await waitUntil(async () => (await focusedMessage(page)) === id(2), 'focus back after cancelling');
  });

  it('deletes from the menu after confirming, and the row below takes the focus', async () => {
    const page = person.page;
    await row(page, id(2)).focus();
    await page.keyboard.press('ContextMenu');
    await menu(page).waitFor({ timeout: WAIT });
    await waitUntil(async () => (await focusedItem(page)) === 'Edit', 'Edit focused');
    await page.keyboard.press('ArrowDown');
    expect(await focusedItem(page)).toBe('Delete');

    // Deleting asks first, in the app's dialog, whose Cancel has the focus (a danger question).
    const deleted = new Promise<string>((resolve) =>
      adaDevice.once('message.deleted', (d) => resolve(d.messageId)),
    );
    await page.keyboard.press('Enter');
    const question = page.locator('[role=alertdialog]');
    await question.waitFor({ timeout: WAIT });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe(
      'confirm-cancel',
    );
    await question.locator('[data-test=confirm-accept]').focus();
    await page.keyboard.press('Enter');
    expect(await deleted).toBe(id(2));
    await row(page, id(2)).waitFor({ state: 'detached', timeout: WAIT });
    await waitUntil(async () => (await focusedMessage(page)) === id(3), 'focus on the row below');
    expect(person.unexpectedDialogs).toEqual([]);
  });
});
