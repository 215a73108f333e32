/**
 * A load worker process (forked by pool.ts, bundled with esbuild, pinned to the load core). It holds
 * a share of the load's connections and answers the coordinator's commands (ipc.ts).
 */
import { nowMs } from '../clock';
import { encode, newHistogram, recordMs } from '../histogram';
import type { CommandName, Commands, Counts, OpenResult, Request, Response, Role, TargetSpec } from '../ipc';
import { ACK_TIMEOUT_MS, type Connection, envelopeError, openConnection, OpenFailed } from './connections';
import { PAGE_SIZE, runHistory } from './history-requests';
import { fetchPasses, type HonestMember, makeMembers, runHonest } from './honest';
import { type Key, newKey } from './login';
import { runSearch } from './search-requests';
import { type LocalSender, Schedule } from './senders';
import { StepState } from './step-state';

let target: TargetSpec | undefined;
let workerIndex = 0;
let names = 0;
const keys: Key[] = [];
const connections: Connection[] = [];
const honestMembers: HonestMember[] = [];
const state = new StepState();
const schedule = new Schedule();

function count(counts: Counts, code: string): void {
  counts[code] = (counts[code] ?? 0) + 1;
}

async function open(
  role: Role,
  total: number,
  concurrency: number,
  deadlineMs?: number,
): Promise<OpenResult> {
  if (!target) throw new Error('not initialised');
  const context = {
    target,
    state,
    key: () => {
      const key = keys.shift();
      if (!key) throw new OpenFailed('no_key', 'no authorized key left');
      return key;
    },
    displayName: () => `w${workerIndex}n${++names}`,
  };
  const handshake = newHistogram();
  const setup = newHistogram();
  const failed: Counts = {};
  const examples: Record<string, string> = {};
  let started = 0;
  let opened = 0;
  const lane = async () => {
    while (started < total && (deadlineMs === undefined || nowMs() < deadlineMs)) {
      started += 1;
      const t0 = nowMs();
      try {
        const result = await openConnection(role, context);
        connections.push(result.connection);
        recordMs(handshake, result.handshakeMs);
        recordMs(setup, nowMs() - t0);
        opened += 1;
      } catch (error) {
        const code = error instanceof OpenFailed ? error.code : 'connect_failed';
        count(failed, code);
        examples[code] ??= error instanceof Error ? error.message : String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, total)) }, lane));
  return { opened, failed, examples, handshake: encode(handshake), setup: encode(setup) };
}

function pageSize(envelope: unknown): number {
  const data = (envelope as { data?: { messages?: unknown } } | undefined)?.data;
  return Array.isArray(data?.messages) ? data.messages.length : 0;
}

function senders(): LocalSender[] {
  return connections.flatMap((c) => (c.send ? [{ send: c.send, acks: c.acks }] : []));
}

const handlers: { [C in CommandName]: (args: Commands[C]['args']) => Promise<Commands[C]['result']> } = {
  init: (args) => {
    target = args.target;
    workerIndex = args.worker;
    return Promise.resolve(null);
  },
  keys: async ({ count: wanted }) => {
    const made = await Promise.all(Array.from({ length: wanted }, () => newKey()));
    keys.push(...made);
    return made.map((key) => key.publicKey.hex);
  },
  open: ({ role, count: wanted, concurrency, deadlineMs }) => open(role, wanted, concurrency, deadlineMs),
  step: ({ order }) => {
    schedule.start(order, senders(), state);
    return Promise.resolve(null);
  },
  stop: () => {
    schedule.stop();
    return Promise.resolve(null);
  },
  progress: () => Promise.resolve(state.progress()),
  collect: () => {
    schedule.stop();
    return Promise.resolve(state.collect());
  },
  history: async ({ channelId, cursors, concurrency }) => {
    const socket = connections.find((c) => c.socket)?.socket;
    if (!socket) throw new Error('history needs a socket.io-client connection');
    return runHistory(cursors, concurrency, async (before) => {
      const envelope: unknown = await socket
        .timeout(ACK_TIMEOUT_MS)
        .emitWithAck('messages.history', { channelId, before, limit: PAGE_SIZE });
      return { error: envelopeError(envelope), messages: pageSize(envelope) };
    });
  },
  search: ({ queries, lanes, limit }) => {
    const searchers = connections.flatMap((c) => (c.role === 'searcher' && c.socket ? [c.socket] : []));
    return runSearch(searchers, queries, lanes, limit);
  },
  honestKeys: async ({ count: wanted }) => {
    const made = await makeMembers(wanted);
    honestMembers.push(...made);
    return made.map((member) => member.key.publicKey.hex);
  },
  honestPasses: async () => {
    if (!target) throw new Error('not initialised');
    await fetchPasses(target, honestMembers);
    return honestMembers[0]?.pass ?? null;
  },
  honest: ({ rate, withPass, durationMs }) => {
    if (!target) throw new Error('not initialised');
    return runHonest(target, honestMembers, rate, withPass, durationMs);
  },
  reset: () => {
    schedule.stop();
    keys.length = 0; // authorized on the server that was just stopped
    honestMembers.length = 0;
    for (const connection of connections.splice(0)) connection.close();
    return Promise.resolve(null);
  },
};

function reply(response: Response): void {
  process.send?.(response);
}

process.on('message', (message: Request) => {
  const handler = handlers[message.command] as (args: unknown) => Promise<unknown>;
  handler(message.args).then(
    (result) => {
      reply({ id: message.id, ok: true, result });
    },
    (error: unknown) => {
      reply({ id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) });
    },
  );
});

process.on('disconnect', () => {
  for (const connection of connections) connection.close();
  process.exit(0);
});
