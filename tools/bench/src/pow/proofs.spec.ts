import { randomBytes } from 'node:crypto';

import { meetsEffort, POW_SIGNED_BYTES, powHash, writePowSignedPart } from '@mpqcht/protocol';

import { forgedMac, powSearch, solveSliced, wrongSolution } from './proofs';

/** A challenge in the server's format (its MAC random: these tests never check one). */
function challenge(effort: number): string {
  const signed = writePowSignedPart(effort, Math.floor(Date.now() / 1000) + 120, randomBytes(16));
  return Buffer.concat([signed, randomBytes(16)]).toString('hex');
}

function meets(proof: { challenge: string; solution: string }, effort: number): boolean {
  const hash = powHash(Buffer.from(proof.challenge, 'hex'), Buffer.from(proof.solution, 'hex'));
  return meetsEffort(hash, effort);
}

describe('pow proofs', () => {
  it('solves a challenge as the protocol library checks it', async () => {
    const hex = challenge(500);
    const { proof, tried } = await solveSliced(hex, 500);
    expect(proof?.challenge).toBe(hex);
    expect(proof?.solution).toMatch(/^[0-9a-f]{16}$/);
    expect(proof && meets(proof, 500)).toBe(true);
    expect(tried).toBeGreaterThan(0);
  });

  it('searches in slices and counts what it tried', () => {
    const search = powSearch(challenge(1_000_000_000), 1_000_000_000);
    expect(search.next(100)).toBeNull();
    expect(search.tried).toBe(100);
  });

  it('stops when told', async () => {
    const { proof } = await solveSliced(challenge(2 ** 31), 2 ** 31, () => false);
    expect(proof).toBeNull();
  });

  it('makes wrong solutions that miss the effort, different per seed', () => {
    const hex = challenge(10_000);
    const a = wrongSolution(hex, 10_000, 1);
    const b = wrongSolution(hex, 10_000, 2);
    expect(a && meets(a, 10_000)).toBe(false);
    expect(b && meets(b, 10_000)).toBe(false);
    expect(a?.solution).not.toBe(b?.solution);
    expect(wrongSolution(hex, 1, 1)).toBeNull();
  });

  it('forges the MAC only', () => {
    const hex = challenge(10_000);
    const forged = forgedMac(hex, 7);
    expect(forged).toHaveLength(hex.length);
    expect(forged.slice(0, POW_SIGNED_BYTES * 2)).toBe(hex.slice(0, POW_SIGNED_BYTES * 2));
    expect(forged.slice(POW_SIGNED_BYTES * 2)).not.toBe(hex.slice(POW_SIGNED_BYTES * 2));
    expect(forgedMac(hex, 8)).not.toBe(forged);
  });
});
