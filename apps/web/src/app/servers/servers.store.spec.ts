import { TestBed } from '@angular/core/testing';

import { loadLoginPass, saveLoginPass } from '../connection/login-pass.storage';
import { provideServerFeatures } from '../server-features';
import { FakeServerHttp, FakeSocketFactory } from '../testing/fake-socket';
import { settle, testIdentity, URL_A } from '../testing/fixtures';
import { loadServerList, saveServerList } from './server-list.storage';
import { ServersStore } from './servers.store';

const URL_B = 'http://localhost:3000';
const STORAGE_KEY = 'mpqcht.servers.v1';

describe('ServersStore', () => {
  let store: ServersStore;
  let http: FakeServerHttp;
  let factory: FakeSocketFactory;

  beforeEach(() => {
    localStorage.clear();
    http = new FakeServerHttp();
    factory = new FakeSocketFactory();
    TestBed.configureTestingModule({ providers: [provideServerFeatures()] });
    store = TestBed.inject(ServersStore);
    store.useDeps({ http, socketFactory: factory.create, now: () => 0 });
  });

  afterEach(() => {
    store.stop();
  });

  it('add() connects to the server and persists the list', async () => {
    store.start(await testIdentity());

    const connection = store.add(URL_A);
    store.add(URL_B);
    await settle();

    expect(store.servers().map((s) => s.url)).toEqual([URL_A, URL_B]);
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null')).toEqual([{ url: URL_A }, { url: URL_B }]);
    expect(http.infoCalls).toEqual([URL_A, URL_B]);
    expect(factory.sockets.map((s) => s.url)).toEqual([URL_A, URL_B]);
    expect(connection.session.status()).toEqual({ kind: 'connecting' });
  });

  it('add() of a server already added returns the existing connection and does not duplicate it', async () => {
    store.start(await testIdentity());
    const first = store.add(URL_A);

    const again = store.add(URL_A);

    expect(again).toBe(first);
    expect(store.servers()).toHaveLength(1);
    expect(loadServerList(localStorage)).toEqual([{ url: URL_A }]);
    expect(http.infoCalls).toEqual([URL_A]);
  });

  it('add() refuses before an identity is unlocked', () => {
    expect(() => store.add(URL_A)).toThrow(/unlock/);
    expect(localStorage.getItem(STORAGE_KEY)).toBeNull();
  });

  it('remove() closes the connection and persists the shorter list', async () => {
    store.start(await testIdentity());
    const a = store.add(URL_A);
    store.add(URL_B);
    await settle();
    store.select(URL_A);

    store.remove(URL_A);

    expect(store.servers().map((s) => s.url)).toEqual([URL_B]);
    expect(loadServerList(localStorage)).toEqual([{ url: URL_B }]);
    expect(a.session.status()).toEqual({ kind: 'closed' });
    expect(factory.sockets[0]?.disconnectCalls).toBe(1);
    expect(store.activeUrl()).toBeNull();
    expect(store.active()?.url).toBe(URL_B);
  });

  it('remove() forgets the login passes kept for that server, of every key', async () => {
    store.useDeps({ http, socketFactory: factory.create, now: () => 0, loginPasses: localStorage });
    const live = { pass: 'ab'.repeat(54), expiresAt: '2026-01-01T00:00:00.000Z' };
    saveLoginPass(localStorage, URL_A, '02' + '1'.repeat(64), live, 0);
    saveLoginPass(localStorage, URL_B, '02' + '1'.repeat(64), live, 0);
    store.start(await testIdentity());
    store.add(URL_A);
    store.add(URL_B);

    store.remove(URL_A);

    expect(loadLoginPass(localStorage, URL_A, '02' + '1'.repeat(64), 0)).toBeNull();
    expect(loadLoginPass(localStorage, URL_B, '02' + '1'.repeat(64), 0)).toBe(live.pass);
  });

  it('start() restores a connection for every saved server, in order', async () => {
    saveServerList(localStorage, [{ url: URL_B }, { url: URL_A }]);

    store.start(await testIdentity());
    await settle();

    expect(store.servers().map((s) => s.url)).toEqual([URL_B, URL_A]);
    expect(http.infoCalls).toEqual([URL_B, URL_A]);
    expect(store.servers().every((s) => s.session.status().kind === 'connecting')).toBe(true);
  });

  it('stop() closes every connection but keeps the saved list', async () => {
    store.start(await testIdentity());
    const a = store.add(URL_A);
    await settle();

    store.stop();

    expect(store.servers()).toEqual([]);
    expect(a.session.status()).toEqual({ kind: 'closed' });
    expect(loadServerList(localStorage)).toEqual([{ url: URL_A }]);
  });
});
