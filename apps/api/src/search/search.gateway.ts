import { ConnectedSocket, SubscribeMessage } from '@nestjs/websockets';
import type { z } from 'zod';

import { SearchMessagesRequest, type SearchPageDto } from '@mpqcht/protocol';

import { Payload } from '../gateway/payload.decorator';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import { actorOf, type MpqchtSocket } from '../realtime/socket-session';
import { SearchService } from './search.service';

/** Any member: a search finds only what the member can view (the service narrows it). */
@RealtimeGateway()
export class SearchGateway {
  constructor(private readonly search: SearchService) {}

  @SubscribeMessage('search.messages')
  messages(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: z.output<typeof SearchMessagesRequest>,
  ): Promise<SearchPageDto> {
    return this.search.search(actorOf(socket), request);
  }
}
