import { meetsEffort, POW_CHALLENGE_BYTES, powHash } from '@mpqcht/protocol/plain';

import { runPowSearch } from './pow-search';
import type { PowWorkerReply } from './pow-worker-messages';

/** 41 bytes in a challenge's shape; the worker never checks the server's MAC. */
const CHALLENGE = Uint8Array.from({ length: POW_CHALLENGE_BYTES }, (_, i) => (i * 37 + 1) & 0xff);

describe('runPowSearch (the worker)', () => {
  it('reports progress slice by slice, then a solution that meets the effort', () => {
    const replies: PowWorkerReply[] = [];
    runPowSearch({ challenge: CHALLENGE, effort: 500, high: 7 }, (reply) => replies.push(reply), 10);

    const last = replies.at(-1);
    if (last?.kind !== 'solved') throw new Error(`no solution: ${JSON.stringify(last)}`);
    const { solution } = last;
    expect(solution).toHaveLength(8);
    // The high half is the one the page chose.
    expect(new DataView(solution.buffer).getUint32(0)).toBe(7);
    expect(meetsEffort(powHash(CHALLENGE, solution), 500)).toBe(true);
    // At 500 expected hashes, 10 a slice: progress before the solution, counting up by the slice.
    const progress = replies.slice(0, -1);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.map((p) => (p.kind === 'progress' ? p.tried : -1))).toEqual(
      progress.map((_, i) => (i + 1) * 10),
    );
  });

  it('refuses a challenge that is not 41 bytes', () => {
    const replies: PowWorkerReply[] = [];
    runPowSearch({ challenge: new Uint8Array(40), effort: 10, high: 0 }, (reply) => replies.push(reply));
    expect(replies).toEqual([{ kind: 'failed', message: expect.stringContaining('malformed') as string }]);
  });
});
