/**
 * Engine.IO v4 / Socket.IO v5 text packets over a WebSocket, the little of them a receiver needs.
 * An Engine.IO packet is one frame: a type digit (0 open, 1 close, 2 ping, 3 pong, 4 message,
 * 6 noop) and its data. A Socket.IO packet is the data of an Engine.IO message: a type digit
 * (0 CONNECT, 1 DISCONNECT, 2 EVENT, 3 ACK, 4 CONNECT_ERROR), then for the main namespace an
 * optional ack id and JSON. So `40{...}` connects, `44{...}` refuses, `42["event",...]` is an
 * event, `42<id>[...]` an event that wants an ack and `43<id>[...]` an ack.
 */
export type Packet =
  | { readonly kind: 'open'; readonly data: unknown }
  | { readonly kind: 'close' }
  | { readonly kind: 'ping' }
  | { readonly kind: 'pong' }
  | { readonly kind: 'noop' }
  | { readonly kind: 'connect'; readonly data: unknown }
  | { readonly kind: 'disconnect' }
  | { readonly kind: 'connect_error'; readonly data: unknown }
  | { readonly kind: 'event'; readonly name: string; readonly args: unknown[]; readonly ackId?: number }
  | { readonly kind: 'ack'; readonly id: number; readonly args: unknown[] }
  | { readonly kind: 'unknown'; readonly text: string };

export const PING = '2';
export const PONG = '3';

function json(text: string): unknown {
  return text.length === 0 ? undefined : JSON.parse(text);
}

/** Splits `<digits><json>` into the id (undefined without digits) and the JSON value. */
function idAndJson(text: string): { id: number | undefined; value: unknown } {
  let end = 0;
  while (end < text.length && text.charCodeAt(end) >= 48 && text.charCodeAt(end) <= 57) end += 1;
  return { id: end > 0 ? Number(text.slice(0, end)) : undefined, value: json(text.slice(end)) };
}

function socketIoPacket(text: string): Packet {
  const type = text.charAt(0);
  const rest = text.slice(1);
  if (rest.startsWith('/')) return { kind: 'unknown', text }; // another namespace: not ours
  switch (type) {
    case '0':
      return { kind: 'connect', data: json(rest) };
    case '1':
      return { kind: 'disconnect' };
    case '4':
      return { kind: 'connect_error', data: json(rest) };
    case '2': {
      const { id, value } = idAndJson(rest);
      if (!Array.isArray(value) || typeof value[0] !== 'string') return { kind: 'unknown', text };
      const [name, ...args] = value as [string, ...unknown[]];
      return id === undefined ? { kind: 'event', name, args } : { kind: 'event', name, args, ackId: id };
    }
    case '3': {
      const { id, value } = idAndJson(rest);
      if (id === undefined || !Array.isArray(value)) return { kind: 'unknown', text };
      return { kind: 'ack', id, args: value as unknown[] };
    }
    default:
      return { kind: 'unknown', text };
  }
}

/** Parses one text frame; throws on malformed JSON. */
export function parsePacket(text: string): Packet {
  switch (text.charAt(0)) {
    case '0':
      return { kind: 'open', data: json(text.slice(1)) };
    case '1':
      return { kind: 'close' };
    case '2':
      return { kind: 'ping' };
    case '3':
      return { kind: 'pong' };
    case '4':
      return socketIoPacket(text.slice(1));
    case '6':
      return { kind: 'noop' };
    default:
      return { kind: 'unknown', text };
  }
}

/** `40` with the handshake auth (the main namespace). */
export function connectPacket(auth?: unknown): string {
  return auth === undefined ? '40' : `40${JSON.stringify(auth)}`;
}

/** `42[...]`, or `42<ackId>[...]` when an ack is wanted. */
export function eventPacket(name: string, args: readonly unknown[], ackId?: number): string {
  return `42${ackId === undefined ? '' : String(ackId)}${JSON.stringify([name, ...args])}`;
}

/** The WebSocket URL of an Engine.IO v4 connection without polling. */
export function engineIoUrl(httpUrl: string, query: Record<string, string> = {}): string {
  const url = new URL('/socket.io/', httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('EIO', '4');
  url.searchParams.set('transport', 'websocket');
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}
