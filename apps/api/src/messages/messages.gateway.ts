import { ConnectedSocket, SubscribeMessage } from '@nestjs/websockets';
import type { z } from 'zod';

import {
  type CatchUpPageDto,
  DeleteMessageRequest,
  EditMessageRequest,
  type HistoryPageDto,
  HistoryRequest,
  type MessageDeletedDto,
  type MessageDto,
  type MessagesAroundDto,
  MessagesAroundRequest,
  SendMessageRequest,
  SinceRequest,
} from '@mpqcht/protocol';

import { RequireChannel } from '../gateway/access.decorators';
import { Decision } from '../gateway/decision.decorator';
import { Payload } from '../gateway/payload.decorator';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import type { RequestDecision } from '../policy/request-decision';
import { actorOf, type MpqchtSocket } from '../realtime/socket-session';
import { CatchUpService } from './catch-up.service';
import { MessagesService } from './messages.service';

/**
 * Send, history and since name their channel, so the AccessGuard decides on them and the service
 * gets that decision (`@Decision()`); edit and delete name a message, whose channel and author only
 * the service knows, so it asks the ChannelPolicy.
 */
@RealtimeGateway()
export class MessagesGateway {
  constructor(
    private readonly messages: MessagesService,
    private readonly catchUp: CatchUpService,
  ) {}

  @RequireChannel('write')
  @SubscribeMessage('messages.send')
  send(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: SendMessageRequest,
    @Decision() decision: RequestDecision,
  ): Promise<MessageDto> {
    return this.messages.send(actorOf(socket), request, decision);
  }

  @SubscribeMessage('messages.edit')
  edit(@ConnectedSocket() socket: MpqchtSocket, @Payload() request: EditMessageRequest): Promise<MessageDto> {
    return this.messages.edit(actorOf(socket), request);
  }

  @SubscribeMessage('messages.delete')
  delete(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: DeleteMessageRequest,
  ): Promise<MessageDeletedDto> {
    return this.messages.delete(actorOf(socket), request.messageId);
  }

  @RequireChannel('view')
  @SubscribeMessage('messages.history')
  history(
    @Payload() request: z.output<typeof HistoryRequest>,
    @Decision() decision: RequestDecision,
  ): Promise<HistoryPageDto> {
    return this.messages.history(decision, request);
  }

  @RequireChannel('view')
  @SubscribeMessage('messages.around')
  around(
    @Payload() request: z.output<typeof MessagesAroundRequest>,
    @Decision() decision: RequestDecision,
  ): Promise<MessagesAroundDto> {
    return this.messages.around(decision, request);
  }

  @RequireChannel('view')
  @SubscribeMessage('messages.since')
  since(
    @Payload() request: z.output<typeof SinceRequest>,
    @Decision() decision: RequestDecision,
  ): Promise<CatchUpPageDto> {
    return this.catchUp.since(decision, request);
  }
}
