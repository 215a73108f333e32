import type { Page } from 'playwright-core';

import { type DerivedIdentity, deriveIdentity } from '@mpqcht/identity';
import { type ApiProcess, freePort, startApi } from '@mpqcht/test-harness';

import { launchPerson, type Person, screenshot } from './support/browser';
import { addServer, channelTitle, createIdentity, rail, unlock, WAIT, waitUntil } from './support/pages';
import { connectAs, ok, send, type TestSocket } from './support/socket';

/**
 * Presence by subscription (issue 18): the member list of the server on screen stays live, and a
 * server in the background is not pushed presence at all (a login there costs it nothing), but
 * shows who is online as soon as it is opened again.
 */

const ADA = { username: 'ada-presence-e2e', passphrase: 'orchard beacon velvet summit', displayName: 'Ada' };

function toml(name: string, rootKey: string): string {
  return [
    `[server]\nname = "${name}"\nroot_keys = ["${rootKey}"]\n`,
    `[[groups]]\nid = "general"\nname = "General"\n`,
    `[[channels]]\nid = "lobby"\nname = "lobby"\ngroup = "general"\n`,
  ].join('\n');
}

const memberRow = (page: Page, name: string) =>
  page.locator(`mq-member-list button.member[data-member="${name}"]`);

async function shownOnline(page: Page, name: string, online: boolean): Promise<void> {
  await waitUntil(
    async () => {
      const row = memberRow(page, name);
      if ((await row.count()) === 0) return false;
      return (await row.locator('.dot.on').count()) === (online ? 1 : 0);
    },
    `${name} shown ${online ? 'online' : 'offline'}`,
  );
}

describe('web client: presence of the server on screen', () => {
  let harbor: ApiProcess;
  let summit: ApiProcess;
  let ada: DerivedIdentity;
  let brook: DerivedIdentity;
  let person: Person;
  const sockets: TestSocket[] = [];
  /** The Socket.IO frames the page received, and those it sent, by the server's port. */
  const frames = new Map<string, string[]>();
  const sentFrames = new Map<string, string[]>();
  const requestsSent = (port: string, event: string) =>
    (sentFrames.get(port) ?? []).filter((f) => f.includes(`"${event}"`)).length;
  const presenceFrames = (port: string) =>
    (frames.get(port) ?? []).filter((f) => f.includes('"presence.updated"'));

  /**
   * Until the page has Brook's `text` on that server: a push sent before it on the same socket (a
   * presence change that happened first) has arrived too.
   */
  async function barrier(socket: TestSocket, port: string, text: string): Promise<void> {
    await send(socket, 'lobby', text);
    await waitUntil(
      () => Promise.resolve((frames.get(port) ?? []).some((f) => f.includes(text))),
      `"${text}" on the page`,
    );
  }

  beforeAll(async () => {
    [ada, brook] = await Promise.all([
      deriveIdentity(ADA.username, ADA.passphrase),
      deriveIdentity('brook-presence-e2e', 'granite willow ember falcon'),
    ]);
    const [harborPort, summitPort] = [await freePort(), await freePort()];
    [harbor, summit, person] = await Promise.all([
      startApi({ configToml: toml('Harbor', ada.publicKey.hex), port: harborPort }),
      startApi({ configToml: toml('Summit', ada.publicKey.hex), port: summitPort }),
      launchPerson('ada-presence'),
    ]);
    for (const api of [harbor, summit]) {
      const root = await connectAs(api.url, ada);
      sockets.push(root);
      await ok(root, 'member.join', { displayName: ADA.displayName });
      await ok(root, 'members.authorize', { publicKey: brook.publicKey.hex });
      const brookSocket = await connectAs(api.url, brook);
      await ok(brookSocket, 'member.join', { displayName: 'Brook' });
      brookSocket.close();
      root.close();
    }
    person.page.on('websocket', (ws) => {
      const port = new URL(ws.url()).port;
      ws.on('framereceived', ({ payload }) => {
        const text = typeof payload === 'string' ? payload : payload.toString();
        frames.set(port, [...(frames.get(port) ?? []), text]);
      });
      ws.on('framesent', ({ payload }) => {
        const text = typeof payload === 'string' ? payload : payload.toString();
        sentFrames.set(port, [...(sentFrames.get(port) ?? []), text]);
      });
    });
    const a = person.page;
    await createIdentity(a, harbor.url, ADA.username, ADA.passphrase);
    await unlock(a);
    await addServer(a, summit.url);
    await channelTitle(a, 'lobby').waitFor({ timeout: WAIT });
    await addServer(a, harbor.url);
    await waitUntil(
      async () => (await rail(a, harbor.url).getAttribute('aria-current')) === 'true',
      'Harbor open',
    );
  }, 180_000);

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await (person as Person | undefined)?.close().catch(() => undefined);
    await (harbor as ApiProcess | undefined)?.dispose();
    await (summit as ApiProcess | undefined)?.dispose();
  }, 60_000);

  it('keeps the list on screen live, pushes nothing for the server behind, and is current when opened', async () => {
    const a = person.page;
    const harborPort = new URL(harbor.url).port;
    const summitPort = new URL(summit.url).port;
    await shownOnline(a, 'Brook', false);
    // One subscription per server on screen, however often its connection status changed: Summit
    // was on screen until Harbor was added.
    expect([
      requestsSent(harborPort, 'members.subscribe'),
      requestsSent(harborPort, 'members.unsubscribe'),
    ]).toEqual([1, 0]);
    expect([
      requestsSent(summitPort, 'members.subscribe'),
      requestsSent(summitPort, 'members.unsubscribe'),
    ]).toEqual([1, 1]);

    const brookHarbor = await connectAs(harbor.url, brook);
    sockets.push(brookHarbor);
    await shownOnline(a, 'Brook', true);
    await screenshot(a, 'presence-01-brook-online-on-screen');
    brookHarbor.close();
    await shownOnline(a, 'Brook', false);
    expect(presenceFrames(harborPort)).toHaveLength(2);

    // Summit behind Harbor: Brook logging in there pushes nothing to this page.
    const brookSummit = await connectAs(summit.url, brook);
    sockets.push(brookSummit);
    await barrier(brookSummit, summitPort, 'summit barrier');
    expect(presenceFrames(summitPort)).toEqual([]);

    // Opened, Summit shows Brook online from its fresh list, and is pushed the next change.
    await rail(a, summit.url).click();
    await channelTitle(a, 'lobby').waitFor({ timeout: WAIT });
    await shownOnline(a, 'Brook', true);
    await screenshot(a, 'presence-02-summit-opened');
    expect(requestsSent(harborPort, 'members.unsubscribe')).toBe(1);
    expect(requestsSent(summitPort, 'members.subscribe')).toBe(2);
    // Search results take the member list's place: the server on screen is still pushed presence.
    await a.locator('[data-test=search-input]').fill('barrier');
    await a.locator('[data-test=search-input]').press('Enter');
    await a.locator('mq-search-panel').waitFor({ timeout: WAIT });
    expect(await a.locator('mq-member-list').count()).toBe(0);
    brookSummit.close();
    await waitUntil(() => Promise.resolve(presenceFrames(summitPort).length === 1), 'Brook offline pushed');
    expect(presenceFrames(summitPort)[0]).toContain('"online":false');

    // Harbor is behind now: Brook's login there is not pushed to the page.
    const again = await connectAs(harbor.url, brook);
    sockets.push(again);
    await barrier(again, harborPort, 'harbor barrier');
    expect(presenceFrames(harborPort)).toHaveLength(2);
  });
});
