/**
 * The servers compared, started the same way for every measurement: a bare Socket.IO broadcast
 * server, a bare ws broadcast server, and mpqcht (on a throwaway database of the PostgreSQL server,
 * or with `--embedded` on its own embedded PostgreSQL). `firstMessage` is the client side of a
 * cold start: from "listening" to the first message delivered (for mpqcht: logged in and joined).
 */
import { io } from 'socket.io-client';
import { WebSocket } from 'ws';

import { stampedContent } from './content';
import { BenchDb } from './database';
import type { TargetKind, TargetSpec } from './ipc';
import { Root } from './root';
import { type BaselineName, startBaseline } from './servers/baselines';
import { benchConfig, LOAD_CHANNEL, type PowToml } from './servers/bench-config';
import { embeddedPostgresPids, PUBLIC_ORIGIN, startMpqcht } from './servers/mpqcht';
import type { ServerProcess } from './servers/server-process';

const FIRST_MESSAGE_TIMEOUT_MS = 30_000;

export interface RunningServer {
  readonly spec: TargetSpec;
  readonly process: ServerProcess;
  /** mpqcht: its database. */
  readonly db: BenchDb | undefined;
  /** mpqcht: the root's public key (hex), the author of the seeded history. */
  readonly rootKey: string | undefined;
  /** mpqcht: the root's connection, open after `firstMessage`. */
  root(): Root | undefined;
  firstMessage(): Promise<void>;
  /** mpqcht: the PostgreSQL processes serving it (embedded: the whole cluster; else the backends). */
  postgresPids(): Promise<number[]>;
  /** SIGKILL (a graceful shutdown of thousands of sockets measures nothing), then clean up. */
  dispose(): Promise<void>;
}

export interface StartOptions {
  /** mpqcht: more channels in its config.toml (the search part's); the baselines have one room. */
  readonly extraChannels?: readonly string[];
  /** mpqcht: its `[pow]` section (off by default, see bench-config.ts). */
  readonly pow?: PowToml;
}

export interface TargetDefinition {
  /** The name in the report: socket.io, ws, mpqcht or mpqcht-embedded. */
  readonly name: string;
  readonly kind: TargetKind;
  start(options?: StartOptions): Promise<RunningServer>;
}

function withTimeout<T>(promise: Promise<T>, what: string): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) =>
      setTimeout(() => {
        reject(new Error(`${what}: no answer in ${FIRST_MESSAGE_TIMEOUT_MS} ms`));
      }, FIRST_MESSAGE_TIMEOUT_MS),
    ),
  ]);
}

function baseline(
  name: BaselineName,
  kind: TargetKind,
  env: Record<string, string>,
): TargetDefinition['start'] {
  return async () => {
    const server = await startBaseline(name, env);
    const url = `http://127.0.0.1:${server.port}`;
    const spec: TargetSpec = { kind, url, origin: url, channelId: LOAD_CHANNEL };
    const content = stampedContent(0, 0, 200);
    const firstMessage = async () => {
      if (kind === 'ws') {
        const socket = new WebSocket(url.replace(/^http/, 'ws'));
        await withTimeout(
          new Promise<void>((resolve, reject) => {
            socket.once('error', reject);
            socket.once('open', () => socket.send(JSON.stringify({ id: 'first', content })));
            socket.once('message', () => resolve());
          }),
          'ws first message',
        );
        socket.terminate();
        return;
      }
      const socket = io(url, {
        transports: ['websocket'],
        forceNew: true,
        reconnection: false,
        query: { room: LOAD_CHANNEL },
      });
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          socket.once('connect_error', reject);
          socket.once('connect', () => socket.emit('send', { id: 'first', content }));
          socket.once('message', () => resolve());
        }),
        'socket.io first message',
      );
      socket.disconnect();
    };
    return {
      spec,
      process: server,
      db: undefined,
      rootKey: undefined,
      root: () => undefined,
      firstMessage,
      postgresPids: () => Promise.resolve([]),
      dispose: () => server.dispose(),
    };
  };
}

function mpqcht(
  apiMain: string,
  nodeFlags: readonly string[],
  databaseServerUrl: string | undefined,
  env: Record<string, string>,
): TargetDefinition['start'] {
  return async (options) => {
    const rootKey = await Root.key();
    const server = await startMpqcht({
      apiMain,
      nodeFlags,
      databaseServerUrl,
      configToml: benchConfig(rootKey.publicKey.hex, options?.extraChannels, options?.pow),
      env,
    });
    const spec: TargetSpec = {
      kind: 'mpqcht',
      url: server.url,
      origin: PUBLIC_ORIGIN,
      channelId: LOAD_CHANNEL,
    };
    const db = await BenchDb.connect(server.databaseUrl);
    let root: Root | undefined;
    const close = async () => {
      root?.close();
      await db.close();
    };
    return {
      spec,
      process: server,
      db,
      rootKey: rootKey.publicKey.hex,
      root: () => root,
      firstMessage: async () => {
        root = await withTimeout(Root.login(spec, rootKey), 'root login');
        await withTimeout(root.sendAndReceive(stampedContent(0, 0, 200)), 'first message');
      },
      postgresPids: async () => {
        const postmaster = server.postmasterPid();
        return postmaster === undefined ? db.backendPids() : embeddedPostgresPids(postmaster);
      },
      dispose: async () => {
        await close();
        await server.dispose();
      },
    };
  };
}

export function targetDefinitions(options: {
  readonly apiMain: string;
  readonly apiNodeFlags?: readonly string[];
  readonly embedded: boolean;
  readonly databaseServerUrl: string;
  /** More environment for every server process (the backlog measurement's memory probe). */
  readonly serverEnv?: Record<string, string>;
}): TargetDefinition[] {
  const env = options.serverEnv ?? {};
  return [
    { name: 'socket.io', kind: 'socket.io', start: baseline('socketio-server', 'socket.io', env) },
    { name: 'ws', kind: 'ws', start: baseline('ws-server', 'ws', env) },
    {
      name: options.embedded ? 'mpqcht-embedded' : 'mpqcht',
      kind: 'mpqcht',
      start: mpqcht(
        options.apiMain,
        options.apiNodeFlags ?? [],
        options.embedded ? undefined : options.databaseServerUrl,
        env,
      ),
    },
  ];
}
