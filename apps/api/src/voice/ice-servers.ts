import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';

import type { IceServerDto, IceServersDto } from '@mpqcht/protocol';
import { turnCredentials } from '@mpqcht/turn';

import { AppConfig } from '../config/app-config';

/**
 * The ICE servers a member's voice client uses, from TURN_URLS and TURN_SECRET (config/env.ts):
 * the `stun:` URLs as they are, then one entry with every `turn:`/`turns:` URL and credentials made
 * for this member now (coturn's REST form, `@mpqcht/turn`), so a leaked credential names its member
 * and dies after TURN_TTL_SECONDS. Nothing is stored: coturn checks the HMAC with the same secret.
 *
 * Without TURN the list holds the STUN URLs only (possibly none: host candidates, enough on one
 * LAN); `turnEnabled` says which, for the voice module and `/api/health` alike.
 */
@Injectable()
export class IceServers implements OnModuleInit {
  private readonly logger = new Logger('Voice');

  constructor(private readonly config: AppConfig) {}

  get turnEnabled(): boolean {
    return this.config.env.turn !== undefined;
  }

  /**
   * Fresh for every call: ask on every join, never cache one member's answer for another.
   * `memberId` (the member's public key) must not contain `:`.
   */
  iceServersFor(memberId: string, now: Date = new Date()): IceServersDto {
    const { stunUrls, turn } = this.config.env;
    const iceServers: IceServerDto[] = stunUrls.length > 0 ? [{ urls: [...stunUrls] }] : [];
    if (!turn) return { iceServers, expiresAt: null };
    const { username, credential, expiresAt } = turnCredentials({
      secret: turn.secret,
      memberId,
      ttlSeconds: turn.ttlSeconds,
      now,
    });
    iceServers.push({ urls: [...turn.urls], username, credential });
    return { iceServers, expiresAt: expiresAt.toISOString() };
  }

  /** One line at start that says what voice clients will get; URLs are public, the secret is not. */
  onModuleInit(): void {
    const { stunUrls, turn } = this.config.env;
    if (turn) {
      const hours = Math.round((turn.ttlSeconds / 3600) * 10) / 10;
      this.logger.log(`TURN on: ${turn.urls.join(', ')} (credentials valid ${hours} h)`);
    } else if (stunUrls.length > 0) {
      this.logger.log(
        `TURN off, STUN only (${stunUrls.join(', ')}): members behind symmetric NATs or strict firewalls cannot connect to voice`,
      );
    } else {
      this.logger.log(
        'TURN off, no STUN either (TURN_URLS unset): voice connects members on one network only',
      );
    }
  }
}
