import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

import type { MessageDto } from '@mpqcht/protocol';
import { type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import { connect, ok, type TestSocket } from './client';
import { newIdentity, type TestIdentity } from './identity';
import { pushMatching } from './push-matching';

/** A joined member: the key and one connected socket (more sockets with `connectAgain`). */
export interface JoinedMember {
  readonly identity: TestIdentity;
  readonly publicKey: string;
  readonly displayName: string;
  /** The member's main socket; a test that reconnects the member replaces it. */
  socket: TestSocket;
}

/**
 * A running api with a root (from config root_keys) who authorized two more members; all three
 * have joined. `db` is a direct connection to the api's database. `close()` ends everything.
 */
export interface Community {
  readonly api: ApiProcess;
  readonly root: JoinedMember;
  readonly alice: JoinedMember;
  readonly bob: JoinedMember;
  readonly db: Client;
  /** Another login of a member's key (a second device); closed by `close()`. */
  connectAgain(member: JoinedMember): Promise<TestSocket>;
  close(): Promise<void>;
}

/** `[[channels]]` TOML for extra channels in the default group, so each test can own a channel. */
export function extraChannels(ids: readonly string[]): string {
  return ids.map((id) => `\n[[channels]]\nid = "${id}"\nname = "${id}"\ngroup = "general"\n`).join('');
}

export async function startCommunity(extraToml = ''): Promise<Community> {
  const [rootKey, aliceKey, bobKey] = await Promise.all([newIdentity(), newIdentity(), newIdentity()]);
  const sockets: TestSocket[] = [];
  const api = await startApi({ configToml: defaultConfig([rootKey.publicKey.hex], extraToml) });
  const db = new Client({ connectionString: api.databaseUrl() });
  let dbConnected = false;
  const close = async () => {
    sockets.forEach((s) => s.close());
    if (dbConnected) await db.end();
    await api.dispose();
  };
  try {
    await db.connect();
    dbConnected = true;
    const joinAs = async (identity: TestIdentity, displayName: string): Promise<JoinedMember> => {
      const socket = await connect(api, identity);
      sockets.push(socket);
      await ok(socket, 'member.join', { displayName });
      return { identity, publicKey: identity.publicKey.hex, displayName, socket };
    };
    const root = await joinAs(rootKey, 'Root');
    await ok(root.socket, 'members.authorize', { publicKey: aliceKey.publicKey.hex, roles: [] });
    await ok(root.socket, 'members.authorize', { publicKey: bobKey.publicKey.hex, roles: [] });
    const alice = await joinAs(aliceKey, 'Alice');
    const bob = await joinAs(bobKey, 'Bob');
    return {
      api,
      root,
      alice,
      bob,
      db,
      connectAgain: async (member) => {
        const socket = await connect(api, member.identity);
        sockets.push(socket);
        return socket;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Sends a message with a fresh client id and returns the stored message from the ack. */
export function send(socket: TestSocket, channelId: string, content: string): Promise<MessageDto> {
  return ok(socket, 'messages.send', { channelId, clientId: randomUUID(), content });
}

/** UUIDv7 (RFC 9562): version nibble 7, variant bits 10. */
export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Sends a marker message and waits until `observer` has received its push. Pushes to one socket
 * arrive in order, so every push the server made before the marker has arrived by then: a test can
 * then assert that something was NOT pushed without waiting for a time.
 */
export async function sendMarker(
  sender: TestSocket,
  observer: TestSocket,
  channelId: string,
): Promise<MessageDto> {
  const clientId = randomUUID();
  const seen = pushMatching(observer, 'message.created', (m) => m.clientId === clientId);
  const sent = await ok(sender, 'messages.send', { channelId, clientId, content: 'marker' });
  await seen;
  return sent;
}
