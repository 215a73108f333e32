import { Injectable, Logger } from '@nestjs/common';

import { LoginService } from '../auth/login.service';
import { ProtocolError } from '../common/protocol-error';
import { AppConfig } from '../config/app-config';
import { DatabaseAvailability } from '../database/database-availability';
import { FloodCooldown } from '../rate-limit/flood-cooldown';
import { KeyConnections } from '../rate-limit/key-connections';
import { LoginRateLimiter } from '../rate-limit/login-rate-limiter';
import { RequestGate } from '../rate-limit/request-gate';
import { GracefulShutdown } from '../realtime/graceful-shutdown';
import type { MpqchtSocket } from '../realtime/socket-session';

/** Socket.IO's middleware callback: no argument lets the socket connect, an error refuses it. */
export type HandshakeNext = (error?: Error) => void;

/**
 * Decides whether a socket may connect, before any handler can run: not while the server drains,
 * only with a valid login proof (within the per-IP failed-login limit), not for a key in its flood
 * cooldown or already at `connections_per_key`. A refused socket gets `connect_error` with the
 * code in `data`; an admitted one carries its session and draws every event from its key's budget.
 */
@Injectable()
export class HandshakeService {
  private readonly logger = new Logger('Session');

  constructor(
    private readonly login: LoginService,
    private readonly loginLimits: LoginRateLimiter,
    private readonly shutdown: GracefulShutdown,
    private readonly config: AppConfig,
    private readonly connections: KeyConnections,
    private readonly gate: RequestGate,
    private readonly cooldown: FloodCooldown,
    private readonly database: DatabaseAvailability,
  ) {}

  admit(socket: MpqchtSocket, next: HandshakeNext): void {
    if (this.shutdown.isDraining) {
      next(refusalError(this.shutdown.refusal(), 'the server is restarting'));
      return;
    }
    const refuse = (error: unknown) => {
      next(refusalError(this.refusalFor(error)));
    };
    // Per-IP failed-login limit: checked before the proof is read (docs/protocol.md).
    const attempt = () => this.login.login(socket.handshake.auth);
    this.loginLimits.guard(socket.handshake.address, attempt).then((session) => {
      try {
        this.cooldown.check(session.publicKey, Date.now());
        this.connections.admit(socket, session.publicKey, this.config.current.connectionsPerKey);
      } catch (error) {
        refuse(error);
        return;
      }
      socket.data.session = session;
      forgetUpgradeRequest(socket);
      // Before the socket can send anything: every event draws from the key's budget.
      this.gate.attach(socket);
      next();
    }, refuse);
  }

  private refusalFor(error: unknown): ProtocolError {
    if (error instanceof ProtocolError) return error;
    const refusal =
      this.database.refusalFor(error, 'handshake') ??
      new ProtocolError('internal_error', 'login failed on the server');
    if (refusal.code === 'internal_error')
      this.logger.error(error instanceof Error ? error.stack : String(error));
    return refusal;
  }
}

/** What Socket.IO sends the client as `connect_error`: a message, and the error body as `data`. */
function refusalError(refusal: ProtocolError, message = refusal.message): Error {
  const error = new Error(message) as Error & { data: unknown };
  error.data = refusal.toBody();
  return error;
}

/**
 * Nothing reads the upgrade request, its headers or the login proof after admission, but Socket.IO
 * keeps them for the connection's life: about 2 KB per socket (a heap snapshot at 5,000
 * connections), and the proof has no business staying in memory. The address stays.
 */
function forgetUpgradeRequest(socket: MpqchtSocket): void {
  socket.handshake.auth = {};
  socket.handshake.headers = {};
  (socket.conn as { request: unknown }).request = null;
}
