import type { PowChallengeDto } from '@mpqcht/protocol';

import { FakePowWorkers } from '../testing/fake-pow-worker';
import { answerLogin, harness, member, OTHER_KEY, settle, until, URL_A } from '../testing/fixtures';
import { loadLoginPass, saveLoginPass } from './login-pass.storage';

const POW: PowChallengeDto = {
  algorithm: 'sha256-u32-v1',
  effort: 400_000,
  challenge: '01'.repeat(41),
  expiresAt: '2026-01-01T00:02:00.000Z',
};
const LIVE_PASS = { pass: 'cd'.repeat(54), expiresAt: '2026-02-01T00:00:00.000Z' };

/** Waits on real time too: signing the login is WebCrypto's work, off the microtask queue. */
async function eventually(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  if (!condition()) throw new Error(`still waiting for ${what}`);
}

async function flooded() {
  const workers = new FakePowWorkers();
  const h = await harness(URL_A, { powWorker: workers.create, loginPasses: localStorage });
  h.http.powChallenge = POW;
  return { ...h, workers };
}

describe('ServerSession and proof-of-work', () => {
  beforeEach(() => localStorage.clear());

  it('solves a flooded server’s proof in a worker, shows how far it got, and clears that once the challenge came', async () => {
    const { session, factory, http, workers } = await flooded();
    await session.connect();
    let auth: object | null = null;
    void factory.last.requestAuth().then((sent) => (auth = sent));
    await until(() => workers.started.length === 1 && workers.last.requests.length === 1, 'the worker');

    expect(session.proofOfWork()).toEqual({ effort: 400_000, percent: 0 });
    workers.last.reply({ kind: 'progress', tried: 168_000 });
    expect(session.proofOfWork()).toEqual({ effort: 400_000, percent: 42 });
    workers.last.reply({ kind: 'solved', solution: Uint8Array.of(0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef) });
    await eventually(() => auth !== null, 'the handshake auth');

    expect(http.proofs).toEqual([{ challenge: POW.challenge, solution: '00000000deadbeef' }]);
    expect(session.proofOfWork()).toBeNull();
    expect(workers.last.terminated).toBe(true);
  });

  it('solves the proof before it opens the transport, which the server would close after 45 s without a login', async () => {
    const { session, factory, http, workers } = await flooded();
    await session.connect();
    await until(() => workers.started.length === 1 && workers.last.requests.length === 1, 'the worker');
    await settle();
    expect(factory.last.connectCalls).toBe(0);

    workers.last.reply({ kind: 'solved', solution: Uint8Array.of(0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef) });
    await eventually(() => factory.last.connectCalls === 1, 'the transport to open');
    // The handshake signs the challenge the proof bought: no second one, no second proof.
    expect(await factory.last.requestAuth()).toMatchObject({ nonce: http.challenges[0]?.nonce });
    expect(http.challenges).toHaveLength(1);
    expect(workers.started).toHaveLength(1);
  });

  it('keeps the pass session.get gave this key and sends it with the next challenge: no proof then', async () => {
    const { session, factory, http, workers, identity, clock } = await flooded();
    const key = identity.publicKey.hex;
    // The first login has no pass yet: it proves work.
    await session.connect();
    void factory.last.requestAuth();
    await until(() => workers.started.length === 1 && workers.last.requests.length === 1, 'the worker');
    workers.last.reply({ kind: 'solved', solution: Uint8Array.of(0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef) });
    await until(() => http.challenges.length === 1, 'the challenge');
    answerLogin(factory.last, member(key, 'Me'));
    factory.last.serverConnect();
    await until(() => session.status().kind === 'online', 'online');
    expect(loadLoginPass(localStorage, URL_A, key, clock.now)).toBe('ab'.repeat(54));

    // The connection drops; the next handshake shows the pass.
    void factory.last.requestAuth();
    await until(() => http.challenges.length === 2, 'the second challenge');
    expect(http.challengeOptions.map((o) => o.pass ?? null)).toEqual([null, 'ab'.repeat(54)]);
    expect(workers.started).toHaveLength(1);
  });

  it('never sends another key’s pass, nor an expired one', async () => {
    const { session, factory, http, identity, clock, workers } = await flooded();
    http.powChallenge = null;
    saveLoginPass(localStorage, URL_A, OTHER_KEY, LIVE_PASS, clock.now);
    saveLoginPass(
      localStorage,
      URL_A,
      identity.publicKey.hex,
      { pass: 'ef'.repeat(54), expiresAt: new Date(clock.now + 1000).toISOString() },
      clock.now,
    );
    clock.now += 1000;
    await session.connect();
    void factory.last.requestAuth();
    await until(() => http.challenges.length === 1, 'the challenge');

    expect(http.challengeOptions[0]?.pass).toBeNull();
    expect(workers.started).toHaveLength(0);
  });

  it('ends the worker and sends no auth when the server is closed (removed, logged out) while it solves', async () => {
    const { session, factory, http, workers } = await flooded();
    await session.connect();
    let auth: object | null = null;
    void factory.last.requestAuth().then((sent) => (auth = sent));
    await until(() => workers.started.length === 1 && workers.last.requests.length === 1, 'the worker');
    expect(http.challengeOptions[0]?.signal?.aborted).toBe(false);

    session.close();
    await settle();

    expect(workers.last.terminated).toBe(true);
    expect(http.challengeOptions[0]?.signal?.aborted).toBe(true);
    expect(session.proofOfWork()).toBeNull();
    expect(session.status()).toEqual({ kind: 'closed' });
    expect(auth).toBeNull();
  });
});
