/**
 * The pow part's honest members (pow/measure.ts): keys the root authorized that log in again and
 * again at a steady offered rate, each login a full one (challenge, signature, Socket.IO handshake,
 * disconnect). Members coming back show the login pass `session.get` gave them; new devices show
 * none and solve whatever proof-of-work the server asks, natively in slices (pow/proofs.ts).
 * Open loop: login k starts at start + k/rate however the earlier ones fare, and its latency
 * counts from that time.
 */
import { io } from 'socket.io-client';

import {
  ChallengeUnavailable,
  freshLoginAuth,
  handshakeFailure,
  PowAborted,
  ProtocolFailure,
  request,
  whenConnected,
} from '@mpqcht/protocol-client';

import { nowMs } from '../clock';
import { encode, newHistogram, recordMs } from '../histogram';
import type { Counts, HonestResult, TargetSpec } from '../ipc';
import { solveSliced } from '../pow/proofs';
import { type Key, newKey } from './login';

const LOGIN_TIMEOUT_MS = 60_000;

export interface HonestMember {
  readonly key: Key;
  pass: string | null;
}

export async function makeMembers(count: number): Promise<HonestMember[]> {
  return Promise.all(Array.from({ length: count }, async () => ({ key: await newKey(), pass: null })));
}

function codeOf(error: unknown): string {
  if (error instanceof ProtocolFailure) return error.code;
  if (error instanceof ChallengeUnavailable) return error.reason;
  if (error instanceof PowAborted) return 'timeout';
  const handshake = handshakeFailure(error);
  if (handshake) return handshake.code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timeout';
  return 'error';
}

interface Solving {
  readonly solve: ReturnType<typeof newHistogram>;
  solves: number;
  hashes: number;
}

/** One full login; with `session` it also asks `session.get` and keeps the pass. */
async function login(
  target: TargetSpec,
  member: HonestMember,
  usePass: boolean,
  solving: Solving,
  session = false,
): Promise<void> {
  const signal = AbortSignal.timeout(LOGIN_TIMEOUT_MS);
  const auth = await freshLoginAuth({
    baseUrl: target.url,
    origin: target.origin,
    signer: { privateKey: member.key.pair.privateKey, publicKey: member.key.publicKey },
    pass: usePass ? member.pass : null,
    signal,
    solvePow: async (challenge) => {
      const started = nowMs();
      const { proof, tried } = await solveSliced(
        challenge.challenge,
        challenge.effort,
        () => !signal.aborted,
      );
      recordMs(solving.solve, nowMs() - started);
      solving.solves += 1;
      solving.hashes += tried;
      if (!proof) throw new PowAborted();
      return proof;
    },
  });
  const socket = io(target.url, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: LOGIN_TIMEOUT_MS,
    auth: { ...auth },
  });
  try {
    await whenConnected(socket);
    if (session) {
      const envelope = await request(socket, 'session.get', {}, { timeoutMs: LOGIN_TIMEOUT_MS });
      if (!envelope.ok) throw new ProtocolFailure(envelope.error.code, envelope.error.message);
      member.pass = envelope.data.loginPass.pass;
    }
  } finally {
    socket.disconnect();
  }
}

/** Logs every member in once and keeps the login pass `session.get` answers. */
export async function fetchPasses(target: TargetSpec, members: readonly HonestMember[]): Promise<void> {
  const solving: Solving = { solve: newHistogram(), solves: 0, hashes: 0 };
  for (const member of members) await login(target, member, false, solving, true);
}

export async function runHonest(
  target: TargetSpec,
  members: readonly HonestMember[],
  rate: number,
  usePass: boolean,
  durationMs: number,
): Promise<HonestResult> {
  const latencyMs = newHistogram();
  const solving: Solving = { solve: newHistogram(), solves: 0, hashes: 0 };
  const failed: Counts = {};
  const examples: Record<string, string> = {};
  const total = rate > 0 ? Math.floor((rate * durationMs) / 1000) : 0;
  let ok = 0;
  const started = nowMs();
  const logins: Promise<void>[] = [];
  for (let k = 0; k < total; k++) {
    const due = started + (k * 1000) / rate;
    const wait = due - nowMs();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const member = members[k % members.length];
    if (!member) break;
    logins.push(
      login(target, member, usePass, solving).then(
        () => {
          ok += 1;
          recordMs(latencyMs, nowMs() - due);
        },
        (error: unknown) => {
          const code = codeOf(error);
          failed[code] = (failed[code] ?? 0) + 1;
          examples[code] ??= error instanceof Error ? error.message : String(error);
        },
      ),
    );
  }
  await Promise.all(logins);
  return {
    scheduled: total,
    ok,
    failed,
    examples,
    latency: encode(latencyMs),
    solve: encode(solving.solve),
    solves: solving.solves,
    hashes: solving.hashes,
    elapsedMs: nowMs() - started,
  };
}
