import type { Locator, Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { axeViolations } from './support/axe';
import { launchPerson, type Person, screenshot } from './support/browser';
import { addServer, channelTitle, createIdentity, joinAs, unlock, WAIT, waitUntil } from './support/pages';
import { connectAs, ok, type TestSocket } from './support/socket';

/**
 * Mentions in the browser (issue 14, point 5): `@` offers the members who can read the channel,
 * `#` the channels, as a combobox; what it inserts is what the server resolves; a rendered mention
 * is a chip (the reader's own one stands out, a channel chip opens the channel), readable in both
 * themes; Markdown tables have borders.
 */

const ADA = { username: 'ada-mentions-e2e', passphrase: 'thistle marimba gravel osprey', displayName: 'Ada' };
const BROOK = { username: 'brook-mentions-e2e', passphrase: 'quill tandem basalt heron' };
const CAROL = { username: 'carol-mentions-e2e', passphrase: 'fennel origami crater wombat' };

function communityToml(rootKey: string): string {
  return [
    `[server]\nname = "Mentions"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nburst = 10000\nrate_per_second = 10000\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[roles]]\nid = "staff"\nname = "Staff"\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\ntopic = "Where everyone meets"\n`,
    `[[channels]]\nid = "random"\nname = "random"\ngroup = "general"\ntopic = "Anything goes"\n`,
    `[[channels]]\nid = "staff-room"\nname = "staff-room"\ngroup = "general"\ndefault_permissions = { view = false }\n`,
    `[[channels.overrides]]\nrole = "staff"\nallow = ["view"]\n`,
  ].join('\n');
}

const composer = (page: Page) => page.locator('[data-test=composer]');
const listbox = (page: Page) => page.locator('[data-test=mention-list]');
const options = (page: Page) => page.locator('[data-test=mention-option]');
const channelButton = (page: Page, id: string) => page.locator(`mq-channel-sidebar [data-channel="${id}"]`);

/** An empty composer with the focus (each test starts there, whatever the last one left). */
async function emptyComposer(page: Page): Promise<Locator> {
  const box = composer(page);
  await box.fill('');
  await box.focus();
  return box;
}

/** The texts of the offered options and which one is aria-selected. */
async function offered(page: Page): Promise<{ names: string[]; selected: string[] }> {
  return options(page).evaluateAll((items) => ({
    names: items.map((i) => i.querySelector('.name')?.textContent.trim() ?? ''),
    selected: items.map((i) => i.getAttribute('aria-selected') ?? ''),
  }));
}

/** Waits until the offered names are these (the page renders a key press a moment after it). */
async function expectOffered(page: Page, names: string[]): Promise<void> {
  let last: string[] = [];
  try {
    await waitUntil(
      async () => {
        last = (await offered(page)).names;
        return last.join('\n') === names.join('\n');
      },
      `the options ${names.join(', ')}`,
    );
  } catch (error) {
    throw new Error(`${String(error)}; offered: ${last.join(', ')}`);
  }
}

/** WCAG contrast ratio of an element's text colour on its own background colour. */
function contrastOf(
  chip: Locator,
): Promise<{ text: string; color: string; background: string; ratio: number }> {
  return chip.evaluate((el) => {
    const style = getComputedStyle(el);
    const rgb = (value: string) => (value.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const [R = 0, G = 0, B = 0] = [r, g, b].map((c) => {
        const s = c / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const [high, low] = [luminance(rgb(style.color)), luminance(rgb(style.backgroundColor))].sort(
      (a, b) => b - a,
    );
    return {
      text: el.textContent,
      color: style.color,
      background: style.backgroundColor,
      ratio: ((high ?? 0) + 0.05) / ((low ?? 0) + 0.05),
    };
  });
}

/**
 * Both chips (another member, the reader) readable on their own background in both themes, the
 * reader's one different, and axe content with the messages' content in both; ends in light.
 */
async function checkChipsIn(page: Page, chips: Locator): Promise<void> {
  for (const scheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const [other, own] = [await contrastOf(chips.nth(0)), await contrastOf(chips.nth(1))];
    for (const found of [other, own]) {
      expect({ scheme, ...found, enough: found.ratio >= 4.5 }).toMatchObject({ scheme, enough: true });
    }
    // The two kinds differ: the own one is not just another chip.
    expect(own.background).not.toBe(other.background);
    expect(await axeViolations(page, 'article.message .content')).toEqual([]);
  }
  await screenshot(page, 'mentions-03-chips-light');
}

describe('web client: mentions', () => {
  let api: ApiProcess;
  let ada: DerivedIdentity;
  let brook: DerivedIdentity;
  let carol: DerivedIdentity;
  let person: Person;
  let adaDevice: TestSocket;
  let brookSocket: TestSocket;
  let carolSocket: TestSocket;

  beforeAll(async () => {
    [ada, brook, carol] = await Promise.all([
      deriveIdentity(ADA.username, ADA.passphrase),
      deriveIdentity(BROOK.username, BROOK.passphrase),
      deriveIdentity(CAROL.username, CAROL.passphrase),
    ]);
    const port = await freePort();
    [api, person] = await Promise.all([
      startApi({ configToml: communityToml(ada.publicKey.hex), port }),
      launchPerson('ada-mentions'),
    ]);
    const page = person.page;
    await createIdentity(page, api.url, ADA.username, ADA.passphrase);
    await unlock(page);
    await addServer(page, api.url);
    await joinAs(page, ADA.displayName);
    await channelTitle(page, 'lobby').waitFor();

    adaDevice = await connectAs(api.url, ada);
    await ok(adaDevice, 'members.authorize', { publicKey: brook.publicKey.hex });
    await ok(adaDevice, 'members.authorize', { publicKey: carol.publicKey.hex, roles: ['staff'] });
    brookSocket = await connectAs(api.url, brook);
    await ok(brookSocket, 'member.join', { displayName: 'Brook' });
    carolSocket = await connectAs(api.url, carol);
    await ok(carolSocket, 'member.join', { displayName: 'Carol' });
    await page.locator('mq-member-list [data-member="Carol"]').waitFor({ timeout: WAIT });
  }, 120_000);

  afterAll(async () => {
    // Undefined when beforeAll failed early.
    for (const socket of [adaDevice, brookSocket, carolSocket] as (TestSocket | undefined)[]) socket?.close();
    await (person as Person | undefined)?.close().catch(() => undefined);
    await (api as ApiProcess | undefined)?.dispose();
  }, 60_000);

  it('@ offers the members as a combobox: Down selects the second, Enter inserts it, Escape closes', async () => {
    const page = person.page;
    const box = await emptyComposer(page);
    await box.pressSequentially('Hello @');
    await listbox(page).waitFor({ timeout: WAIT });
    // Online members first, then by name: all three can read the lobby.
    await expectOffered(page, ['@Ada', '@Brook', '@Carol']);
    expect(await box.getAttribute('role')).toBe('combobox');
    expect(await box.getAttribute('aria-expanded')).toBe('true');
    expect(await box.getAttribute('aria-controls')).toBe(await listbox(page).getAttribute('id'));
    expect((await offered(page)).selected).toEqual(['true', 'false', 'false']);

    // The page renders a key a moment after it is pressed: wait for it, then it must be the second.
    await page.keyboard.press('ArrowDown');
    await waitUntil(
      async () => (await offered(page)).selected.join() !== 'true,false,false',
      'the selection to move',
    );
    expect((await offered(page)).selected).toEqual(['false', 'true', 'false']);
    const second = await options(page).nth(1).getAttribute('id');
    expect(await box.getAttribute('aria-activedescendant')).toBe(second);
    await screenshot(page, 'mentions-01-autocomplete');

    // axe-core finds nothing wrong with the open combobox (no aria-multiline on it, among others)
    // but the one deliberate choice: WAI-ARIA's combobox on a textarea, which ARIA in HTML does
    // not list for it (a best-practice rule; docs/web-client.md, Mentions, says why).
    const found = await axeViolations(page, 'mq-composer');
    expect(found.map(({ id, impact, targets }) => ({ id, impact, targets }))).toEqual([
      { id: 'aria-allowed-role', impact: 'minor', targets: ['textarea'] },
    ]);

    await page.keyboard.press('Enter');
    await listbox(page).waitFor({ state: 'detached' });
    expect(await box.inputValue()).toBe('Hello @Brook ');
    expect(await box.getAttribute('aria-expanded')).toBe('false');

    // Typing narrows; Escape closes and leaves the text (and the channel) as it was.
    await box.pressSequentially('and @ca');
    await expectOffered(page, ['@Carol']);
    await page.keyboard.press('Escape');
    await listbox(page).waitFor({ state: 'detached' });
    expect(await box.inputValue()).toBe('Hello @Brook and @ca');
    await box.fill('');
  });

  it('a sent mention shows as a chip, the reader’s own one prominent, readable in both themes', async () => {
    const page = person.page;
    const box = await emptyComposer(page);
    await box.pressSequentially('@br');
    await expectOffered(page, ['@Brook']);
    await page.keyboard.press('Tab');
    await box.pressSequentially('and @ad');
    await expectOffered(page, ['@Ada']);
    // Typing straight after picking: nothing typed is lost.
    await page.keyboard.press('Enter');
    await box.pressSequentially('please look');
    await waitUntil(async () => (await box.inputValue()).endsWith('look'), 'the typing');
    expect(await box.inputValue()).toBe('@Brook and @Ada please look');
    const stored = new Promise<{ mentions: string[] }>((resolve) =>
      brookSocket.once('message.created', (m) => resolve({ mentions: [...m.mentions] })),
    );
    await page.keyboard.press('Enter');
    // The server resolved exactly what the autocompletion inserted.
    expect((await stored).mentions).toEqual([brook.publicKey.hex, ada.publicKey.hex]);

    const row = page.locator('article.message[data-state=sent]', { hasText: 'please look' });
    await row.waitFor({ timeout: WAIT });
    expect(await row.getAttribute('class')).toContain('mentioned');
    const chips = row.locator('.content .mention');
    await waitUntil(async () => (await chips.count()) === 2, 'two chips');
    expect(
      await chips.evaluateAll((els) =>
        els.map((e): string[] => [e.tagName, e.getAttribute('class') ?? '', e.textContent]),
      ),
    ).toEqual([
      ['SPAN', 'mention', '@Brook'],
      ['SPAN', 'mention self', '@Ada'],
    ]);
    await screenshot(page, 'mentions-02-chips-dark');

    try {
      await checkChipsIn(page, chips);
    } finally {
      await page.emulateMedia({ colorScheme: 'dark' });
    }
  });

  it('# offers the channels; a sent channel mention is a chip that opens the channel', async () => {
    const page = person.page;
    const box = await emptyComposer(page);
    await box.pressSequentially('Continue in #');
    await expectOffered(page, ['#lobby', '#random', '#staff-room']);
    await box.pressSequentially('ra');
    await expectOffered(page, ['#random']);
    expect(await listbox(page).getAttribute('aria-label')).toBe('Channels');
    await options(page).first().click();
    expect(await box.inputValue()).toBe('Continue in #random ');
    await box.pressSequentially('please');
    await page.keyboard.press('Enter');

    const chip = page
      .locator('article.message[data-state=sent]', { hasText: 'Continue in' })
      .locator('.mention.channel');
    await chip.waitFor({ timeout: WAIT });
    expect(await chip.textContent()).toBe('#random');
    expect((await contrastOf(chip)).ratio).toBeGreaterThanOrEqual(4.5);
    await chip.click();
    await channelTitle(page, 'random').waitFor({ timeout: WAIT });
  });

  it('@ offers only the members who can read the channel', async () => {
    const page = person.page;
    await channelButton(page, 'staff-room').click();
    await channelTitle(page, 'staff-room').waitFor();
    const box = await emptyComposer(page);
    await box.pressSequentially('@');
    // Brook cannot view staff-room: channels.viewers leaves him out.
    await waitUntil(
      async () => (await offered(page)).names.join() === '@Ada,@Carol',
      'the staff-room viewers',
    );
    await page.keyboard.press('Escape');
    await channelButton(page, 'lobby').click();
    await channelTitle(page, 'lobby').waitFor();
  });

  it('renders a Markdown table with visible borders and padding in both themes', async () => {
    const page = person.page;
    const box = await emptyComposer(page);
    await box.fill('| name | role |\n| --- | --- |\n| Ada | root |\n| Brook | member |');
    await box.press('Enter');
    const table = page.locator('article.message[data-state=sent] .content table').last();
    await table.waitFor({ timeout: WAIT });
    await screenshot(page, 'mentions-04-table-dark');
    for (const scheme of ['dark', 'light'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const cells = await table.locator('th, td').evaluateAll((els) =>
        els.map((el) => {
          const style = getComputedStyle(el);
          return {
            border: `${style.borderTopWidth} ${style.borderTopStyle}`,
            left: `${style.borderLeftWidth} ${style.borderLeftStyle}`,
            color: style.borderTopColor,
            padding: parseFloat(style.paddingLeft),
          };
        }),
      );
      expect(cells).toHaveLength(6);
      for (const cell of cells) {
        expect({ scheme, border: cell.border, left: cell.left }).toEqual({
          scheme,
          border: '1px solid',
          left: '1px solid',
        });
        expect(cell.color).not.toMatch(/rgba\(.*, 0\)|transparent/);
        expect(cell.padding).toBeGreaterThanOrEqual(6);
      }
    }
    await screenshot(page, 'mentions-05-table-light');
    await page.emulateMedia({ colorScheme: 'dark' });
  });
});
