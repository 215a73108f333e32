import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { expectAccessible } from './support/axe';
import { launchPerson, type Person } from './support/browser';
import { addServer, createIdentity, unlock, WAIT } from './support/pages';
import { connectAs, ok, send, type TestSocket } from './support/socket';

const ADA = { username: 'ada-a11y-e2e', passphrase: 'lantern meadow copper heron', displayName: 'Ada' };

/** Role colours from the report: the light theme made these 1.45:1 and 2.42:1 as names. */
function communityToml(rootKey: string): string {
  return [
    `[server]\nname = "Access"\nroot_keys = ["${rootKey}"]\n`,
    `[limits]\nburst = 10000\nrate_per_second = 10000\nchallenges_per_minute = 1000000\nchallenge_burst = 100000\n`,
    `[[roles]]\nid = "moderator"\nname = "Moderator"\ncolor = "#e67e22"\nposition = 10\npermissions = ["moderate", "kick"]\n`,
    `[[roles]]\nid = "regular"\nname = "Regular"\ncolor = "#5fdd9a"\nposition = 5\npermissions = []\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\ntopic = "Say hello"\n`,
    `[[channels]]\nid = "random"\nname = "random"\ngroup = "general"\n`,
  ].join('\n');
}

const SAMPLE = [
  'Welcome! Read the [guide](https://example.com/guide) first.',
  '> a quote, in muted text\n\nand `inline code`',
  '```ts\nconst answer: number = 42; // a comment\n```',
  '| name | role |\n| --- | --- |\n| Bob | moderator |',
];

describe('web client: accessibility (axe-core, WCAG AA) in the dark and light themes', () => {
  let api: ApiProcess;
  let ada: DerivedIdentity;
  let person: Person;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    ada = await deriveIdentity(ADA.username, ADA.passphrase);
    [api, person] = await Promise.all([
      startApi({ configToml: communityToml(ada.publicKey.hex), port: await freePort() }),
      launchPerson('ada-a11y'),
    ]);
    const adaDevice = await connectAs(api.url, ada);
    sockets.push(adaDevice);
    await ok(adaDevice, 'member.join', { displayName: ADA.displayName });
    for (const [name, role] of [
      ['Bob', 'moderator'],
      ['Cleo', 'regular'],
    ] as const) {
      const identity = await deriveIdentity(`${name.toLowerCase()}-a11y-e2e`, 'orchid tundra pebble saffron');
      await ok(adaDevice, 'members.authorize', { publicKey: identity.publicKey.hex, roles: [role] });
      const socket = await connectAs(api.url, identity);
      sockets.push(socket);
      await ok(socket, 'member.join', { displayName: name });
    }
    const [, bob, cleo] = sockets as [TestSocket, TestSocket, TestSocket];
    for (const [i, content] of SAMPLE.entries()) await send(i % 2 === 0 ? bob : cleo, 'lobby', content);
    // A ban, so the bans list and the audit log have rows to show.
    const dan = await deriveIdentity('dan-a11y-e2e', 'orchid tundra pebble saffron');
    await ok(adaDevice, 'members.authorize', { publicKey: dan.publicKey.hex, roles: [] });
    await ok(adaDevice, 'members.ban', {
      publicKey: dan.publicKey.hex,
      reason: 'spam in #lobby, three times',
    });
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await person.close();
    await api.stop();
  });

  it('the unlock page', async () => {
    await createIdentity(person.page, api.url, ADA.username, ADA.passphrase);
    await expectAccessible(person.page, 'unlock');
  });

  it('the chat: server rail, channels, messages (links, quotes, code, tables), composer, members', async () => {
    const page = person.page;
    await unlock(page);
    await addServer(page, api.url);
    // Ada joined from her other device (the socket): the browser goes straight to the channel.
    await page.locator('[data-test=composer]').waitFor({ timeout: WAIT });
    await page.locator('article.message', { hasText: 'moderator' }).last().waitFor({ timeout: WAIT });
    await send(sockets[1] as TestSocket, 'random', 'an unread message, for the badges');
    await page.locator('mq-channel-sidebar [data-channel="random"].unread').waitFor({ timeout: WAIT });
    await expectAccessible(page, 'chat');
  });

  it('the member panel', async () => {
    const page = person.page;
    await page.locator('mq-member-list button.member[data-member="Bob"]').click();
    await page.locator('[data-test=member-panel]').waitFor({ timeout: WAIT });
    await expectAccessible(page, 'member-panel');
    await page.keyboard.press('Escape');
    await page.locator('[data-test=member-panel]').waitFor({ state: 'detached', timeout: WAIT });
  });

  it.each(['invites', 'members', 'bans', 'audit', 'config'])('the settings: %s', async (section) => {
    const page = person.page;
    const dialog = page.locator('[data-test=server-settings]');
    if ((await dialog.count()) === 0) await page.locator('[data-test=open-settings]').click();
    await dialog.locator(`[role=tab][data-section=${section}]`).click();
    const panel = dialog.locator(`[role=tabpanel][data-section=${section}]`);
    await panel.waitFor({ timeout: WAIT });
    const filled = {
      invites: '[data-test=create-invite]',
      members: '[data-test=authorize-form]',
      bans: 'text=spam in #lobby',
      audit: 'text=spam in #lobby',
      config: '[data-test=config-text]',
    }[section];
    await panel
      .locator(filled ?? '*')
      .first()
      .waitFor({ timeout: WAIT });
    await expectAccessible(page, `settings-${section}`);
  });
});
