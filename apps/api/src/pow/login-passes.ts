import { createHmac, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';

import { type LoginPassDto } from '@mpqcht/protocol';

import { ServerSecret } from './server-secret';

const VERSION = 1;
const KEY_BYTES = 33;
const MAC_BYTES = 16;
/** version (1) ‖ compressed key (33) ‖ expiry (u32 BE, Unix seconds) ‖ MAC (16). */
const PASS_BYTES = 1 + KEY_BYTES + 4 + MAC_BYTES;
const SIGNED_BYTES = PASS_BYTES - MAC_BYTES;
export const LOGIN_PASS_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/**
 * Login passes (docs/protocol.md, "Proof of work"): a key that logged in gets one with every
 * `session.get`, and shows it when it asks for its next challenge, so a member coming back (after a
 * restart of the server, a network blip) never solves a proof-of-work, even during a flood. A pass
 * only skips the proof: the nonce it gets is bound to its key, and the login still needs the
 * key's signature and admission.
 */
@Injectable()
export class LoginPasses {
  constructor(private readonly secret: ServerSecret) {}

  async issue(publicKeyHex: string): Promise<LoginPassDto> {
    const keys = await this.secret.load();
    const expiresAt = Math.floor((Date.now() + LOGIN_PASS_TTL_MS) / 1000);
    const signed = Buffer.alloc(SIGNED_BYTES);
    signed[0] = VERSION;
    Buffer.from(publicKeyHex, 'hex').copy(signed, 1);
    signed.writeUInt32BE(expiresAt, 1 + KEY_BYTES);
    const mac = createHmac('sha256', keys.loginPass).update(signed).digest().subarray(0, MAC_BYTES);
    return {
      pass: Buffer.concat([signed, mac]).toString('hex'),
      expiresAt: new Date(expiresAt * 1000).toISOString(),
    };
  }

  /** The key a pass was issued to, if this server signed it and it has not expired; null otherwise. */
  async holder(passHex: string, now = Date.now()): Promise<string | null> {
    const pass = Buffer.from(passHex, 'hex');
    if (pass.length !== PASS_BYTES || pass[0] !== VERSION) return null;
    const keys = this.secret.keys ?? (await this.secret.load());
    const mac = createHmac('sha256', keys.loginPass)
      .update(pass.subarray(0, SIGNED_BYTES))
      .digest()
      .subarray(0, MAC_BYTES);
    if (!timingSafeEqual(mac, pass.subarray(SIGNED_BYTES))) return null;
    if (pass.readUInt32BE(1 + KEY_BYTES) * 1000 <= now) return null;
    return pass.toString('hex', 1, 1 + KEY_BYTES);
  }
}
