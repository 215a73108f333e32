import type { ChallengeDto, Envelope, ServerInfoDto } from '@mpqcht/protocol';
import { fetchChallenge, type PowSolver } from '@mpqcht/protocol-client';

/** How one login asks for its challenge (docs/protocol.md, Proof of work). */
export interface ChallengeOptions {
  /** The key's login pass for this server: no proof-of-work is asked then. */
  readonly pass?: string | null;
  /** Solves a proof-of-work challenge when the server asks for one (in a worker, with progress). */
  readonly solvePow?: PowSolver;
  /** Ends the request (and the proof) when the attempt is given up. */
  readonly signal?: AbortSignal;
}

/** The few HTTP calls a client makes before the socket: server info and login challenges. */
export interface ServerHttp {
  serverInfo(url: string): Promise<ServerInfoDto>;
  /** Rejects as `fetchChallenge` does: a `ProtocolFailure` when the server says why (429). */
  challenge(url: string, options?: ChallengeOptions): Promise<ChallengeDto>;
}

export class ServerUnreachable extends Error {}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, cache: 'no-store' });
  } catch {
    throw new ServerUnreachable(`cannot reach ${new URL(url).origin}`);
  }
  let body: Envelope<T>;
  try {
    body = (await response.json()) as Envelope<T>;
  } catch {
    throw new ServerUnreachable(`${new URL(url).origin} did not answer like an mpqcht server`);
  }
  if (!body.ok) throw new ServerUnreachable(body.error.message);
  return body.data;
}

export const fetchServerHttp: ServerHttp = {
  serverInfo: (url) => call<ServerInfoDto>(`${url}/api/server`),
  challenge: (url, options) => fetchChallenge(url, options),
};
