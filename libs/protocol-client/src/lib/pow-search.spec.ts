import { meetsEffort, POW_CHALLENGE_BYTES, powHash } from '@mpqcht/protocol/plain';

import { type PowSearchStep, powSlices, searchPow } from '../pow';

const CHALLENGE = Uint8Array.from({ length: POW_CHALLENGE_BYTES }, (_, i) => i);

function halves(solution: Uint8Array): { high: number; low: number } {
  const view = new DataView(solution.buffer);
  return { high: view.getUint32(0), low: view.getUint32(4) };
}

describe('searchPow (the worker entry)', () => {
  it('finds a solution with the given high half that meets the effort, within the slice', () => {
    const solution = searchPow(CHALLENGE, 300, 0xdeadbeef, 0, 100_000);
    if (!solution) throw new Error('no solution in 100000 tries at effort 300');
    expect(new DataView(solution.buffer).getUint32(0)).toBe(0xdeadbeef);
    expect(meetsEffort(powHash(CHALLENGE, solution), 300)).toBe(true);
  });

  it('answers null when no solution is in the slice', () => {
    // At the ceiling effort only a hash prefix of 0 or 1 counts: 5 tries almost never find one.
    const first = searchPow(CHALLENGE, 0xffff_ffff, 1, 0, 5);
    const tries = Array.from({ length: 5 }, (_, i) => {
      const solution = new Uint8Array(8);
      new DataView(solution.buffer).setUint32(0, 1);
      new DataView(solution.buffer).setUint32(4, i);
      return meetsEffort(powHash(CHALLENGE, solution), 0xffff_ffff);
    });
    expect(first === null).toBe(!tries.includes(true));
  });
});

describe('powSlices (the one search loop of every client)', () => {
  it('yields progress after each slice, then the first solution counting up, and ends', () => {
    const steps = [...powSlices(CHALLENGE, 500, { slice: 10, high: 7, start: 0 })];

    const last = steps.at(-1);
    if (last?.kind !== 'solved') throw new Error(`no solution: ${JSON.stringify(last)}`);
    const expected = searchPow(CHALLENGE, 500, 7, 0, 1_000_000);
    expect(last.solution).toEqual(expected);
    expect(meetsEffort(powHash(CHALLENGE, last.solution), 500)).toBe(true);
    // `tried` counts the solution itself: its low half is its index from the start.
    expect(last.tried).toBe(halves(last.solution).low + 1);
    const progress = steps.slice(0, -1);
    expect(progress).toEqual(progress.map((_, i) => ({ kind: 'progress', tried: (i + 1) * 10 })));
    expect(progress.length).toBe(Math.floor(halves(last.solution).low / 10));
  });

  it('draws a new high half when the low half wraps, and starts it again at 0', () => {
    // Precondition (checked, not assumed): the 25 values before the wrap under 0xa hold no solution;
    // under 0xb0b the first is at low half 706.
    const start = 0x1_0000_0000 - 25;
    expect(searchPow(CHALLENGE, 1000, 0xa, start, 25)).toBeNull();
    const expected = searchPow(CHALLENGE, 1000, 0xb0b, 0, 1_000_000);
    if (!expected) throw new Error('no solution under 0xb0b');

    const drawn: number[] = [];
    const randomHigh = () => {
      drawn.push(0xb0b);
      return 0xb0b;
    };
    const steps: PowSearchStep[] = [
      ...powSlices(CHALLENGE, 1000, { slice: 10, high: 0xa, start, randomHigh }),
    ];

    // The slice before the wrap is cut short (5), so no slice mixes two high halves.
    expect(steps.slice(0, 4)).toEqual([
      { kind: 'progress', tried: 10 },
      { kind: 'progress', tried: 20 },
      { kind: 'progress', tried: 25 },
      { kind: 'progress', tried: 35 },
    ]);
    expect(drawn).toEqual([0xb0b]);
    const last = steps.at(-1);
    if (last?.kind !== 'solved') throw new Error(`no solution: ${JSON.stringify(last)}`);
    expect(halves(last.solution)).toEqual({ high: 0xb0b, low: halves(expected).low });
    expect(last.tried).toBe(25 + halves(expected).low + 1);
  });

  it('draws its first high half when none is given', () => {
    const first = powSlices(CHALLENGE, 1, { slice: 10, randomHigh: () => 0x1234_5678 }).next();
    if (first.done || first.value.kind !== 'solved') throw new Error('effort 1 accepts the first try');
    // Effort 1 accepts any solution: the first one tried, the random high half ‖ 0.
    expect(halves(first.value.solution)).toEqual({ high: 0x1234_5678, low: 0 });
    expect(first.value.tried).toBe(1);
  });
});
