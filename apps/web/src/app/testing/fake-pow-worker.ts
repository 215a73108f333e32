import type { PowWorkerReply, PowWorkerRequest } from '../connection/pow-worker-messages';
import type { PowWorker } from '../connection/pow-worker-solver';

/** A proof-of-work worker the test answers for: what it was asked, and whether it was terminated. */
export class FakePowWorker implements PowWorker {
  onmessage: ((event: MessageEvent<PowWorkerReply>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  readonly requests: PowWorkerRequest[] = [];
  terminated = false;

  postMessage(request: PowWorkerRequest): void {
    this.requests.push(request);
  }

  terminate(): void {
    this.terminated = true;
  }

  reply(data: PowWorkerReply): void {
    this.onmessage?.({ data } as MessageEvent<PowWorkerReply>);
  }

  fail(message: string): void {
    this.onerror?.({ message } as ErrorEvent);
  }
}

/** Hands out fake workers and keeps them, for `ConnectionDeps.powWorker`. */
export class FakePowWorkers {
  readonly started: FakePowWorker[] = [];
  readonly create = (): Promise<PowWorker> => {
    const worker = new FakePowWorker();
    this.started.push(worker);
    return Promise.resolve(worker);
  };

  get last(): FakePowWorker {
    const worker = this.started.at(-1);
    if (!worker) throw new Error('no proof-of-work worker was started');
    return worker;
  }
}
