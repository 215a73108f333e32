import { ConnectedSocket, SubscribeMessage } from '@nestjs/websockets';
import {
  EmptyRequest,
  MarkReadRequest,
  TYPING_TTL_MS,
  TypingRequest,
  type ChannelListDto,
  type ReadStateDto,
} from '@mpqcht/protocol';
import { RequireChannel } from '../gateway/access.decorators';
import { Payload } from '../gateway/payload.decorator';
import { PushService } from '../realtime/push.service';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import { actorOf, joinedMember, Rooms, type MpqchtSocket } from '../realtime/socket-session';
import { ChannelsService } from './channels.service';

@RealtimeGateway()
export class ChannelsGateway {
  constructor(
    private readonly channels: ChannelsService,
    private readonly push: PushService,
  ) {}

  /** Only the channels the member can view, and the groups that hold any of them. */
  @SubscribeMessage('channels.list')
  list(@ConnectedSocket() socket: MpqchtSocket, @Payload() _request: EmptyRequest): Promise<ChannelListDto> {
    return this.channels.list(actorOf(socket));
  }

  @RequireChannel('view')
  @SubscribeMessage('channels.markRead')
  async markRead(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: MarkReadRequest,
  ): Promise<ReadStateDto> {
    const member = joinedMember(socket);
    const state = await this.channels.markRead(member.publicKey, request.channelId, request.messageId);
    // The member's other devices update their unread counts too.
    this.push.toMember(member.publicKey, 'readState.updated', state);
    return state;
  }

  @RequireChannel('write')
  @SubscribeMessage('typing.start')
  typing(@ConnectedSocket() socket: MpqchtSocket, @Payload() request: TypingRequest): Record<string, never> {
    const member = joinedMember(socket);
    // To the channel's room, which holds only the sockets of members who can view it; not to the
    // typist's own devices: they know they are typing.
    socket
      .to(Rooms.channel(request.channelId))
      .except(Rooms.member(member.publicKey))
      .emit('typing.started', {
        channelId: request.channelId,
        publicKey: member.publicKey,
        displayName: member.displayName,
        expiresInMs: TYPING_TTL_MS,
      });
    return {};
  }
}
