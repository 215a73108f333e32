import { randomUUID } from 'node:crypto';

import { type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import { connect, nextPush, ok, type TestSocket } from './support/client';
import { newIdentity } from './support/identity';

describe('a newcomer’s first minutes', () => {
  let api: ApiProcess;
  const sockets: TestSocket[] = [];

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await api.dispose();
  });

  it('answers health, logs a root in, and delivers a message to a second client', async () => {
    const root = await newIdentity();
    const friend = await newIdentity();
    api = await startApi({ configToml: defaultConfig([root.publicKey.hex]) });

    const health = (await (await fetch(`${api.url}/api/health`)).json()) as unknown;
    // With the embedded PostgreSQL, the report also has its state (startup.spec.ts).
    expect(health).toMatchObject({ ok: true, data: { status: 'ok', database: 'up' } });

    const rootSocket = await connect(api, root);
    sockets.push(rootSocket);
    expect((await ok(rootSocket, 'session.get', {})).member).toBeNull();
    await ok(rootSocket, 'member.join', { displayName: 'Root' });
    await ok(rootSocket, 'members.authorize', { publicKey: friend.publicKey.hex, roles: [] });

    const friendSocket = await connect(api, friend);
    sockets.push(friendSocket);
    await ok(friendSocket, 'member.join', { displayName: 'Friend' });

    const received = nextPush(friendSocket, 'message.created');
    const sent = await ok(rootSocket, 'messages.send', {
      channelId: 'lobby',
      clientId: randomUUID(),
      content: 'hello **world**',
    });
    expect(await received).toEqual(sent);
    expect(sent).toMatchObject({
      channelId: 'lobby',
      seq: 1,
      author: root.publicKey.hex,
      content: 'hello **world**',
    });
  });
});
