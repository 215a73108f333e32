/** `messages.history` pages at the given cursors, `concurrency` at a time, timed one by one. */
import { nowMs } from '../clock';
import { encode, newHistogram, recordMs } from '../histogram';
import type { Counts, HistoryResult } from '../ipc';

export interface Page {
  readonly error: string | null;
  readonly messages: number;
}

export const PAGE_SIZE = 50;

export async function runHistory(
  cursors: readonly string[],
  concurrency: number,
  page: (before: string) => Promise<Page>,
): Promise<HistoryResult> {
  const latency = newHistogram();
  const errors: Counts = {};
  let shortPages = 0;
  let next = 0;
  const started = nowMs();
  const lane = async () => {
    while (next < cursors.length) {
      const cursor = cursors[next++] ?? '';
      const t0 = nowMs();
      try {
        const answer = await page(cursor);
        if (answer.error === null) {
          recordMs(latency, nowMs() - t0);
          if (answer.messages < PAGE_SIZE) shortPages += 1;
        } else errors[answer.error] = (errors[answer.error] ?? 0) + 1;
      } catch {
        errors['ack_timeout'] = (errors['ack_timeout'] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return {
    requests: cursors.length,
    errors,
    shortPages,
    latency: encode(latency),
    elapsedMs: nowMs() - started,
  };
}
