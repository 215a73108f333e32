import { randomUUID } from 'node:crypto';

import type { MessageDto } from '@mpqcht/protocol';
import { type ApiProcess, startApi } from '@mpqcht/test-harness';

import { connect, ok, type TestSocket } from './support/client';
import { newIdentity } from './support/identity';
import { pushMatching } from './support/push-matching';
import { StallingClient } from './support/stalling-client';

/** The smallest bound the api accepts, so that few messages exceed it. */
const BACKLOG_BYTES = 64 * 1024;
const MESSAGE_LENGTH = 16_000;
/**
 * Before the api's own buffers grow, the kernel takes what the stalled client does not read: its
 * receive buffer and the server's send buffer (autotuned up to net.ipv4.tcp_wmem's 4 MB here).
 * 1,000 messages of 16,000 characters are 16 MB, several times all of that and the bound.
 */
const MAX_MESSAGES = 1_000;

function configToml(rootKey: string): string {
  return `
[server]
name = "backlog"
root_keys = ["${rootKey}"]

[limits]
max_message_length = ${MESSAGE_LENGTH}
burst = 10000
rate_per_second = 10000
challenges_per_minute = 1000000
challenge_burst = 100000
failed_logins_per_minute = 1000000

[[groups]]
id = "general"
name = "General"

[[channels]]
id = "busy"
name = "busy"
group = "general"
`;
}

describe('a client that stops reading', () => {
  let api: ApiProcess;
  const sockets: TestSocket[] = [];
  let stalled: StallingClient | undefined;

  afterEach(async () => {
    stalled?.close();
    sockets.splice(0).forEach((s) => s.close());
    await api.dispose();
  });

  it('is disconnected by the server once its backlog passes the bound, while a reading member gets every message', async () => {
    const [rootKey, aliceKey, malloryKey] = await Promise.all([newIdentity(), newIdentity(), newIdentity()]);
    api = await startApi({
      configToml: configToml(rootKey.publicKey.hex),
      env: { SOCKET_BACKLOG_BYTES: String(BACKLOG_BYTES) },
    });
    const root = await connect(api, rootKey);
    sockets.push(root);
    await ok(root, 'member.join', { displayName: 'Root' });
    for (const key of [aliceKey, malloryKey]) {
      await ok(root, 'members.authorize', { publicKey: key.publicKey.hex, roles: [] });
    }
    const alice = await connect(api, aliceKey);
    sockets.push(alice);
    await ok(alice, 'member.join', { displayName: 'Alice' });
    // Alice watches the member list: presence goes to its subscribers.
    await ok(alice, 'members.subscribe', {});

    const malloryOnline = pushMatching(
      alice,
      'presence.updated',
      (p) => p.publicKey === malloryKey.publicKey.hex && p.online,
    );
    stalled = await StallingClient.join(api, malloryKey, 'Mallory');
    await malloryOnline;
    stalled.stopReading();

    // Mallory's socket gone is what the member list's subscribers are told: she goes offline.
    const mallory = { dropped: false };
    alice.on('presence.updated', (p) => {
      if (p.publicKey === malloryKey.publicKey.hex && !p.online) mallory.dropped = true;
    });
    const received: MessageDto[] = [];
    alice.on('message.created', (m) => received.push(m));

    let sent = 0;
    const content = 'x'.repeat(MESSAGE_LENGTH);
    while (!mallory.dropped && sent < MAX_MESSAGES) {
      const clientId = randomUUID();
      const arrived = pushMatching(alice, 'message.created', (m) => m.clientId === clientId);
      await ok(root, 'messages.send', { channelId: 'busy', clientId, content });
      // Pushes to one socket arrive in order: a drop before this message has been announced by now.
      await arrived;
      sent += 1;
      stalled.pongBlindly();
    }

    expect(mallory.dropped).toBe(true);
    // The server closed the TCP connection: reading again, the client reaches its end.
    await stalled.closedByServer();
    // The reading member lost nothing while the other one was being dropped.
    expect(received.map((m) => m.seq)).toEqual(Array.from({ length: sent }, (_, i) => i + 1));
    expect(api.output()).toContain('bytes waiting to be written to a client that is not reading');
    expect(api.output()).not.toContain(content.slice(0, 100));
  });
});
