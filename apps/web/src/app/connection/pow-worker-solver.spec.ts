import type { PowChallengeDto } from '@mpqcht/protocol';
import { PowAborted, type PowProgress } from '@mpqcht/protocol-client';

import { FakePowWorkers } from '../testing/fake-pow-worker';
import { solveInWorker } from './pow-worker-solver';

const POW: PowChallengeDto = {
  algorithm: 'sha256-u32-v1',
  effort: 400_000,
  challenge: '01'.repeat(41),
  expiresAt: '2026-01-01T00:02:00.000Z',
};

/** The newest worker, once it was asked to solve (and so is listened to). */
async function asked(workers: FakePowWorkers, count = 1) {
  const ready = () => workers.started.length >= count && workers.last.requests.length > 0;
  for (let i = 0; i < 20 && !ready(); i++) await Promise.resolve();
  if (!ready()) throw new Error('no worker was asked to solve');
  return workers.last;
}

describe('solveInWorker', () => {
  it('asks the worker with a random high half, relays its progress, resolves with its solution and ends it', async () => {
    const workers = new FakePowWorkers();
    const progress: PowProgress[] = [];
    const proof = solveInWorker(workers.create, POW, (p) => progress.push(p), new AbortController().signal);
    const worker = await asked(workers);

    expect(worker.requests).toEqual([
      { challenge: new Uint8Array(41).fill(1), effort: 400_000, high: expect.any(Number) as number },
    ]);
    worker.reply({ kind: 'progress', tried: 20_000 });
    worker.reply({ kind: 'progress', tried: 40_000 });
    expect(worker.terminated).toBe(false);
    worker.reply({ kind: 'solved', solution: Uint8Array.of(0, 0, 0, 0, 0xde, 0xad, 0xbe, 0xef) });

    await expect(proof).resolves.toEqual({ challenge: POW.challenge, solution: '00000000deadbeef' });
    expect(progress).toEqual([
      { tried: 20_000, effort: 400_000 },
      { tried: 40_000, effort: 400_000 },
    ]);
    expect(worker.terminated).toBe(true);
  });

  it('terminates the worker and rejects with PowAborted when the attempt is given up', async () => {
    const workers = new FakePowWorkers();
    const abort = new AbortController();
    const proof = solveInWorker(workers.create, POW, () => undefined, abort.signal);
    const worker = await asked(workers);

    abort.abort();

    await expect(proof).rejects.toBeInstanceOf(PowAborted);
    expect(worker.terminated).toBe(true);
    // What a terminated worker might still have queued is not heard.
    expect(worker.onmessage).toBeNull();
  });

  it('starts no worker when already aborted', async () => {
    const workers = new FakePowWorkers();
    const abort = new AbortController();
    abort.abort();
    await expect(solveInWorker(workers.create, POW, () => undefined, abort.signal)).rejects.toBeInstanceOf(
      PowAborted,
    );
    expect(workers.started).toHaveLength(0);
  });

  it('starts no worker for a challenge that is not hex', async () => {
    const workers = new FakePowWorkers();
    const malformed = { ...POW, challenge: 'not hex' };
    await expect(
      solveInWorker(workers.create, malformed, () => undefined, new AbortController().signal),
    ).rejects.toThrow('malformed');
    expect(workers.started).toHaveLength(0);
  });

  it('rejects and ends the worker when it fails or cannot solve', async () => {
    const workers = new FakePowWorkers();
    const crashed = solveInWorker(workers.create, POW, () => undefined, new AbortController().signal);
    (await asked(workers)).fail('script error');
    await expect(crashed).rejects.toThrow('script error');
    expect(workers.last.terminated).toBe(true);

    const refused = solveInWorker(workers.create, POW, () => undefined, new AbortController().signal);
    (await asked(workers, 2)).reply({ kind: 'failed', message: 'malformed challenge' });
    await expect(refused).rejects.toThrow('malformed challenge');
    expect(workers.last.terminated).toBe(true);
  });
});
