import { Injectable } from '@nestjs/common';

import { buildLoginBytes, hexToBytes, NONCE_BYTES, SIGNATURE_BYTES } from '@mpqcht/identity';
import { inviteCode, LoginAuth } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { parseWireKey } from '../common/public-keys';
import { AppConfig } from '../config/app-config';
import { InvitesService } from '../invites/invites.service';
import { MembersService } from '../members/members.service';
import type { SocketSession } from '../realtime/socket-session';
import { ChallengeStore } from './challenge-store';
import { SignatureVerifier } from './signature-verifier';

/** `banned`, with the ban's reason: the person sees why, on every attempt (docs/protocol.md). */
function bannedRefusal(publicKey: string, reason: string): ProtocolError {
  return new ProtocolError('banned', 'this key is banned from this server', { publicKey, reason });
}

/**
 * Checks a login proof (DESIGN.md section 3) and says who logged in. The order matters: the nonce is
 * consumed as soon as it can be read, before the key and signature are checked, so every attempt
 * that names a nonce, good or bad, uses it up.
 */
@Injectable()
export class LoginService {
  constructor(
    private readonly config: AppConfig,
    private readonly challenges: ChallengeStore,
    private readonly verifier: SignatureVerifier,
    private readonly members: MembersService,
    private readonly invites: InvitesService,
  ) {}

  async login(auth: unknown): Promise<SocketSession> {
    const proof = LoginAuth.safeParse(auth);
    if (!proof.success) {
      throw new ProtocolError(
        'auth_malformed',
        'the handshake auth must be { publicKey, nonce, signature } (hex strings) and optionally { invite }',
      );
    }
    const nonce = hexToBytes(proof.data.nonce);
    if (!nonce || nonce.length !== NONCE_BYTES) {
      throw new ProtocolError('auth_malformed', `nonce must be ${NONCE_BYTES} bytes in hex`);
    }
    // Parsed first so that the statement consuming the nonce also reads the key's standing; a
    // malformed key still uses the nonce up, and is refused after the nonce's own checks.
    const key = parseWireKey(proof.data.publicKey);
    // From here on, every refusal has used the nonce up.
    const challenge = await this.challenges.consume(nonce, key.ok ? key.key.hex : null);
    if (challenge.state === 'unknown') {
      throw new ProtocolError(
        'challenge_unknown',
        'this nonce was not issued here or was already used; ask for a new one',
      );
    }
    if (challenge.state === 'expired') {
      throw new ProtocolError('challenge_expired', 'this nonce has expired; ask for a new one');
    }
    if (!key.ok) {
      throw new ProtocolError(
        'invalid_public_key',
        'publicKey must be a valid P-256 point, 33-byte compressed SEC1 in hex',
        { reason: key.error },
      );
    }
    if (challenge.boundKey !== null && challenge.boundKey !== key.key.hex) {
      // Issued to another key's login pass, without proof-of-work: it logs in that key only.
      throw new ProtocolError(
        'challenge_unknown',
        'this nonce was issued to another key’s login pass; ask for a new one',
      );
    }
    const signature = hexToBytes(proof.data.signature);
    if (!signature || signature.length !== SIGNATURE_BYTES) {
      throw new ProtocolError(
        'signature_malformed',
        `signature must be ${SIGNATURE_BYTES} bytes (r||s) in hex`,
      );
    }
    const bytes = buildLoginBytes({ origin: this.config.env.publicOrigin, nonce, publicKey: key.key });
    if (!this.verifier.verify(key.key, bytes, signature)) {
      throw new ProtocolError(
        'signature_invalid',
        'the signature does not verify for this key, nonce and origin',
        {
          origin: this.config.env.publicOrigin,
        },
      );
    }
    // A banned key is refused before admission (a root key from config.toml is never banned).
    const standing = this.members.standingOf(key.key.hex, challenge.standing);
    if (standing.banReason !== null) throw bannedRefusal(key.key.hex, standing.banReason);
    let admission = standing.admission;
    if (!admission && proof.data.invite !== undefined) {
      // A key that is not admitted may redeem an invite now (docs/protocol.md, Invites).
      admission = await this.redeem(key.key.hex, proof.data.invite);
    }
    if (!admission) {
      throw new ProtocolError(
        'not_a_member',
        'this key is not a member here; send your public key to an admin',
        {
          publicKey: key.key.hex,
        },
      );
    }
    return { publicKey: key.key.hex, isRoot: admission.isRoot, member: admission.member };
  }

  /** Redeems `code` for a key that is not admitted; refuses with `invite_invalid` (or `banned`). */
  private async redeem(publicKey: string, code: string) {
    const redeemed = inviteCode.safeParse(code).success ? await this.invites.redeem(publicKey, code) : null;
    if (!redeemed) {
      // Banned or authorized between the checks above and the redemption.
      const standing = await this.members.standing(publicKey);
      if (standing.banReason !== null) throw bannedRefusal(publicKey, standing.banReason);
      if (standing.admission) return standing.admission;
      throw new ProtocolError(
        'invite_invalid',
        'this invite code is unknown, expired, revoked or used up; ask for a new one',
        { publicKey },
      );
    }
    return (await this.members.standing(publicKey)).admission;
  }
}
