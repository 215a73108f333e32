/** Cold start: process spawned → "listening" → first (for mpqcht: authenticated) message delivered. */
import { nowMs } from './clock';
import type { RunningServer } from './targets';

export interface ColdStart {
  readonly listeningMs: number;
  readonly firstMessageMs: number;
}

/** Right after `start()` resolved: the server's own times plus the first message, now. */
export async function coldStart(server: RunningServer): Promise<ColdStart> {
  await server.firstMessage();
  const deliveredAtMs = nowMs();
  return {
    listeningMs: server.process.listeningAtMs - server.process.spawnedAtMs,
    firstMessageMs: deliveredAtMs - server.process.spawnedAtMs,
  };
}
