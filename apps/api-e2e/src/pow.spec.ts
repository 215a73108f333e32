import { createHash } from 'node:crypto';

import { signLoginChallenge } from '@mpqcht/identity';
import {
  type ChallengeDto,
  type Envelope,
  type ErrorCode,
  meetsEffort,
  type PowChallengeDto,
  type SessionDto,
} from '@mpqcht/protocol';
import { solvePow } from '@mpqcht/protocol-client';
import { type ApiProcess, defaultConfig, startApi } from '@mpqcht/test-harness';

import { connect, connectRefused, ok, type TestSocket } from './support/client';
import { newIdentity, type TestIdentity } from './support/identity';

/**
 * Proof-of-work in front of challenge issuance (docs/protocol.md, "Proof of work"), with small
 * efforts so the test solves in milliseconds: above 5 pass-less requests in a second the effort
 * starts at 64 and doubles each such second up to 1024; after 1 s averaging below 1 a second it
 * halves, to 0 below 64.
 */
const POW = `
[pow]
raise_above = 5
lower_below = 1
calm_seconds = 1
initial_effort = 64
max_effort = 1024
challenge_ttl_seconds = 10
`;

interface Answer<T> {
  readonly status: number;
  readonly body: Envelope<T>;
}

async function post(api: ApiProcess, body?: unknown): Promise<Answer<ChallengeDto>> {
  const response = await fetch(`${api.url}/api/auth/challenge`, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Envelope<ChallengeDto> };
}

async function published(api: ApiProcess): Promise<PowChallengeDto> {
  const response = await fetch(`${api.url}/api/auth/pow`);
  const body = (await response.json()) as Envelope<PowChallengeDto>;
  if (!body.ok) throw new Error(`GET /api/auth/pow: ${body.error.code}`);
  return body.data;
}

function refusal<T>(answer: Answer<T>): { code: ErrorCode; pow: PowChallengeDto } {
  if (answer.body.ok) throw new Error('expected a refusal, got a challenge');
  return {
    code: answer.body.error.code,
    pow: answer.body.error.details?.['pow'] as PowChallengeDto,
  };
}

function nonceOf(answer: Answer<ChallengeDto>): string {
  if (!answer.body.ok) throw new Error(`expected a challenge, got ${answer.body.error.code}`);
  return answer.body.data.nonce;
}

/** A solution that does NOT meet the challenge's effort (the first counter that misses). */
function wrongSolution(challenge: string, effort: number): string {
  const bytes = Buffer.from(challenge, 'hex');
  for (let i = 0; ; i++) {
    const solution = Buffer.alloc(8);
    solution.writeUInt32BE(i, 4);
    const hash = createHash('sha256').update(bytes).update(solution).digest();
    if (!meetsEffort(hash, effort)) return solution.toString('hex');
  }
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('proof-of-work', () => {
  let api: ApiProcess;
  let root: TestIdentity;
  let rootSocket: TestSocket;
  const sockets: TestSocket[] = [];

  beforeAll(async () => {
    root = await newIdentity();
    api = await startApi({ configToml: defaultConfig([root.publicKey.hex], POW) });
    rootSocket = await connect(api, root);
    sockets.push(rootSocket);
    await ok(rootSocket, 'member.join', { displayName: 'Root' });
  });

  afterAll(async () => {
    sockets.forEach((s) => s.close());
    await api.dispose();
  });

  async function login(identity: TestIdentity, nonceHex: string): Promise<TestSocket> {
    const auth = await signLoginChallenge({
      privateKey: identity.privateKey,
      publicKey: identity.publicKey,
      origin: api.origin,
      nonceHex,
    });
    const socket = await connect(api, identity, auth);
    sockets.push(socket);
    return socket;
  }

  /** Pass-less challenge requests, 40 a second (above raise_above), until the effort is at least `atLeast`. */
  async function flood(atLeast: number): Promise<PowChallengeDto> {
    return until(`effort ≥ ${atLeast}`, async () => {
      await Promise.all(Array.from({ length: 4 }, () => post(api)));
      const now = await published(api);
      return now.effort >= atLeast ? now : undefined;
    });
  }

  async function calm(): Promise<void> {
    await until('effort 0', async () => ((await published(api)).effort === 0 ? true : undefined));
  }

  it('asks nothing while calm: a member logs in with a plain challenge and no proof', async () => {
    await calm();
    expect((await published(api)).effort).toBe(0);
    const answer = await post(api);
    expect(answer.status).toBe(200);
    const socket = await login(root, nonceOf(answer));
    expect((await ok(socket, 'session.get', {})).publicKey).toBe(root.publicKey.hex);
  });

  it('raises the effort under a flood, refuses missing, wrong, forged, easier and replayed proofs, and falls after', async () => {
    await calm();
    const easy = await published(api); // effort 0: a challenge from before the flood
    expect(easy.effort).toBe(0);
    const raised = await flood(64);
    expect(raised.effort).toBeGreaterThanOrEqual(64);

    // Missing: pow_required, with a challenge at the current effort to solve.
    const missing = refusal(await post(api));
    expect(missing.code).toBe('pow_required');
    expect(missing.pow.algorithm).toBe('sha256-u32-v1');
    expect(missing.pow.effort).toBeGreaterThanOrEqual(64);
    expect(missing.pow.challenge).toMatch(/^[0-9a-f]{82}$/);

    // Wrong: a solution that misses the effort.
    const challenge = missing.pow;
    const wrong = await post(api, {
      pow: { challenge: challenge.challenge, solution: wrongSolution(challenge.challenge, challenge.effort) },
    });
    expect(wrong.status).toBe(403);
    expect(refusal(wrong).code).toBe('pow_invalid');

    // Forged: the effort byte lowered to 1 breaks the MAC, whatever the solution.
    const forgedChallenge = '0100000001' + challenge.challenge.slice(10);
    expect(
      refusal(await post(api, { pow: { challenge: forgedChallenge, solution: '00'.repeat(8) } })).code,
    ).toBe('pow_invalid');

    // Easier: a genuine challenge issued at effort 0, before the flood.
    const under = refusal(await post(api, { pow: await solvePow(easy) }));
    expect(under.code).toBe('pow_required');
    expect(under.pow.effort).toBeGreaterThan(0);

    // Valid: a nonce, which logs a member in; then the same proof again is replayed.
    const proof = await solvePow(challenge);
    const valid = await post(api, { pow: proof });
    expect(valid.status).toBe(200);
    const socket = await login(root, nonceOf(valid));
    expect((await ok(socket, 'session.get', {})).isRoot).toBe(true);
    const replayed = await post(api, { pow: proof });
    expect(refusal(replayed).code).toBe('pow_replayed');

    // The flood stops: the effort falls back to 0, and a plain request gets a nonce again.
    await calm();
    expect((await post(api)).status).toBe(200);
  });

  it('refuses a proof whose challenge expired', async () => {
    await calm();
    await flood(64);
    const challenge = refusal(await post(api)).pow;
    const proof = await solvePow(challenge);
    // challenge_ttl_seconds = 10: wait it out, keeping the effort up meanwhile.
    const expiresAt = Date.parse(challenge.expiresAt);
    await until('the challenge to expire', async () => {
      await Promise.all(Array.from({ length: 8 }, () => post(api)));
      return Date.now() > expiresAt + 200 ? true : undefined;
    });
    const expired = refusal(await post(api, { pow: proof }));
    expect(expired.code).toBe('pow_expired');
    expect(expired.pow.effort).toBeGreaterThan(0);
  }, 40_000);

  it('lets a login pass through without a proof, for its own key only, and ignores a forged pass', async () => {
    await calm();
    const member = await newIdentity();
    await ok(rootSocket, 'members.authorize', { publicKey: member.publicKey.hex, roles: [] });
    const first = await login(member, nonceOf(await post(api)));
    const session: SessionDto = await ok(first, 'session.get', {});
    expect(session.loginPass.pass).toMatch(/^[0-9a-f]{108}$/);
    expect(Date.parse(session.loginPass.expiresAt)).toBeGreaterThan(Date.now() + 29 * 24 * 3600 * 1000);

    await flood(64);
    const withPass = await post(api, { pass: session.loginPass.pass });
    expect(withPass.status).toBe(200);
    const again = await login(member, nonceOf(withPass));
    expect((await ok(again, 'session.get', {})).publicKey).toBe(member.publicKey.hex);

    // The pass's nonce is bound to the member's key: another key is refused with it, and it is used up.
    const bound = nonceOf(await post(api, { pass: session.loginPass.pass }));
    const other = await newIdentity();
    const refused = await connectRefused(
      api,
      await signLoginChallenge({
        privateKey: other.privateKey,
        publicKey: other.publicKey,
        origin: api.origin,
        nonceHex: bound,
      }),
    );
    expect(refused.data?.code).toBe('challenge_unknown');
    const reused = await connectRefused(
      api,
      await signLoginChallenge({
        privateKey: member.privateKey,
        publicKey: member.publicKey,
        origin: api.origin,
        nonceHex: bound,
      }),
    );
    expect(reused.data?.code).toBe('challenge_unknown');

    // A pass with one byte of its MAC changed counts as none: a proof is asked.
    const pass = session.loginPass.pass;
    const forged = pass.slice(0, -2) + (pass.endsWith('00') ? '01' : '00');
    expect(refusal(await post(api, { pass: forged })).code).toBe('pow_required');
  });

  it('lets a new key redeem an invite with a nonce it paid for while the effort is up', async () => {
    await calm();
    const invite = await ok(rootSocket, 'invites.create', { maxUses: 1 });
    const newcomer = await newIdentity();
    const pow = await flood(64);
    const answer = await post(api, { pow: await solvePow(refusal(await post(api)).pow) });
    expect(pow.effort).toBeGreaterThan(0);
    const auth = await signLoginChallenge({
      privateKey: newcomer.privateKey,
      publicKey: newcomer.publicKey,
      origin: api.origin,
      nonceHex: nonceOf(answer),
    });
    const socket = await connect(api, newcomer, { ...auth, invite: invite.code });
    sockets.push(socket);
    expect((await ok(socket, 'session.get', {})).publicKey).toBe(newcomer.publicKey.hex);
  });

  it('refuses a malformed proof or pass with validation_failed', async () => {
    for (const body of [
      { pow: { challenge: 'zz', solution: '00' } },
      { pow: { challenge: '00'.repeat(41) } },
      { pow: { challenge: '00'.repeat(42), solution: '00'.repeat(8) } },
      { pass: 'ab'.repeat(55) },
      { pass: 'ab', extra: true },
    ]) {
      const answer = await post(api, body);
      expect(answer.status).toBe(400);
      expect(refusal(answer).code).toBe('validation_failed');
    }
  });
});
