import { createHash } from 'node:crypto';

import { meetsEffort, powHash, powTarget, readPowChallenge, writePowSignedPart } from './pow';

function hashWithPrefix(prefix: number): Uint8Array {
  const hash = new Uint8Array(32).fill(0xff);
  new DataView(hash.buffer).setUint32(0, prefix);
  return hash;
}

describe('proof-of-work format', () => {
  it('counts a hash when R × effort ≤ 2³² − 1, exactly at the boundary', () => {
    // effort 3: 0xffffffff / 3 = 0x55555555 exactly.
    expect(powTarget(3)).toBe(0x5555_5555);
    expect(meetsEffort(hashWithPrefix(0x5555_5555), 3)).toBe(true);
    expect(meetsEffort(hashWithPrefix(0x5555_5556), 3)).toBe(false);
    // effort 2: 0x7fffffff × 2 = 0xfffffffe ≤ max; 0x80000000 × 2 overflows.
    expect(meetsEffort(hashWithPrefix(0x7fff_ffff), 2)).toBe(true);
    expect(meetsEffort(hashWithPrefix(0x8000_0000), 2)).toBe(false);
    // effort 0 and 1 accept anything; the largest effort only R = 0 and 1.
    expect(meetsEffort(hashWithPrefix(0xffff_ffff), 0)).toBe(true);
    expect(meetsEffort(hashWithPrefix(0xffff_ffff), 1)).toBe(true);
    expect(meetsEffort(hashWithPrefix(1), 0xffff_ffff)).toBe(true);
    expect(meetsEffort(hashWithPrefix(2), 0xffff_ffff)).toBe(false);
  });

  it('hashes challenge ‖ solution with SHA-256, as node:crypto does', () => {
    const challenge = new Uint8Array(41).map((_, i) => i * 7);
    const solution = new Uint8Array(8).map((_, i) => 255 - i);
    const expected = createHash('sha256').update(challenge).update(solution).digest();
    expect(Buffer.from(powHash(challenge, solution))).toEqual(expected);
  });

  it('reads back what it writes, and nothing that is not 41 bytes of version 1', () => {
    const id = new Uint8Array(16).fill(9);
    const signed = writePowSignedPart(123_456, 1_900_000_000, id);
    const challenge = new Uint8Array(41);
    challenge.set(signed);
    challenge.fill(5, 25);
    const fields = readPowChallenge(challenge);
    expect(fields?.effort).toBe(123_456);
    expect(fields?.expiresAt).toBe(1_900_000_000);
    expect([...(fields?.id ?? [])]).toEqual([...id]);
    expect([...(fields?.mac ?? [])]).toEqual(new Array(16).fill(5));
    expect(readPowChallenge(challenge.subarray(0, 40))).toBeNull();
    const v2 = challenge.slice();
    v2[0] = 2;
    expect(readPowChallenge(v2)).toBeNull();
  });
});
