/**
 * Message content of the load. It carries its own scheduled send time, so that a receiver in any
 * process can compute send→receive on the shared monotonic clock (clock.ts) without a lookup:
 * `bench:<step>:<scheduled ms>:` followed by filler up to the message size.
 */
const MARK = 'bench:';
const MARK_BYTES = Buffer.from(MARK);
const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit ';

export interface Stamp {
  readonly step: number;
  readonly scheduledMs: number;
}

export function stampedContent(step: number, scheduledMs: number, bytes: number): string {
  const head = `${MARK}${step}:${scheduledMs.toFixed(3)}:`;
  if (head.length >= bytes) return head;
  const rest = bytes - head.length;
  return head + FILLER.repeat(Math.ceil(rest / FILLER.length)).slice(0, rest);
}

function parse(text: string): Stamp | undefined {
  const colon = text.indexOf(':');
  const end = text.indexOf(':', colon + 1);
  if (colon < 1 || end < 0) return undefined;
  const step = Number(text.slice(0, colon));
  const scheduledMs = Number(text.slice(colon + 1, end));
  return Number.isFinite(step) && Number.isFinite(scheduledMs) ? { step, scheduledMs } : undefined;
}

/** The stamp inside any text (a Socket.IO frame, a JSON message, the content itself). */
export function stampOf(text: string): Stamp | undefined {
  const at = text.indexOf(MARK);
  return at < 0 ? undefined : parse(text.slice(at + MARK.length, at + MARK.length + 40));
}

/** The same on a received frame, without decoding the whole frame to a string. */
export function stampOfBuffer(frame: Buffer): Stamp | undefined {
  const at = frame.indexOf(MARK_BYTES);
  if (at < 0) return undefined;
  const start = at + MARK_BYTES.length;
  return parse(frame.toString('latin1', start, Math.min(frame.length, start + 40)));
}
