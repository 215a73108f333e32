import { Injectable } from '@nestjs/common';

import {
  canView,
  type ChannelFlag,
  type ConnectionLimits,
  type EffectiveLimits,
  type EffectivePermissions,
  hasServerPermission,
  type MemberAction,
  memberActionRefusal,
  mostGenerousLimits,
  type PermissionSubject,
  resolveConnectionLimits,
  resolvePermissions,
  resolveThreadPermissions,
  type ServerPermission,
  visibleChannels,
  VOICE_FLAGS,
  type VoiceFlag,
} from '@mpqcht/permissions';
import { type ChannelRightsDto, threadIdOf } from '@mpqcht/protocol';

import { ProtocolError } from '../common/protocol-error';
import { AppConfig } from '../config/app-config';
import type { ThreadRecord } from '../streams/thread-record';
import { noSuchChannel, noSuchMessage } from './hidden-refusals';
import { changedRoles, missingGrantPermissions } from './role-grants';

/** Who is acting: a member's key, whether it is a root key, and the roles it holds. */
export interface Actor extends PermissionSubject {
  readonly publicKey: string;
}

/** The part of a stored message that decides who may change it. */
export interface MessageRef {
  /** Its stream: a channel's id or a thread's `thread:<id>`. */
  readonly streamId: string;
  /** The thread of that stream, when it is one (null also for a thread that does not exist). */
  readonly thread: ThreadRecord | null;
  readonly author: string;
}

const FLAG_REFUSALS: Record<Exclude<ChannelFlag, 'view'>, string> = {
  write: 'you cannot write in this channel',
  moderate: 'you cannot moderate this channel',
  manage: 'you cannot manage this channel',
  create_threads: 'you cannot start threads in this channel',
  manage_threads: 'you cannot manage threads in this channel',
  connect: 'you cannot join the call in this channel',
  speak: 'you cannot speak in this channel',
  video: 'you cannot turn on your camera in this channel',
  screen_share: 'you cannot share your screen in this channel',
  mute_members: 'you cannot mute members in this channel',
  move_members: 'you cannot move members in this channel',
};

/**
 * The one place that answers "may this member do that", over `@mpqcht/permissions` and the current
 * config.toml. The `AccessGuard` asks it before a handler runs; services ask it only where the
 * answer depends on data they load (whose message, in which channel). It never lets existence leak:
 * a channel the member cannot view is `not_found`, exactly like a channel that does not exist.
 */
@Injectable()
export class ChannelPolicy {
  constructor(private readonly config: AppConfig) {}

  hasServerPermission(subject: PermissionSubject, permission: ServerPermission): boolean {
    return hasServerPermission(this.config.current.permissions, subject, permission);
  }

  /** Throws `forbidden` unless the subject holds the server permission. */
  requireServerPermission(subject: PermissionSubject, permission: ServerPermission): void {
    if (!this.hasServerPermission(subject, permission)) {
      throw new ProtocolError('forbidden', `this needs the "${permission}" permission`);
    }
  }

  /**
   * The subject's permissions in a channel they can view and in which they hold `flag`; `not_found`
   * for a channel that does not exist or that they cannot view, `forbidden` for a missing flag.
   */
  requireChannel(subject: PermissionSubject, channelId: string, flag: ChannelFlag): EffectivePermissions {
    const resolved = resolvePermissions(this.config.current.permissions, subject, channelId);
    if (!resolved?.flags.view) throw noSuchChannel();
    if (flag !== 'view' && !resolved.flags[flag]) throw new ProtocolError('forbidden', FLAG_REFUSALS[flag]);
    return resolved;
  }

  /**
   * The same for a message stream: a channel, or a thread (`thread`, as the ThreadDirectory has it),
   * whose permissions are its channel's, narrowed by its state (`resolveThreadPermissions`). A thread
   * that does not exist, was deleted, or is in a channel the subject cannot view is `not_found`,
   * exactly like a channel.
   */
  requireStream(
    subject: PermissionSubject,
    streamId: string,
    thread: ThreadRecord | null,
    flag: ChannelFlag,
  ): EffectivePermissions {
    if (!thread) {
      if (threadIdOf(streamId) !== null) throw noSuchChannel();
      return this.requireChannel(subject, streamId, flag);
    }
    if (thread.deleted) throw noSuchChannel();
    const inChannel = resolvePermissions(this.config.current.permissions, subject, thread.channelId);
    if (!inChannel?.flags.view) throw noSuchChannel();
    const resolved = resolveThreadPermissions(inChannel, thread);
    if (flag !== 'view' && !resolved.flags[flag]) {
      const locked = flag === 'write' && inChannel.flags.write && thread.locked;
      throw new ProtocolError('forbidden', locked ? 'this thread is locked' : FLAG_REFUSALS[flag]);
    }
    return resolved;
  }

  /** The subject's limits in a channel they can view (`not_found` otherwise). */
  limits(subject: PermissionSubject, channelId: string): EffectiveLimits {
    return this.requireChannel(subject, channelId, 'view').limits;
  }

  /** What the subject may do in a channel they can view, as clients are told (`not_found` otherwise). */
  rights(subject: PermissionSubject, channelId: string): ChannelRightsDto {
    const { flags, limits } = this.requireChannel(subject, channelId, 'view');
    return {
      write: flags.write,
      moderate: flags.moderate,
      manage: flags.manage,
      create_threads: flags.create_threads,
      manage_threads: flags.manage_threads,
      maxMessageLength: limits.maxMessageLength,
      slowmodeMs: limits.slowmodeMs,
    };
  }

  /** What the subject may do in a voice channel's call, as clients are told (`not_found` if unseen). */
  voiceRights(subject: PermissionSubject, channelId: string): Record<VoiceFlag, boolean> {
    const { flags } = this.requireChannel(subject, channelId, 'view');
    return Object.fromEntries(VOICE_FLAGS.map((flag) => [flag, flags[flag]])) as Record<VoiceFlag, boolean>;
  }

  /** The same, or null where the subject cannot view the channel (no refusal to build). */
  voiceRightsIfVisible(subject: PermissionSubject, channelId: string): Record<VoiceFlag, boolean> | null {
    return this.canView(subject, channelId) ? this.voiceRights(subject, channelId) : null;
  }

  /** Whether the subject can see the channel (false for a channel config.toml does not have). */
  canView(subject: PermissionSubject, channelId: string): boolean {
    return canView(this.config.current.permissions, subject, channelId);
  }

  /** The ids of the channels the subject can view, in config.toml order. */
  visibleChannels(subject: PermissionSubject): string[] {
    return visibleChannels(this.config.current.permissions, subject);
  }

  /**
   * Editing: only the author, and only while they may write in the message's channel. Returns the
   * author's permissions there (their limits apply to the new content).
   */
  authorizeEdit(actor: Actor, message: MessageRef): EffectivePermissions {
    const resolved = this.viewMessage(actor, message);
    if (message.author !== actor.publicKey) {
      throw new ProtocolError('forbidden', 'you can only edit your own messages');
    }
    if (!resolved.flags.write) throw new ProtocolError('forbidden', FLAG_REFUSALS.write);
    return resolved;
  }

  /**
   * Deleting: a moderator of the channel deletes any message there; the author deletes their own
   * while they may write there.
   */
  authorizeDelete(actor: Actor, message: MessageRef): void {
    const { flags } = this.viewMessage(actor, message);
    if (flags.moderate) return;
    if (message.author !== actor.publicKey) {
      throw new ProtocolError('forbidden', "deleting others' messages needs moderate in this channel");
    }
    if (!flags.write) throw new ProtocolError('forbidden', FLAG_REFUSALS.write);
  }

  /**
   * Deleting: whether it is a moderation (someone else's message, removed with `moderate`), which
   * the audit log records, or the author deleting their own. Refuses as `authorizeDelete`.
   */
  deletion(actor: Actor, message: MessageRef): 'own' | 'moderation' {
    this.authorizeDelete(actor, message);
    return message.author === actor.publicKey ? 'own' : 'moderation';
  }

  /**
   * The actor's permissions in the stream of a message they name by id. A message in a channel or
   * thread they cannot view is refused exactly as one that does not exist (not as its stream would
   * be, which would name the hidden channel).
   */
  private viewMessage(actor: Actor, message: MessageRef): EffectivePermissions {
    try {
      return this.requireStream(actor, message.streamId, message.thread, 'view');
    } catch (error) {
      if (error instanceof ProtocolError && error.code === 'not_found') throw noSuchMessage();
      throw error;
    }
  }

  isRootKey(publicKey: string): boolean {
    return this.config.current.rootKeys.has(publicKey);
  }

  /**
   * Acting on another member's key (the handler's server permission was checked by the guard), by
   * `memberActionRefusal` of `@mpqcht/permissions`: root keys live in config.toml, so they cannot be
   * kicked, banned or revoked, and only a root sets a root's roles; kicking or banning oneself is
   * refused as well. Both are `forbidden`.
   */
  authorizeMemberAction(actor: Actor, target: string, action: MemberAction): void {
    const refusal = memberActionRefusal(action, actor, { publicKey: target, isRoot: this.isRootKey(target) });
    if (refusal === 'self') throw new ProtocolError('forbidden', `you cannot ${action} yourself`);
    if (refusal === 'root') throw new ProtocolError('forbidden', 'root keys are managed in config.toml');
  }

  /**
   * The grant rule: a member adds or removes only roles whose server permissions they hold
   * themselves (roots may change any role). `before` is null for a key not authorized yet.
   */
  authorizeRoleChange(actor: Actor, before: readonly string[] | null, after: readonly string[]): void {
    const changed = changedRoles(before ?? [], after);
    const missing = missingGrantPermissions(this.config.current.permissions, actor, changed);
    if (missing.length > 0) {
      throw new ProtocolError(
        'forbidden',
        `you can only grant or remove roles whose permissions you hold (missing: ${missing.join(', ')})`,
        { missing },
      );
    }
  }

  /** The most generous limits anyone has (roots'): the upper bound for sizes such as frames. */
  mostGenerousLimits(): EffectiveLimits {
    return mostGenerousLimits(this.config.current.permissions);
  }

  /** The subject's flood bucket (`burst`, `ratePerSecond`), the same in every channel. */
  connectionLimits(subject: PermissionSubject): ConnectionLimits {
    return resolveConnectionLimits(this.config.current.permissions, subject);
  }
}
