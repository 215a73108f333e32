/**
 * The pow part's flood (pow/flood-kinds.ts): a process of its own, forked by flood-process.ts,
 * pinned to the load core at the lowest priority (so the honest clients on that core are served
 * first and the flood gets the rest). It speaks HTTP/1.1 on raw keep-alive sockets with one request
 * in flight on each, the cheapest way for one core to send many requests; `GET /api/auth/pow`
 * every 500 ms keeps the challenge the invalid proofs are made from current.
 */
import * as net from 'node:net';

import type { Counts } from '../ipc';
import type { FloodKind, FloodRequest, FloodResponse, FloodStart, FloodStats } from './flood-kinds';
import { forgedMac, solveSliced, wrongSolution } from './proofs';

const TIMEOUT_MS = 30_000;
const REFRESH_MS = 500;

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One keep-alive connection, one request at a time. */
class Lane {
  private socket: net.Socket | undefined;
  private buffer: Buffer = Buffer.alloc(0);
  private waiting: { resolve(answer: Answer): void; reject(error: Error): void } | undefined;

  constructor(private readonly port: number) {}

  private connect(): net.Socket {
    const socket = net.connect({ host: '127.0.0.1', port: this.port, noDelay: true });
    socket.setTimeout(TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    const fail = (error: Error) => {
      this.socket = undefined;
      this.buffer = Buffer.alloc(0);
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.reject(error);
    };
    socket.on('error', fail);
    socket.on('timeout', () => {
      socket.destroy();
      fail(new Error('timeout'));
    });
    socket.on('close', () => {
      fail(new Error('closed'));
    });
    return socket;
  }

  private parse(): void {
    const end = this.buffer.indexOf('\r\n\r\n');
    if (end < 0) return;
    const head = this.buffer.toString('latin1', 0, end);
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
    if (this.buffer.length < end + 4 + length) return;
    const answer = {
      status: Number(head.slice(9, 12)),
      body: this.buffer.toString('utf8', end + 4, end + 4 + length),
    };
    this.buffer = this.buffer.subarray(end + 4 + length);
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.resolve(answer);
  }

  request(bytes: string): Promise<Answer> {
    this.socket ??= this.connect();
    const socket = this.socket;
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
      socket.write(bytes);
    });
  }

  close(): void {
    this.socket?.destroy();
  }
}

function post(port: number, body: unknown): string {
  if (body === undefined) {
    return `POST /api/auth/challenge HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: 0\r\n\r\n`;
  }
  const json = JSON.stringify(body);
  return (
    `POST /api/auth/challenge HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`
  );
}

function codeOf(answer: Answer): string {
  if (answer.status === 200) return 'nonce';
  return /"code":"([a-z_]+)"/.exec(answer.body)?.[1] ?? `http_${answer.status}`;
}

interface PowDetails {
  readonly effort: number;
  readonly challenge: string;
}

function powOf(body: string): PowDetails | undefined {
  try {
    const parsed = JSON.parse(body) as {
      data?: Partial<PowDetails>;
      error?: { details?: { pow?: Partial<PowDetails> } };
    };
    const pow = parsed.error?.details?.pow ?? parsed.data;
    return typeof pow?.effort === 'number' && typeof pow.challenge === 'string'
      ? { effort: pow.effort, challenge: pow.challenge }
      : undefined;
  } catch {
    return undefined;
  }
}

class Flood {
  private running = true;
  private readonly lanes: Lane[] = [];
  private readonly done: Promise<unknown>;
  private current: PowDetails | undefined;
  private seed = 0;
  sent = 0;
  answered = 0;
  errors = 0;
  solved = 0;
  hashes = 0;
  readonly codes: Counts = {};

  constructor(private readonly start: FloodStart) {
    const loops = Array.from({ length: start.lanes }, () => {
      const lane = new Lane(start.port);
      this.lanes.push(lane);
      return start.kind === 'valid' ? this.solving(lane) : this.hammer(lane, start.kind);
    });
    if (start.kind === 'wrong-solution' || start.kind === 'forged-mac') loops.push(this.refresh());
    this.done = Promise.all(loops);
  }

  stats(): FloodStats {
    const { sent, answered, errors, solved, hashes } = this;
    return { sent, answered, errors, solved, hashes, codes: { ...this.codes } };
  }

  async stop(): Promise<FloodStats> {
    this.running = false;
    await this.done;
    for (const lane of this.lanes) lane.close();
    return this.stats();
  }

  private count(answer: Answer): void {
    this.answered += 1;
    const code = codeOf(answer);
    this.codes[code] = (this.codes[code] ?? 0) + 1;
  }

  private async send(lane: Lane, bytes: string): Promise<Answer | undefined> {
    this.sent += 1;
    try {
      const answer = await lane.request(bytes);
      this.count(answer);
      return answer;
    } catch {
      this.errors += 1;
      await new Promise((resolve) => setTimeout(resolve, 50));
      return undefined;
    }
  }

  /** The server's current challenge, for the invalid proofs, every REFRESH_MS. */
  private async refresh(): Promise<void> {
    const lane = new Lane(this.start.port);
    const get = `GET /api/auth/pow HTTP/1.1\r\nHost: 127.0.0.1:${this.start.port}\r\n\r\n`;
    while (this.running) {
      try {
        this.current = powOf((await lane.request(get)).body) ?? this.current;
      } catch {
        // the next round tries again
      }
      await new Promise((resolve) => setTimeout(resolve, REFRESH_MS));
    }
    lane.close();
  }

  private body(kind: FloodKind): unknown {
    const seed = ++this.seed;
    const current = this.current;
    if (kind === 'bare') return undefined;
    if (kind === 'pass') return { pass: this.start.pass };
    if (!current) return undefined;
    const garbage = { challenge: current.challenge, solution: seed.toString(16).padStart(16, '0') };
    if (kind === 'wrong-solution') {
      return { pow: wrongSolution(current.challenge, current.effort, seed) ?? garbage };
    }
    return { pow: { challenge: forgedMac(current.challenge, seed), solution: garbage.solution } };
  }

  private async hammer(lane: Lane, kind: FloodKind): Promise<void> {
    const fixed = kind === 'bare' || kind === 'pass' ? post(this.start.port, this.body(kind)) : undefined;
    while (this.running) {
      await this.send(lane, fixed ?? post(this.start.port, this.body(kind)));
      // Before the first challenge arrives an invalid proof cannot be made: yield meanwhile.
      if (!fixed && !this.current) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Whatever the server asks: no body while the effort is 0, else the refusal's challenge solved. */
  private async solving(lane: Lane): Promise<void> {
    let body: unknown = undefined;
    while (this.running) {
      const answer = await this.send(lane, post(this.start.port, body));
      body = undefined;
      const pow = answer && answer.status !== 200 ? powOf(answer.body) : undefined;
      if (!pow) continue;
      const { proof, tried } = await solveSliced(pow.challenge, pow.effort, () => this.running);
      this.hashes += tried;
      if (!proof) break;
      this.solved += 1;
      body = { pow: proof };
    }
  }
}

let flood: Flood | undefined;

function reply(response: FloodResponse): void {
  process.send?.(response);
}

process.on('message', (message: FloodRequest) => {
  const answer = async (): Promise<FloodStats | undefined> => {
    if (message.command === 'start') {
      if (flood) await flood.stop();
      flood = new Flood(message.args);
      return flood.stats();
    }
    if (message.command === 'stats') return flood?.stats();
    const stopping = flood;
    flood = undefined;
    return stopping?.stop();
  };
  answer().then(
    (stats) => {
      reply(stats ? { id: message.id, stats } : { id: message.id });
    },
    (error: unknown) => {
      reply({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    },
  );
});

process.on('disconnect', () => {
  process.exit(0);
});
