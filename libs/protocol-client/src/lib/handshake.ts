import type { Socket } from 'socket.io-client';

/** The part of a socket waiting for its handshake uses. */
export type HandshakeSocket = Pick<Socket, 'once' | 'off' | 'close'>;

/**
 * Resolves when the socket is connected. On the first `connect_error` it closes the socket (no
 * reconnect loop behind the caller's back) and rejects with that error as socket.io gave it:
 * `handshakeFailure(error)` reads the server's refusal from it.
 */
export function whenConnected(socket: HandshakeSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const onConnect = () => {
      socket.off('connect_error', onError);
      resolve();
    };
    const onError = (error: Error) => {
      socket.off('connect', onConnect);
      socket.close();
      reject(error);
    };
    socket.once('connect', onConnect);
    socket.once('connect_error', onError);
  });
}
