import { ConnectedSocket, SubscribeMessage } from '@nestjs/websockets';
import {
  EmptyRequest,
  MarkReadRequest,
  TypingRequest,
  type ChannelListDto,
  type ReadStateDto,
} from '@mpqcht/protocol';
import { RequireChannel } from '../gateway/access.decorators';
import { Payload } from '../gateway/payload.decorator';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import { actorOf, joinedMember, type MpqchtSocket } from '../realtime/socket-session';
import { ChannelsService } from './channels.service';
import { TypingService } from './typing.service';

@RealtimeGateway()
export class ChannelsGateway {
  constructor(
    private readonly channels: ChannelsService,
    private readonly typingService: TypingService,
  ) {}

  /** Only the channels the member can view, and the groups that hold any of them. */
  @SubscribeMessage('channels.list')
  list(@ConnectedSocket() socket: MpqchtSocket, @Payload() _request: EmptyRequest): Promise<ChannelListDto> {
    return this.channels.list(actorOf(socket));
  }

  @RequireChannel('view')
  @SubscribeMessage('channels.markRead')
  markRead(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: MarkReadRequest,
  ): Promise<ReadStateDto> {
    return this.channels.markRead(joinedMember(socket).publicKey, request.channelId, request.messageId);
  }

  @RequireChannel('write')
  @SubscribeMessage('typing.start')
  typing(@ConnectedSocket() socket: MpqchtSocket, @Payload() request: TypingRequest): Record<string, never> {
    this.typingService.started(joinedMember(socket), request.channelId);
    return {};
  }
}
