import { ConnectedSocket, type OnGatewayDisconnect, SubscribeMessage } from '@nestjs/websockets';

import {
  EmptyRequest,
  type VoiceJoinedDto,
  VoiceJoinRequest,
  VoiceMuteRequest,
  type VoiceParticipantDto,
  type VoiceRoomDto,
  VoiceSignalRequest,
  VoiceUpdateRequest,
} from '@mpqcht/protocol';

import { RequireChannel } from '../gateway/access.decorators';
import { Decision } from '../gateway/decision.decorator';
import { Payload } from '../gateway/payload.decorator';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import type { RequestDecision } from '../policy/request-decision';
import { actorOf, joinedMember, type MpqchtSocket } from '../realtime/socket-session';
import { VoiceService } from './voice.service';

/** Translation only: the rules are VoiceService's, the permissions the AccessGuard's. */
@RealtimeGateway()
export class VoiceGateway implements OnGatewayDisconnect {
  constructor(private readonly voice: VoiceService) {}

  @SubscribeMessage('voice.rooms')
  rooms(@ConnectedSocket() socket: MpqchtSocket, @Payload() _request: EmptyRequest): VoiceRoomDto[] {
    return this.voice.roomsFor(actorOf(socket));
  }

  @RequireChannel('connect')
  @SubscribeMessage('voice.join')
  join(
    @ConnectedSocket() socket: MpqchtSocket,
    // Validated; the channel is the guard's decision.
    @Payload() _request: VoiceJoinRequest,
    @Decision() decision: RequestDecision,
  ): VoiceJoinedDto {
    return this.voice.join(socket.id, joinedMember(socket), decision);
  }

  @SubscribeMessage('voice.leave')
  leave(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() _request: EmptyRequest,
  ): { channelId: string | null } {
    return this.voice.leave(socket.id);
  }

  @SubscribeMessage('voice.update')
  update(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: VoiceUpdateRequest,
  ): VoiceParticipantDto {
    return this.voice.update(socket.id, actorOf(socket), request);
  }

  @SubscribeMessage('voice.signal')
  signal(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: VoiceSignalRequest,
  ): Record<string, never> {
    return this.voice.signal(socket.id, request);
  }

  @RequireChannel('mute_members')
  @SubscribeMessage('voice.mute')
  mute(@Payload() request: VoiceMuteRequest, @Decision() decision: RequestDecision): VoiceRoomDto {
    return this.voice.mute(decision, request.publicKey, request.muted);
  }

  handleDisconnect(socket: MpqchtSocket): void {
    this.voice.disconnected(socket.id);
  }
}
