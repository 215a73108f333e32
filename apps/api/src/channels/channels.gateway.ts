import { ConnectedSocket, SubscribeMessage } from '@nestjs/websockets';

import {
  type ChannelListDto,
  type ChannelViewersDto,
  ChannelViewersRequest,
  EmptyRequest,
  MarkReadRequest,
  type ReadStateDto,
  TypingRequest,
} from '@mpqcht/protocol';

import { RequireChannel } from '../gateway/access.decorators';
import { Decision } from '../gateway/decision.decorator';
import { Payload } from '../gateway/payload.decorator';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import type { RequestDecision } from '../policy/request-decision';
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
    @Decision() decision: RequestDecision,
  ): Promise<ReadStateDto> {
    return this.channels.markRead(joinedMember(socket).publicKey, decision, request.messageId);
  }

  /** Who can view the channel (joined members): the ones a mention there reaches. */
  @RequireChannel('view')
  @SubscribeMessage('channels.viewers')
  viewers(
    // Validated; the channel is the guard's decision.
    @Payload() _request: ChannelViewersRequest,
    @Decision() decision: RequestDecision,
  ): Promise<ChannelViewersDto> {
    return this.channels.viewers(decision);
  }

  @RequireChannel('write')
  @SubscribeMessage('typing.start')
  typing(
    @ConnectedSocket() socket: MpqchtSocket,
    // Validated (so a malformed request is refused as before), but the channel is the guard's.
    @Payload() _request: TypingRequest,
    @Decision() decision: RequestDecision,
  ): Record<string, never> {
    this.typingService.started(joinedMember(socket), decision);
    return {};
  }
}
