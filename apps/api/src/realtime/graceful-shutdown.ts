import { Injectable, Logger } from '@nestjs/common';

import { ProtocolError } from '../common/protocol-error';
import { PushService } from './push.service';

/** How long a shutdown waits for requests already being handled (a send's commit, say). */
const DRAIN_TIMEOUT_MS = 10_000;
/** How long the last writes (acks, `server.restarting`) may take before the server closes. */
const CLOSE_TIMEOUT_MS = 2_000;
/** What clients are told to wait before reconnecting: about what a restart takes. */
const RECONNECT_AFTER_MS = 1_000;

/**
 * SIGTERM drains instead of dropping work: from `shutdown()` on, new connections and new requests
 * are refused with `server_restarting` (clients retry them, sends with the same client id), the
 * requests already being handled finish and are answered, then every socket is told
 * `server.restarting` and its transport is closed so the client reconnects (to the next process).
 */
@Injectable()
export class GracefulShutdown {
  private readonly logger = new Logger('Shutdown');
  private draining = false;
  private inFlight = 0;
  private idle: (() => void) | null = null;

  constructor(private readonly push: PushService) {}

  get isDraining(): boolean {
    return this.draining;
  }

  /** Refusal for what arrives while draining. */
  refusal(): ProtocolError {
    return new ProtocolError('server_restarting', 'the server is restarting; reconnect and try again', {
      retryAfterMs: RECONNECT_AFTER_MS,
    });
  }

  /** A request starts being handled; throws `server_restarting` while draining. */
  enter(): void {
    if (this.draining) throw this.refusal();
    this.inFlight += 1;
  }

  leave(): void {
    this.inFlight -= 1;
    if (this.inFlight === 0) this.idle?.();
  }

  async shutdown(): Promise<void> {
    this.draining = true;
    const finished = await this.requestsFinished();
    if (!finished) this.logger.warn(`${this.inFlight} request(s) still running after ${DRAIN_TIMEOUT_MS} ms`);
    await this.push.closeAllForRestart(RECONNECT_AFTER_MS, CLOSE_TIMEOUT_MS);
  }

  private requestsFinished(): Promise<boolean> {
    if (this.inFlight === 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => {
        this.idle = null;
        resolve(false);
      }, DRAIN_TIMEOUT_MS);
      this.idle = () => {
        clearTimeout(timer);
        this.idle = null;
        resolve(true);
      };
    });
  }
}
