import { randomUUID } from 'node:crypto';

import { signLoginChallenge } from '@mpqcht/identity';
import type { MessageDto, SessionDto } from '@mpqcht/protocol';

import type { Command, ServerTarget } from './args';
import { type ClientSocket, request } from './connection';
import { CliError, EXIT_OK } from './errors';
import { createKeyFile, type LoadedKey, loadKeyFile } from './key-file';
import { openSession } from './session';

const SEEN_IDS_KEPT = 10_000;

/** Where a command writes: stdout carries results (JSON), stderr carries notes for the operator. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
}

/** Resolves when the operator asks to stop (Ctrl+C); injectable for tests. */
export type StopSignal = () => Promise<void>;

function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

async function key(path: string, output: Output): Promise<LoadedKey> {
  const loaded = await loadKeyFile(path);
  if (loaded.warning) output.err(loaded.warning);
  return loaded;
}

/** Logs in, runs `body` with the socket and the session, and always disconnects. */
async function withSession<T>(
  target: ServerTarget,
  output: Output,
  body: (socket: ClientSocket, session: SessionDto) => Promise<T>,
): Promise<T> {
  const { socket, session } = await openSession(target, output, { reconnect: false });
  try {
    return await body(socket, session);
  } finally {
    socket.disconnect();
  }
}

export async function runCommand(command: Command, output: Output, stop: StopSignal): Promise<number> {
  switch (command.name) {
    case 'keygen': {
      const publicKey = await createKeyFile(command.out);
      output.err(`wrote the private key to ${command.out} (mode 0600); keep it secret and backed up`);
      output.out(publicKey.hex);
      output.out(
        `Put this public key in config.toml, [server] root_keys = ["${publicKey.hex}"], to make it a root ` +
          'key, or have an admin authorize it.',
      );
      return EXIT_OK;
    }
    case 'pubkey':
      output.out((await key(command.key, output)).publicKey.hex);
      return EXIT_OK;
    case 'sign': {
      const loaded = await key(command.key, output);
      const proof = await signLoginChallenge({
        privateKey: loaded.privateKey,
        publicKey: loaded.publicKey,
        origin: command.origin,
        nonceHex: command.nonce,
      });
      output.out(json(proof));
      return EXIT_OK;
    }
    case 'login':
      output.out(json(await withSession(command, output, (_socket, session) => Promise.resolve(session))));
      return EXIT_OK;
    case 'join':
      output.out(
        json(
          await withSession(command, output, (s) =>
            request(s, 'member.join', { displayName: command.displayName }),
          ),
        ),
      );
      return EXIT_OK;
    case 'authorize':
      output.out(
        json(
          await withSession(command, output, (s) =>
            request(s, 'members.authorize', { publicKey: command.member, roles: command.roles }),
          ),
        ),
      );
      return EXIT_OK;
    case 'send':
      output.out(
        json(
          await withSession(command, output, (s) =>
            request(s, 'messages.send', {
              channelId: command.channel,
              clientId: randomUUID(),
              content: command.text,
            }),
          ),
        ),
      );
      return EXIT_OK;
    case 'listen':
      return listen(command, output, stop);
  }
}

/**
 * Prints `message.created` pushes as JSON lines. Reconnects by itself (signing a fresh challenge), and
 * after a reconnect asks each channel it has seen for what came after the last message it printed.
 */
async function listen(
  command: ServerTarget & { readonly channel: string | undefined },
  output: Output,
  stop: StopSignal,
): Promise<number> {
  let fatal: ((error: Error) => void) | undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    fatal = reject;
  });
  void failed.catch(() => undefined); // handled by the race below; never an unhandled rejection
  const { socket, session } = await openSession(command, output, {
    reconnect: true,
    onFatal: (error) => fatal?.(error),
  });
  try {
    if (!session.member) {
      throw new CliError(
        `this key has not joined ${session.server.name} yet, so it receives no messages; run join first`,
      );
    }
    if (command.channel !== undefined) {
      const { channels } = await request(socket, 'channels.list', {});
      if (!channels.some((c) => c.id === command.channel)) {
        const known = channels.map((c) => c.id).join(', ');
        throw new CliError(`no channel "${command.channel}" on ${session.server.name} (channels: ${known})`);
      }
    }

    // Newest message per channel (the catch-up cursor) and recent ids (pushes and catch-up overlap).
    const newest = new Map<string, MessageDto>();
    const printed = new Set<string>();
    const print = (message: MessageDto) => {
      if (command.channel !== undefined && message.channelId !== command.channel) return;
      if (printed.has(message.id)) return;
      printed.add(message.id);
      if (printed.size > SEEN_IDS_KEPT) printed.delete(printed.values().next().value as string);
      const last = newest.get(message.channelId);
      if (!last || message.seq > last.seq) newest.set(message.channelId, message);
      output.out(JSON.stringify(message));
    };
    const catchUp = async () => {
      for (const [channelId, last] of [...newest]) {
        let after = last.id;
        for (;;) {
          const page = await request(socket, 'messages.history', { channelId, after });
          page.messages.forEach(print);
          const end = page.messages.at(-1);
          if (!page.hasMore || !end) break;
          after = end.id;
        }
      }
    };

    socket.on('message.created', print);
    socket.on('session.ended', (ended) =>
      fatal?.(new CliError(`the server ended the session: ${ended.message}`)),
    );
    socket.on('disconnect', (why) => {
      if (why === 'io server disconnect') fatal?.(new CliError('the server closed the connection'));
      else if (why !== 'io client disconnect') output.err(`disconnected (${why}); reconnecting`);
    });
    socket.io.on('reconnect', () => {
      output.err('reconnected');
      catchUp().catch((error: unknown) => {
        output.err(
          `could not fetch missed messages: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    });
    socket.on('connect_error', (error) => {
      const code = (error as { data?: { code?: unknown } }).data?.code;
      if (typeof code !== 'string') return; // transport trouble: the manager retries by itself
      if (code === 'challenge_unknown' || code === 'challenge_expired') {
        setTimeout(() => socket.connect(), 1000);
        return;
      }
      fatal?.(new CliError(`the server refused to log in again: ${code}: ${error.message}`));
    });

    const where = command.channel === undefined ? 'all channels' : `#${command.channel}`;
    output.err(`listening to ${where} on ${session.server.name} (${command.server}); Ctrl+C to stop`);
    await Promise.race([stop(), failed]);
    return EXIT_OK;
  } finally {
    socket.disconnect();
  }
}
