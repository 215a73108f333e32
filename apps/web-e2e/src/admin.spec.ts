import type { Locator, Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity, generateRandomIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi, withClient } from '@mpqcht/test-harness';

import { expectAccessible } from './support/axe';
import { launchPerson, type Person, screenshot } from './support/browser';
import {
  addServer,
  channelTitle,
  createIdentity,
  defined,
  joinAs,
  rail,
  unlock,
  WAIT,
} from './support/pages';
import { connectAs, ok } from './support/socket';

/**
 * Issue 14, points 7 and 8 in Chromium against a real api: the server settings view (a tab per
 * section, by permission), an invite made with the app's controls and opened in a second browser
 * (which says which server and who invited before unlocking), the member popover, a ban and the
 * banned member's page, the app's confirmation dialog, and a pasted public key authorized from
 * the browser that can then log in. The tests run in order and share the people and the server.
 */

const ADA = { username: 'ada-admin-e2e', passphrase: 'quasar otter bramble nimbus', displayName: 'Ada' };
const BEA = { username: 'bea-admin-e2e', passphrase: 'mortar cobalt juniper wisp', displayName: 'Bea' };
const SERVER = 'Harbor';
const BAN_REASON =
  'Posted the same advertisement in every channel after two warnings; see the thread in #lobby from ' +
  'Tuesday evening, and the screenshots the moderators collected (this reason is long on purpose).';

function communityToml(rootKey: string): string {
  const channel = (id: string) => `[[channels]]\nid = "${id}"\nname = "${id}"\ngroup = "general"\n`;
  return [
    `[server]\nname = "${SERVER}"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nburst = 10000\nrate_per_second = 10000\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[roles]]\nid = "staff"\nname = "Staff"\ncolor = "#e67e22"\nposition = 10\npermissions = ["kick"]\n`,
    `[[roles]]\nid = "greeter"\nname = "Greeter"\nposition = 5\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    channel('lobby'),
    channel('random'),
  ].join('\n');
}

const settingsDialog = (page: Page) => page.getByRole('dialog', { name: `Server settings: ${SERVER}` });
const tab = (page: Page, section: string) =>
  settingsDialog(page).locator(`[role=tab][data-section=${section}]`);
const panel = (page: Page, section: string) =>
  settingsDialog(page).locator(`[role=tabpanel][data-section=${section}]`);

async function openSettings(page: Page, section: string): Promise<void> {
  if ((await settingsDialog(page).count()) === 0) await page.locator('[data-test=open-settings]').click();
  await tab(page, section).click();
  await panel(page, section).waitFor();
}

async function closeSettings(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await page.locator('[data-test=server-settings]').waitFor({ state: 'detached' });
}

/** The texts of the elements whose content is cut off: wider than their box (block elements). */
function cutOff(locator: Locator): Promise<string[]> {
  return locator.evaluateAll((elements) =>
    elements.filter((e) => e.scrollWidth > e.clientWidth + 1).map((e) => e.textContent),
  );
}

describe('web client: server settings, invites, bans, authorizing keys', () => {
  let api: ApiProcess;
  let ada: DerivedIdentity;
  let bea: DerivedIdentity;
  let root: Person;
  let guest: Person;
  let inviteUrl = '';

  beforeAll(async () => {
    [ada, bea] = await Promise.all([
      deriveIdentity(ADA.username, ADA.passphrase),
      deriveIdentity(BEA.username, BEA.passphrase),
    ]);
    const port = await freePort();
    [api, root, guest] = await Promise.all([
      startApi({ configToml: communityToml(ada.publicKey.hex), port }),
      launchPerson('ada-admin'),
      launchPerson('bea-admin'),
    ]);
  }, 120_000);

  afterAll(async () => {
    for (const person of [root, guest] as (Person | undefined)[])
      await person?.close().catch(() => undefined);
    await (api as ApiProcess | undefined)?.dispose();
  }, 60_000);

  it('shows the root a settings view with a tab per section, and nothing before joining', async () => {
    const page = root.page;
    await createIdentity(page, api.url, ADA.username, ADA.passphrase);
    await unlock(page);
    await addServer(page, api.url);
    // A root key that has not picked its name: session.get reports every permission, but the
    // page offers no administration yet.
    await page.locator('[data-test=display-name]').waitFor({ timeout: WAIT });
    expect(await page.locator('[data-test=open-settings]').count()).toBe(0);
    expect(await page.locator('[data-test=open-invite]').count()).toBe(0);
    await joinAs(page, ADA.displayName);
    await channelTitle(page, 'lobby').waitFor();
    // The old admin buttons above the member list are gone.
    expect(await page.locator('mq-member-list button:not(.member)').count()).toBe(0);

    await page.locator('[data-test=open-settings]').click();
    await settingsDialog(page).waitFor();
    expect(
      await settingsDialog(page)
        .locator('[role=tab]')
        .evaluateAll((tabs) => tabs.map((t) => t.getAttribute('data-section'))),
    ).toEqual(['invites', 'members', 'bans', 'audit', 'config']);
    await panel(page, 'invites').locator('[data-test=create-invite]').waitFor();
    await screenshot(page, 'admin-01-settings-invites');
    // The keyboard moves between tabs, as a tab list does.
    await tab(page, 'invites').focus();
    await page.keyboard.press('ArrowDown');
    await panel(page, 'members').locator('[data-test=authorize-key]').waitFor();
    expect(await tab(page, 'members').getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-section'))).toBe('members');
    await screenshot(page, 'admin-02-settings-members');
    await openSettings(page, 'bans');
    await panel(page, 'bans').getByText('Nobody is banned.').waitFor();
    await screenshot(page, 'admin-03-settings-bans');
    await openSettings(page, 'audit');
    await panel(page, 'audit').getByText('Nothing recorded yet.').waitFor();
    await openSettings(page, 'config');
    await panel(page, 'config').locator('[data-test=config-text]').waitFor();
    expect(await panel(page, 'config').locator('[data-test=config-text]').inputValue()).toContain(
      `name = "${SERVER}"`,
    );
    await screenshot(page, 'admin-04-settings-config');
    await expectAccessible(page, 'settings-config', '[data-test=server-settings]');
    await closeSettings(page);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe(
      'open-settings',
    );
  });

  it("makes an invite with the app's controls; the invite page names the server and the inviter before unlocking", async () => {
    const page = root.page;
    await openSettings(page, 'invites');
    const creator = panel(page, 'invites').locator('mq-invite-creator');
    // The app's controls: no native select or number spinner.
    expect(await settingsDialog(page).locator('select, input[type=number]').count()).toBe(0);
    await creator.locator('label', { hasText: '1 day' }).click();
    await creator.locator('label', { hasText: /^\s*5\s*$/ }).click();
    expect(await creator.locator('[data-expiry="1 day"]').isChecked()).toBe(true);
    expect(await creator.locator('[data-uses="5"]').isChecked()).toBe(true);
    await creator.locator('[data-test=invite-note]').fill('for Bea');
    await creator.locator('[data-test=create-invite]').click();
    const link = creator.locator('[data-test=invite-link]');
    await link.waitFor();
    inviteUrl = await link.inputValue();
    expect(inviteUrl).toMatch(
      new RegExp(`^${api.url}/join/${encodeURIComponent(api.url)}/[A-Za-z0-9_-]{32}$`),
    );
    const entry = panel(page, 'invites').locator('[data-test=invite-entry][data-state=live]');
    await entry.waitFor();
    expect(await entry.textContent()).toContain('0 / 5');
    await screenshot(page, 'admin-05-invite-created');
    await closeSettings(page);

    const other = guest.page;
    await other.goto(inviteUrl);
    await other.waitForURL('**/unlock?next=**', { timeout: WAIT });
    const banner = other.locator('[data-test=invite-banner][data-kind=valid]');
    await banner.waitFor({ timeout: WAIT });
    expect((await other.locator('[data-test=invite-title]').textContent())?.replace(/\s+/g, ' ').trim()).toBe(
      `You've been invited to ${SERVER} by ${ADA.displayName}`,
    );
    const meta = (await banner.locator('.invite-meta').textContent()) ?? '';
    expect(meta).toContain(api.url);
    expect(meta).toMatch(/expires in 2[34] hours/);
    expect(meta).toContain('5 uses left');
    await other.locator('[data-test=username]').fill(BEA.username);
    await other.locator('[data-test=passphrase]').fill(BEA.passphrase);
    await other.locator('[data-test=strength]', { hasText: 'Strong enough' }).waitFor({ timeout: WAIT });
    await screenshot(other, 'admin-06-invite-landing');
    await expectAccessible(other, 'invite-landing', '[data-test=invite-banner]');
    await unlock(other);
    await joinAs(other, BEA.displayName);
    await channelTitle(other, 'lobby').waitFor();
  });

  it('opens the member panel as a popover beside the row; the root bans the member, whose page says so', async () => {
    const page = root.page;
    const row = page.locator('mq-member-list [data-member="Bea"]');
    await row.waitFor({ timeout: WAIT });
    await row.click();
    const popover = page.locator('.cdk-overlay-container [data-test=member-panel]');
    await popover.waitFor();
    // Not inside the list: beside it, to its left, level with the row.
    expect(await page.locator('mq-member-list [data-test=member-panel]').count()).toBe(0);
    const list = defined(await page.locator('mq-member-list').boundingBox(), 'the member list');
    const box = defined(await popover.boundingBox(), 'the popover');
    const rowBox = defined(await row.boundingBox(), 'the row');
    expect(box.x + box.width).toBeLessThanOrEqual(list.x + 1);
    expect(Math.abs(box.y - rowBox.y)).toBeLessThan(2);
    expect(await row.getAttribute('aria-expanded')).toBe('true');
    await screenshot(page, 'admin-07-member-popover');
    await expectAccessible(page, 'member-popover', '.cdk-overlay-container [data-test=member-panel]');
    // Escape closes it and gives the focus back to the row.
    await page.keyboard.press('Escape');
    await popover.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-member'))).toBe('Bea');

    await row.click();
    await popover.locator('[data-test=ban]').click();
    await popover.locator('[data-test=reason]').fill(BAN_REASON);
    await popover.locator('[data-test=confirm-action]').click();
    await popover.getByText('Bea was banned.').waitFor({ timeout: WAIT });

    const other = guest.page;
    const banned = other.locator('[data-test=banned]');
    await banned.waitFor({ timeout: WAIT });
    expect(await banned.locator('h2').textContent()).toBe(`You were banned from ${SERVER}`);
    expect(await banned.locator('[data-test=ban-reason]').textContent()).toContain(BAN_REASON);
    // Nothing stale beside it: no channels, no members.
    expect(await other.locator('mq-channel-sidebar [data-channel]').count()).toBe(0);
    expect(await other.locator('mq-member-list [data-member]').count()).toBe(0);
    await screenshot(other, 'admin-08-banned');
    await expectAccessible(other, 'banned', '[data-test=banned]');

    // After a reload the login is refused as banned, and the page still says why.
    await other.reload();
    await other.locator('[data-test=passphrase]').fill(BEA.passphrase);
    await unlock(other);
    await banned.waitFor({ timeout: WAIT });
    expect(await banned.locator('[data-test=ban-reason]').textContent()).toContain(BAN_REASON);

    // The app's confirmation, not the browser's: Cancel keeps the server, Remove removes it.
    await banned.locator('[data-test=remove-server]').click();
    const confirmation = other.getByRole('alertdialog', { name: 'Remove server' });
    await confirmation.waitFor();
    expect(await confirmation.getAttribute('aria-modal')).toBe('true');
    expect(
      await confirmation.locator('[data-test=confirm-cancel]').evaluate((b) => b === document.activeElement),
    ).toBe(true);
    await screenshot(other, 'admin-09-confirm-dialog');
    await expectAccessible(other, 'confirm', '[role=alertdialog]');
    await other.keyboard.press('Escape');
    await confirmation.waitFor({ state: 'detached' });
    await rail(other, api.url).waitFor();
    await banned.locator('[data-test=remove-server]').click();
    await confirmation.locator('[data-test=confirm-accept]').click();
    await rail(other, api.url).waitFor({ state: 'detached', timeout: WAIT });
    expect(guest.unexpectedDialogs).toEqual([]);
  });

  it('lists the ban, and shows every audit detail in full, wrapped', async () => {
    const page = root.page;
    await openSettings(page, 'bans');
    const ban = panel(page, 'bans').locator(`[data-test=ban-entry][data-key="${bea.publicKey.hex}"]`);
    await ban.waitFor({ timeout: WAIT });
    expect(await ban.textContent()).toContain(BAN_REASON);
    await screenshot(page, 'admin-10-settings-bans');

    await openSettings(page, 'audit');
    const entry = panel(page, 'audit').locator('[data-test=audit-entry][data-action="member.banned"]');
    await entry.waitFor({ timeout: WAIT });
    expect(await entry.textContent()).toContain(BAN_REASON);
    // Bea is no longer a member; the page still knows her name (and the key is in the tooltip).
    expect(await entry.locator('.target').textContent()).toBe('Bea');
    expect(await entry.locator('.target').getAttribute('title')).toBe(bea.publicKey.hex);
    const redeemed = panel(page, 'audit').locator('[data-test=audit-entry][data-action="invite.redeemed"]');
    expect(await redeemed.locator('.actor').textContent()).toBe('Bea');
    // Nothing is cut off: no detail is wider or taller than its box.
    expect(await cutOff(panel(page, 'audit').locator('[data-test=audit-details] dd'))).toEqual([]);
    expect(await cutOff(panel(page, 'audit').locator('[data-test=audit-entry]'))).toEqual([]);
    expect(await cutOff(panel(page, 'audit'))).toEqual([]);
    await screenshot(page, 'admin-11-settings-audit');
    await closeSettings(page);
  });

  it('authorizes a pasted public key from the browser; that key can then log in', async () => {
    const page = root.page;
    const newcomer = await generateRandomIdentity();
    await openSettings(page, 'members');
    const form = panel(page, 'members');
    const field = form.locator('[data-test=authorize-key]');

    // Not a key: refused here, with the parser's reason, and nothing is sent.
    await field.fill(newcomer.publicKey.hex.slice(0, 40));
    await form.locator('[data-test=authorize-submit]').click();
    // Rendered after the click's change detection: waited for, not read at once.
    await form
      .locator('[data-test=authorize-problem]', { hasText: '66 hexadecimal characters' })
      .waitFor({ timeout: WAIT });
    // The banned key: the server refuses, and its code is shown.
    await field.fill(bea.publicKey.hex);
    await form.locator('[data-test=authorize-submit]').click();
    const refused = form.locator('[data-test=authorize-error]');
    await refused.waitFor({ timeout: WAIT });
    expect(await refused.getAttribute('data-code')).toBe('forbidden');
    expect(await refused.textContent()).toContain('banned');

    // The key as the app shows it (66 hex characters), with a role.
    await field.fill(newcomer.publicKey.hex);
    await form.locator('[data-role=staff]').check();
    await form.locator('[data-test=authorize-submit]').click();
    const done = form.locator('[data-test=authorize-done]');
    await done.waitFor({ timeout: WAIT });
    expect(await done.textContent()).toContain(`Authorized ${newcomer.publicKey.hex.slice(0, 10)}`);
    expect(await done.textContent()).toContain('with Staff');
    await screenshot(page, 'admin-12-authorized-key');
    await expectAccessible(page, 'settings-authorized', '[data-test=server-settings]');
    await page.emulateMedia({ colorScheme: 'light' });
    await screenshot(page, 'admin-13-authorized-key-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await closeSettings(page);

    // The key logs in (as the CLI does) and joins with the role it was given.
    const socket = await connectAs(api.url, newcomer);
    try {
      expect((await ok(socket, 'session.get', {})).member).toBeNull();
      const joined = await ok(socket, 'member.join', { displayName: 'Newcomer' });
      expect(joined).toMatchObject({ publicKey: newcomer.publicKey.hex, roles: ['staff'] });
    } finally {
      socket.close();
    }
    const stored = await withClient(api.databaseUrl(), (db) =>
      db.query<{ authorized_by: string }>('SELECT authorized_by FROM members WHERE public_key = $1', [
        newcomer.publicKey.hex,
      ]),
    );
    expect(stored.rows).toEqual([{ authorized_by: ada.publicKey.hex }]);
    expect(root.unexpectedDialogs).toEqual([]);
    expect(root.cspViolations).toEqual([]);
  });
});
