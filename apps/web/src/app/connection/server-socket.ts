import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';

import type { ClientToServerEvents, ServerToClientEvents } from '@mpqcht/protocol';

export type ServerSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export type AuthCallback = (send: (auth: object) => void) => void;

/** Makes the Socket.IO connection of one server; replaced by a fake in unit tests. */
export type SocketFactory = (url: string, auth: AuthCallback) => ServerSocket;

/**
 * One Socket.IO manager per server (`forceNew`), WebSocket only. It does not reconnect by itself:
 * the session does, on its ReconnectPolicy's schedule (quick after a restart, backing off while
 * it fails, at once on "Reconnect now" or when the network returns), and opens it itself, the
 * first time too. `auth` is a callback, so every reconnect signs a fresh challenge.
 */
export const createServerSocket: SocketFactory = (url, auth) => {
  const options: Partial<ManagerOptions & SocketOptions> = {
    forceNew: true,
    transports: ['websocket'],
    reconnection: false,
    // The session opens it once the login's challenge is in hand (ServerSession.open).
    autoConnect: false,
    timeout: 10_000,
    auth,
  };
  return io(url, options);
};
