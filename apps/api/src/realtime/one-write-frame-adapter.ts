import { Adapter } from 'socket.io-adapter';

/** The broadcast options socket.io-adapter 2.5 builds once per room emit and hands to every socket. */
interface BroadcastPacketOptions {
  /** The websocket frame (header, payload), built once for every socket of the room. */
  wsPreEncodedFrame?: Buffer[];
}

/** socket.io-adapter 2.5's per-broadcast encoder: private in its types, called by `broadcast`. */
type BroadcastEncoder = (this: Adapter, packet: unknown, packetOpts: BroadcastPacketOptions) => unknown;

const baseEncode = (Adapter.prototype as unknown as { _encode?: BroadcastEncoder })._encode;

/**
 * Socket.IO's in-memory adapter with every room emit framed as one Buffer instead of two.
 *
 * A room emit is encoded once: socket.io-adapter builds the websocket frame (header, payload) and
 * each socket's ws writes it. With two Buffers, ws corks the net.Socket, writes both and uncorks,
 * so every delivery goes through Node's writev path (buffered entries, a chunk array, a callback
 * closure, a WriteWrap per group); with one it is a single plain write. Measured with V8's
 * sampling heap profiler on the overload measurement (1,000 members, 100 messages/s of 4 KB,
 * docs/performance.md "Stalled and slow clients"): 2.9 KB of heap allocated per delivery before,
 * 1.1 KB after. That garbage lives as long as the write is pending, is promoted to the old
 * generation and is what the RSS grew with. The price is one copy of the payload per room emit.
 *
 * If a socket.io-adapter upgrade removes `_encode`, this is the plain adapter (the spec fails).
 */
export class OneWriteFrameAdapter extends Adapter {
  /** Whether this socket.io-adapter has the encoder this class wraps (for the spec). */
  static readonly wrapsEncoder = typeof baseEncode === 'function';
}

if (baseEncode) {
  const encode = baseEncode;
  Object.defineProperty(OneWriteFrameAdapter.prototype, '_encode', {
    value: function (this: Adapter, packet: unknown, packetOpts: BroadcastPacketOptions): unknown {
      const encoded = encode.call(this, packet, packetOpts);
      const frame = packetOpts.wsPreEncodedFrame;
      if (frame?.length === 2) packetOpts.wsPreEncodedFrame = [Buffer.concat(frame)];
      return encoded;
    },
  });
}
