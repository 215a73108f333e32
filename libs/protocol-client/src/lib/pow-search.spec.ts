import { meetsEffort, POW_CHALLENGE_BYTES, powHash } from '@mpqcht/protocol/plain';

import { searchPow } from '../pow';

const CHALLENGE = Uint8Array.from({ length: POW_CHALLENGE_BYTES }, (_, i) => i);

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
