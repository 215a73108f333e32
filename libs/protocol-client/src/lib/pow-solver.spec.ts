import { bytesToHex, hexToBytes } from '@mpqcht/identity';
import { meetsEffort, type PowChallengeDto, powHash } from '@mpqcht/protocol';

import { fetchChallenge, type FetchLike } from './challenge';
import { PowAborted, type PowProgress, solvePow } from './pow-solver';

const URL = 'https://chat.example.org';
const CHALLENGE = { nonce: 'ab'.repeat(32), expiresAt: '2030-01-01T00:00:00.000Z', origin: URL };

function powChallenge(effort: number, seed = 1): PowChallengeDto {
  const bytes = new Uint8Array(41).map((_, i) => (i * 31 + seed) & 0xff);
  bytes[0] = 1;
  // The solver reads the effort the server signed into bytes 1-4, as the server checks it.
  new DataView(bytes.buffer).setUint32(1, Math.min(effort, 0xffff_ffff));
  return {
    algorithm: 'sha256-u32-v1',
    effort,
    challenge: bytesToHex(bytes),
    expiresAt: '2030-01-01T00:00:00.000Z',
  };
}

function powRefusal(code: string, pow: PowChallengeDto) {
  return { ok: false, error: { code, message: code, details: { pow } } };
}

describe('solvePow', () => {
  it('finds a solution that meets the effort, reporting progress along the way', async () => {
    const progress: PowProgress[] = [];
    const dto = powChallenge(5000);
    const proof = await solvePow(dto, { slice: 500, onProgress: (p) => progress.push(p) });
    expect(proof.challenge).toBe(dto.challenge);
    expect(proof.solution).toMatch(/^[0-9a-f]{16}$/);
    const hash = powHash(
      hexToBytes(dto.challenge) ?? new Uint8Array(),
      hexToBytes(proof.solution) ?? new Uint8Array(),
    );
    expect(meetsEffort(hash, 5000)).toBe(true);
    expect(progress.at(-1)).toEqual({ tried: 5000, effort: 5000 });
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(solvePow(powChallenge(1e9), { signal: controller.signal })).rejects.toBeInstanceOf(
      PowAborted,
    );
  });
});

describe('fetchChallenge with proof-of-work', () => {
  it('solves the challenge of a pow_required refusal and sends the proof back', async () => {
    const bodies: unknown[] = [];
    const pow = powChallenge(64);
    const answers = [
      new Response(JSON.stringify(powRefusal('pow_required', pow)), { status: 403 }),
      new Response(JSON.stringify({ ok: true, data: CHALLENGE }), { status: 200 }),
    ];
    const fetchImpl: FetchLike = (_url, init) => {
      bodies.push(init.body === undefined ? undefined : JSON.parse(init.body as string));
      const next = answers.shift();
      return next ? Promise.resolve(next) : Promise.reject(new Error('one request too many'));
    };
    await expect(fetchChallenge(URL, { fetchImpl })).resolves.toEqual(CHALLENGE);
    expect(bodies[0]).toBeUndefined();
    expect(bodies[1]).toMatchObject({ pow: { challenge: pow.challenge } });
  });

  it('sends a login pass when it has one, and uses the caller’s solver', async () => {
    const bodies: unknown[] = [];
    const solved: PowChallengeDto[] = [];
    const answers = [
      new Response(JSON.stringify(powRefusal('pow_replayed', powChallenge(8))), { status: 403 }),
      new Response(JSON.stringify({ ok: true, data: CHALLENGE }), { status: 200 }),
    ];
    const fetchImpl: FetchLike = (_url, init) => {
      bodies.push(JSON.parse(init.body as string));
      return Promise.resolve(answers.shift() as Response);
    };
    const solvePowWith = (challenge: PowChallengeDto) => {
      solved.push(challenge);
      return Promise.resolve({ challenge: challenge.challenge, solution: '00'.repeat(8) });
    };
    await fetchChallenge(URL, { fetchImpl, pass: 'cd'.repeat(54), solvePow: solvePowWith });
    expect(bodies[0]).toEqual({ pass: 'cd'.repeat(54) });
    expect(bodies[1]).toEqual({ pow: { challenge: powChallenge(8).challenge, solution: '00'.repeat(8) } });
    expect(solved).toHaveLength(1);
  });

  it('gives up after three rounds of refusals, with the last refusal', async () => {
    let calls = 0;
    const fetchImpl: FetchLike = () => {
      calls++;
      return Promise.resolve(
        new Response(JSON.stringify(powRefusal('pow_required', powChallenge(4))), { status: 403 }),
      );
    };
    await expect(fetchChallenge(URL, { fetchImpl })).rejects.toMatchObject({ code: 'pow_required' });
    expect(calls).toBe(4);
  });
});
