import { signal } from '@angular/core';

import type { ChallengeDto } from '@mpqcht/protocol';
import type { PowSolver } from '@mpqcht/protocol-client';

import type { ConnectionDeps } from './connection-deps';
import { loadLoginPass } from './login-pass.storage';
import { powPercent, type ProofOfWork } from './pow-progress';
import { type PowWorker, solveInWorker } from './pow-worker-solver';

/**
 * The challenges of one key's logins to one server: each shows this key's login pass when it has
 * a live one, and solves the proof-of-work a flooded server asks for anyway in a worker, whose
 * progress `proofOfWork` shows. One at a time: a newer request ends the one under way.
 */
export class LoginChallenges {
  /** The proof-of-work being solved (the server is under a flood); null otherwise. */
  readonly proofOfWork = signal<ProofOfWork | null>(null);
  private abort: AbortController | null = null;

  constructor(
    private readonly url: string,
    private readonly publicKey: string,
    private readonly deps: ConnectionDeps,
  ) {}

  async next(): Promise<ChallengeDto> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    const storage = this.deps.loginPasses;
    try {
      return await this.deps.http.challenge(this.url, {
        pass: storage ? loadLoginPass(storage, this.url, this.publicKey, this.deps.now()) : null,
        signal: abort.signal,
        ...(this.deps.powWorker ? { solvePow: this.workerSolver(this.deps.powWorker, abort.signal) } : {}),
      });
    } finally {
      // Not an older request's ending: the progress shown may be a newer one's.
      if (this.abort === abort) {
        this.abort = null;
        this.proofOfWork.set(null);
      }
    }
  }

  /** Ends the request under way and its proof-of-work (logout, server removed). */
  cancel(): void {
    this.abort?.abort();
    this.abort = null;
    this.proofOfWork.set(null);
  }

  private workerSolver(createWorker: () => Promise<PowWorker>, signal: AbortSignal): PowSolver {
    const show = (work: ProofOfWork) => {
      if (!signal.aborted) this.proofOfWork.set(work);
    };
    return async (challenge) => {
      show({ effort: challenge.effort, percent: 0 });
      return solveInWorker(
        createWorker,
        challenge,
        (progress) => show({ effort: progress.effort, percent: powPercent(progress) }),
        signal,
      );
    };
  }
}
