import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { parseAnyPublicKey } from '@mpqcht/identity';
import type { AuthorizedKeyDto, MemberDto } from '@mpqcht/protocol';
import { QueryFailedError, Repository } from 'typeorm';
import { ChannelsService } from '../channels/channels.service';
import { AppConfig } from '../config/app-config';
import { Sql } from '../database/sql';
import { ProtocolError } from '../common/protocol-error';
import { PushService } from '../realtime/push.service';
import type { MemberRecord, SocketSession } from '../realtime/socket-session';
import { MentionResolver } from '../messages/mention-resolver';
import { displayNameKey } from './display-name-key';
import { MemberEntity } from './member.entity';
import { PresenceService } from './presence.service';

export interface Admission {
  readonly isRoot: boolean;
  readonly member: MemberRecord | null;
}

function toRecord(entity: MemberEntity): MemberRecord | null {
  if (entity.displayName === null || entity.joinedAt === null) return null;
  return {
    publicKey: entity.publicKey,
    displayName: entity.displayName,
    roles: entity.roles,
    joinedAt: entity.joinedAt,
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}

@Injectable()
export class MembersService {
  constructor(
    @InjectRepository(MemberEntity) private readonly members: Repository<MemberEntity>,
    private readonly config: AppConfig,
    private readonly sql: Sql,
    private readonly presence: PresenceService,
    private readonly push: PushService,
    private readonly mentions: MentionResolver,
    private readonly channels: ChannelsService,
  ) {}

  /** Whether a key may log in, and as whom. null: the key is neither a root nor authorized. */
  async admission(publicKey: string): Promise<Admission | null> {
    const isRoot = this.config.current.rootKeys.has(publicKey);
    const entity = await this.members.findOneBy({ publicKey });
    if (!entity && !isRoot) return null;
    return { isRoot, member: entity ? toRecord(entity) : null };
  }

  toDto(member: MemberRecord): MemberDto {
    return {
      publicKey: member.publicKey,
      displayName: member.displayName,
      roles: member.roles,
      isRoot: this.config.current.rootKeys.has(member.publicKey),
      online: this.presence.isOnline(member.publicKey),
      joinedAt: member.joinedAt.toISOString(),
    };
  }

  /** First login of an authorized key: it picks a display name, unique per server (case-insensitive). */
  async join(session: SocketSession, displayName: string): Promise<MemberRecord> {
    if (session.member) throw new ProtocolError('already_joined', 'this key has already joined');
    let rows: MemberEntity[];
    try {
      rows = await this.sql.rows<MemberEntity>(
        `INSERT INTO members AS m (public_key, display_name, display_name_key, joined_at)
         SELECT $1, $2, $4, now() WHERE $3 OR EXISTS (SELECT 1 FROM members WHERE public_key = $1)
         ON CONFLICT (public_key) DO UPDATE
           SET display_name = EXCLUDED.display_name, display_name_key = EXCLUDED.display_name_key, joined_at = now()
           WHERE m.display_name IS NULL
         RETURNING public_key AS "publicKey", display_name AS "displayName", roles, joined_at AS "joinedAt"`,
        [session.publicKey, displayName, session.isRoot, displayNameKey(displayName)],
      );
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ProtocolError('display_name_taken', `the name "${displayName}" is taken on this server`);
      }
      throw error;
    }
    const row = rows[0];
    if (!row) {
      const entity = await this.members.findOneBy({ publicKey: session.publicKey });
      if (!entity) throw new ProtocolError('not_a_member', 'this key is no longer authorized here');
      throw new ProtocolError('already_joined', 'this key has already joined');
    }
    const member = toRecord(row);
    if (!member) throw new Error('join returned a member without a name');
    this.mentions.memberJoined(member.publicKey, member.displayName);
    return member;
  }

  async list(): Promise<MemberDto[]> {
    const entities = await this.members.find({ order: { joinedAt: 'ASC' } });
    return entities.flatMap((entity) => {
      const record = toRecord(entity);
      return record ? [this.toDto(record)] : [];
    });
  }

  /** Like adding a line to authorized_keys: the key may log in and join. Re-authorizing sets its roles. */
  async authorize(
    actor: string,
    publicKeyInput: string,
    roles: readonly string[],
  ): Promise<AuthorizedKeyDto> {
    const parsed = parseAnyPublicKey(publicKeyInput);
    if (!parsed.ok) {
      throw new ProtocolError(
        'validation_failed',
        `publicKey: not a valid P-256 public key (${parsed.error})`,
      );
    }
    const known = new Set(this.config.current.roles.map((r) => r.id));
    const unknown = roles.filter((r) => !known.has(r));
    if (unknown.length > 0) {
      throw new ProtocolError('validation_failed', `roles: unknown role(s) ${unknown.join(', ')}`, {
        unknown,
      });
    }
    const uniqueRoles = [...new Set(roles)];
    const rows = await this.sql.rows<MemberEntity>(
      `INSERT INTO members AS m (public_key, roles, authorized_by) VALUES ($1, $2, $3)
       ON CONFLICT (public_key) DO UPDATE SET roles = EXCLUDED.roles
       RETURNING public_key AS "publicKey", display_name AS "displayName", roles, joined_at AS "joinedAt",
                 authorized_at AS "authorizedAt"`,
      [parsed.key.hex, uniqueRoles, actor],
    );
    const row = rows[0];
    if (!row) throw new Error('authorize returned no row');
    const record = toRecord(row);
    // A joined member's live sockets get the new rights at once (channels appear or disappear).
    if (record) await this.channels.memberRightsChanged(record);
    return { publicKey: row.publicKey, roles: row.roles, authorizedAt: row.authorizedAt.toISOString() };
  }

  /** Removes a key's authorization and drops its live sockets at once. */
  async revoke(publicKeyHex: string): Promise<{ publicKey: string }> {
    const parsed = parseAnyPublicKey(publicKeyHex);
    if (!parsed.ok) throw new ProtocolError('validation_failed', 'publicKey: not a valid P-256 public key');
    const publicKey = parsed.key.hex;
    if (this.config.current.rootKeys.has(publicKey)) {
      throw new ProtocolError('forbidden', 'root keys are managed in config.toml');
    }
    const result = await this.members.delete({ publicKey });
    if (!result.affected) throw new ProtocolError('not_found', 'this key is not authorized here');
    this.mentions.memberRemoved(publicKey);
    this.push.endSessions(publicKey, {
      reason: 'revoked',
      message: 'your key was revoked by an administrator',
    });
    this.push.toAllMembers('member.removed', { publicKey, reason: 'revoked' });
    return { publicKey };
  }
}
