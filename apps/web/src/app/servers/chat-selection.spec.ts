import { provideZonelessChangeDetection, signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';

import type { ChannelDto } from '@mpqcht/protocol';

import { ChannelsState } from '../channels/channels.state';
import type { ServerConnection } from '../connection/server-connection';
import { provideServerFeatures } from '../server-features';
import { PageAttention } from '../shared/page-attention';
import { FakeServerHttp, FakeSocketFactory } from '../testing/fake-socket';
import {
  answerLogin,
  channel,
  member,
  message,
  messageId,
  settle,
  testIdentity,
  until,
  URL_A,
} from '../testing/fixtures';
import { ChatSelection } from './chat-selection';
import { loadSavedPlace, saveActiveServer, saveServerPlaces } from './saved-place.storage';
import { saveServerList } from './server-list.storage';
import { ServersStore } from './servers.store';

const URL_B = 'http://localhost:3000';

/** lobby: read up to 2; random: two unread messages; both with a history of two messages. */
const CHANNELS: readonly ChannelDto[] = [
  channel('lobby', { lastSeq: 2 }, { lastReadSeq: 2, lastReadMessageId: messageId('lobby', 2) }),
  channel('random', { lastSeq: 2 }, { unreadCount: 2 }),
];

describe('ChatSelection', () => {
  let factory: FakeSocketFactory;
  let store: ServersStore;
  let selection: ChatSelection;
  const attentive = signal(true);
  let identityKey: string;

  beforeEach(async () => {
    localStorage.clear();
    attentive.set(true);
    factory = new FakeSocketFactory();
    identityKey = (await testIdentity()).publicKey.hex;
    TestBed.configureTestingModule({
      providers: [
        provideZonelessChangeDetection(),
        provideServerFeatures(),
        { provide: PageAttention, useValue: { attentive } },
      ],
    });
    store = TestBed.inject(ServersStore);
    store.useDeps({ http: new FakeServerHttp(), socketFactory: factory.create, now: () => 0 });
    selection = TestBed.inject(ChatSelection);
  });

  afterEach(() => store.stop());

  /** Starts the saved servers and brings each online with CHANNELS; history answers two messages. */
  async function startOnline(channels: readonly ChannelDto[] = CHANNELS): Promise<void> {
    store.start(await testIdentity());
    const count = store.servers().length;
    await until(() => factory.sockets.length === count, 'every socket');
    for (const socket of factory.sockets) {
      answerLogin(socket, member(identityKey, 'Me'), { channels });
      socket.handle('messages.history', ({ channelId }) => ({
        ok: true,
        data: { messages: [message(channelId, 1), message(channelId, 2)], hasMore: false },
      }));
      socket.serverConnect();
    }
    await until(() => store.servers().every((s) => s.session.status().kind === 'online'), 'online');
    TestBed.tick();
    await settle();
  }

  const socketOf = (url: string) => factory.sockets.find((s) => s.url === url);
  const markReads = (url: string) => (socketOf(url)?.sent('channels.markRead') ?? []).map((r) => r.payload);
  /** The message list of the selected channel reports what it shows. */
  async function showList(atPresent: boolean): Promise<void> {
    const server = selection.server() as ServerConnection;
    selection.showList({ server: server.url, channelId: selection.channel()?.id ?? '', atPresent });
    TestBed.tick();
    await settle();
  }

  it('marks a channel read when the focused page shows its newest messages', async () => {
    saveServerList(localStorage, [{ url: URL_A }]);
    await startOnline();
    const server = store.servers()[0] as ServerConnection;
    selection.selectChannel(server, 'random');
    TestBed.tick();
    await settle();
    expect(markReads(URL_A)).toEqual([]);

    await showList(true);

    expect(selection.reading()).toBe(true);
    expect(server.get(ChannelsState).viewing()).toBe('random');
    expect(markReads(URL_A)).toEqual([{ channelId: 'random', messageId: messageId('random', 2) }]);
  });

  it('does not mark read in a page that is hidden or not focused, and counts what arrives', async () => {
    saveServerList(localStorage, [{ url: URL_A }]);
    await startOnline();
    const server = store.servers()[0] as ServerConnection;
    attentive.set(false);
    await showList(true);
    await settle();

    expect(selection.reading()).toBe(false);
    expect(server.get(ChannelsState).viewing()).toBeNull();
    socketOf(URL_A)?.push('message.created', message('lobby', 3));
    TestBed.tick();
    await settle();
    expect(markReads(URL_A)).toEqual([]);
    expect(server.get(ChannelsState).find('lobby')?.unread).toBe(1);

    // Back to the page: now it is read.
    attentive.set(true);
    TestBed.tick();
    await settle();
    expect(markReads(URL_A)).toEqual([{ channelId: 'lobby', messageId: messageId('lobby', 3) }]);
  });

  it('does not mark read while the list is scrolled away from the present', async () => {
    saveServerList(localStorage, [{ url: URL_A }]);
    await startOnline();
    await showList(false);
    socketOf(URL_A)?.push('message.created', message('lobby', 3));
    TestBed.tick();
    await settle();

    expect(selection.reading()).toBe(false);
    expect(markReads(URL_A)).toEqual([]);
  });

  it('restores the server and the channel this identity had on screen', async () => {
    saveServerList(localStorage, [{ url: URL_A }, { url: URL_B }]);
    saveActiveServer(localStorage, identityKey, URL_B);
    saveServerPlaces(localStorage, identityKey, new Map([[URL_B, { channelId: 'random', anchor: null }]]));

    await startOnline();

    expect(selection.server()?.url).toBe(URL_B);
    expect(selection.channel()?.id).toBe('random');
    // The server's first channel where nothing was chosen.
    selection.selectServer(store.servers()[0] as ServerConnection);
    expect(selection.channel()?.id).toBe('lobby');
    expect(loadSavedPlace(localStorage, identityKey).server).toBe(URL_A);
  });

  it('falls back to the first channel when the saved one is gone or hidden now', async () => {
    saveServerList(localStorage, [{ url: URL_A }]);
    saveServerPlaces(localStorage, identityKey, new Map([[URL_A, { channelId: 'secret', anchor: null }]]));

    await startOnline();

    expect(selection.channel()?.id).toBe('lobby');
  });

  it('saves the channel chosen and the scroll position of each server, per identity', async () => {
    saveServerList(localStorage, [{ url: URL_A }]);
    await startOnline();
    const server = store.servers()[0] as ServerConnection;

    selection.selectChannel(server, 'random');
    selection.saveAnchor(URL_A, 'random', { messageId: messageId('random', 1), offset: -12 });
    // A late save for the channel that was left does not overwrite the one chosen since.
    selection.saveAnchor(URL_A, 'lobby', { messageId: messageId('lobby', 1), offset: 0 });

    expect(loadSavedPlace(localStorage, identityKey).places.get(URL_A)).toEqual({
      channelId: 'random',
      anchor: { messageId: messageId('random', 1), offset: -12 },
    });
    expect(selection.anchorOf(URL_A, 'random')).toEqual({ messageId: messageId('random', 1), offset: -12 });
    expect(selection.anchorOf(URL_A, 'lobby')).toBeNull();
    expect(loadSavedPlace(localStorage, 'another key').places.size).toBe(0);
    // Choosing another channel starts it at the present.
    selection.selectChannel(server, 'lobby');
    expect(loadSavedPlace(localStorage, identityKey).places.get(URL_A)).toEqual({
      channelId: 'lobby',
      anchor: null,
    });
  });
});
