import { TestBed } from '@angular/core/testing';

import { parseJoinLink } from '../connection/join-link';
import { provideServerFeatures } from '../server-features';
import { FakeServerHttp, FakeSocketFactory } from '../testing/fake-socket';
import { answerLogin, member, settle, testIdentity, until, URL_A } from '../testing/fixtures';
import { ServersStore } from './servers.store';

const CODE = 'abcdefghijklmnopqrstuvwxyzAB-_12';
const STORAGE_KEY = 'mpqcht.servers.v1';

describe('parseJoinLink', () => {
  it('accepts a server origin (as the router decodes it) and a base64url code', () => {
    expect(parseJoinLink(decodeURIComponent(encodeURIComponent('http://localhost:3000')), CODE)).toEqual({
      origin: 'http://localhost:3000',
      code: CODE,
    });
    expect(parseJoinLink('chat.example.org', CODE)).toEqual({ origin: URL_A, code: CODE });
  });

  it('refuses a missing or malformed server or code', () => {
    expect(parseJoinLink(null, CODE)).toBeNull();
    expect(parseJoinLink('https://chat.example.org/path', CODE)).toBeNull();
    expect(parseJoinLink('javascript:alert(1)', CODE)).toBeNull();
    expect(parseJoinLink(URL_A, null)).toBeNull();
    expect(parseJoinLink(URL_A, 'short')).toBeNull();
    expect(parseJoinLink(URL_A, `${CODE.slice(0, 30)}!?`)).toBeNull();
  });
});

describe('ServersStore.add with an invite', () => {
  let store: ServersStore;
  let factory: FakeSocketFactory;

  beforeEach(() => {
    localStorage.clear();
    factory = new FakeSocketFactory();
    TestBed.configureTestingModule({ providers: [provideServerFeatures()] });
    store = TestBed.inject(ServersStore);
    store.useDeps({ http: new FakeServerHttp(), socketFactory: factory.create, now: () => 0 });
  });

  afterEach(() => store.stop());

  it('sends the invite with the first login and keeps it out of storage', async () => {
    store.start(await testIdentity());
    store.add(URL_A, CODE);
    await settle();

    expect(await factory.last.requestAuth()).toMatchObject({ invite: CODE });
    expect(localStorage.getItem(STORAGE_KEY)).not.toContain(CODE);
    expect(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null')).toEqual([{ url: URL_A }]);
  });

  it('logs a refused server in again with the invite', async () => {
    store.start(await testIdentity());
    const connection = store.add(URL_A);
    await settle();
    factory.last.connectError('not_a_member', 'this key is not a member here');
    expect(connection.session.status().kind).toBe('refused');

    expect(store.add(URL_A, CODE)).toBe(connection);
    await settle();

    expect(factory.sockets).toHaveLength(2);
    expect(await factory.last.requestAuth()).toMatchObject({ invite: CODE });
  });

  it('logs a server that is still connecting in again with the invite (a join link after a reload)', async () => {
    store.start(await testIdentity());
    const connection = store.add(URL_A);
    expect(connection.session.status().kind).toBe('connecting');

    store.add(URL_A, CODE);
    await settle();

    expect(await factory.last.requestAuth()).toMatchObject({ invite: CODE });
  });

  it('leaves a server where the key is a member already alone', async () => {
    const identity = await testIdentity();
    store.start(identity);
    const connection = store.add(URL_A);
    await settle();
    answerLogin(factory.last, member(identity.publicKey.hex, 'Me'));
    factory.last.serverConnect();
    await until(() => connection.session.status().kind === 'online', 'online');

    expect(store.add(URL_A, CODE)).toBe(connection);
    await settle();

    expect(factory.sockets).toHaveLength(1);
    expect(connection.session.status().kind).toBe('online');
    expect(await factory.last.requestAuth()).not.toHaveProperty('invite');
  });
});
