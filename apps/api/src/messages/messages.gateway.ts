import { ConnectedSocket, SubscribeMessage } from '@nestjs/websockets';
import {
  DeleteMessageRequest,
  EditMessageRequest,
  HistoryRequest,
  SendMessageRequest,
  type HistoryPageDto,
  type MessageDeletedDto,
  type MessageDto,
} from '@mpqcht/protocol';
import type { z } from 'zod';
import { Payload } from '../realtime/payload.decorator';
import { RealtimeGateway } from '../realtime/realtime-gateway.decorator';
import { joinedMember, type MpqchtSocket } from '../realtime/socket-session';
import { MessagesService } from './messages.service';

@RealtimeGateway()
export class MessagesGateway {
  constructor(private readonly messages: MessagesService) {}

  @SubscribeMessage('messages.send')
  send(@ConnectedSocket() socket: MpqchtSocket, @Payload() request: SendMessageRequest): Promise<MessageDto> {
    return this.messages.send(joinedMember(socket).publicKey, request);
  }

  @SubscribeMessage('messages.edit')
  edit(@ConnectedSocket() socket: MpqchtSocket, @Payload() request: EditMessageRequest): Promise<MessageDto> {
    return this.messages.edit(joinedMember(socket).publicKey, request);
  }

  @SubscribeMessage('messages.delete')
  delete(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: DeleteMessageRequest,
  ): Promise<MessageDeletedDto> {
    return this.messages.delete(joinedMember(socket).publicKey, request.messageId);
  }

  @SubscribeMessage('messages.history')
  history(@Payload() request: z.output<typeof HistoryRequest>): Promise<HistoryPageDto> {
    return this.messages.history(request);
  }
}
