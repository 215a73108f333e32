import { createHmac } from 'node:crypto';

export interface TurnCredentialsInput {
  /** coturn's `static-auth-secret` (TURN_SECRET). */
  readonly secret: string;
  /** Whose credentials these are; coturn logs it and counts `user-quota` by the whole username. */
  readonly memberId: string;
  /** How long the credentials are valid from `now`. */
  readonly ttlSeconds: number;
  readonly now: Date;
}

export interface TurnCredentials {
  /** `<unix expiry>:<memberId>` */
  readonly username: string;
  /** base64(HMAC-SHA1(secret, username)) */
  readonly credential: string;
  /** The expiry in `username`, as a Date (whole seconds). */
  readonly expiresAt: Date;
}

/**
 * Time-limited TURN credentials in coturn's REST form (`use-auth-secret`, the "TURN REST API"
 * draft): coturn recomputes the HMAC from the username with the same shared secret, so the api
 * stores nothing and tells coturn nothing per member. coturn refuses a username whose timestamp has
 * passed, for new allocations and for refreshes of existing ones alike.
 *
 * The member id must not contain `:`, coturn's separator between the timestamp and the user.
 */
export function turnCredentials({
  secret,
  memberId,
  ttlSeconds,
  now,
}: TurnCredentialsInput): TurnCredentials {
  if (secret.length === 0) throw new RangeError('turnCredentials: empty secret');
  if (memberId.length === 0 || memberId.includes(':')) {
    throw new RangeError('turnCredentials: the member id must be non-empty and without ":"');
  }
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError('turnCredentials: ttlSeconds must be a positive integer');
  }
  const nowMs = now.getTime();
  if (!Number.isFinite(nowMs)) throw new RangeError('turnCredentials: invalid date');
  const expiry = Math.floor(nowMs / 1000) + ttlSeconds;
  const username = `${expiry}:${memberId}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential, expiresAt: new Date(expiry * 1000) };
}
