import { ConnectedSocket, SubscribeMessage } from '@nestjs/websockets';
import type { z } from 'zod';

import {
  CreateThreadRequest,
  EmptyRequest,
  FollowThreadRequest,
  ListThreadsRequest,
  type ThreadDeletedDto,
  type ThreadDto,
  type ThreadEntryDto,
  type ThreadPageDto,
  ThreadRequest,
  UpdateThreadRequest,
} from '@mpqcht/protocol';

import { RequireChannel } from '../gateway/access.decorators';
import { Decision } from '../gateway/decision.decorator';
import { Payload } from '../gateway/payload.decorator';
import { RealtimeGateway } from '../gateway/realtime-gateway.decorator';
import type { RequestDecision } from '../policy/request-decision';
import { actorOf, type MpqchtSocket } from '../realtime/socket-session';
import { ThreadsService } from './threads.service';

/**
 * Every thread request names a channel (create, list) or a thread (`thread:<id>`), so the
 * AccessGuard decides on it: a thread of a channel the member cannot view is `not_found`. What
 * depends on the thread (its creator, its lock) the service decides on that same decision.
 */
@RealtimeGateway()
export class ThreadsGateway {
  constructor(private readonly threads: ThreadsService) {}

  @RequireChannel('create_threads')
  @SubscribeMessage('threads.create')
  create(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: CreateThreadRequest,
    @Decision() decision: RequestDecision,
  ): Promise<ThreadEntryDto> {
    return this.threads.create(actorOf(socket), decision, request);
  }

  @RequireChannel('view')
  @SubscribeMessage('threads.list')
  list(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: z.output<typeof ListThreadsRequest>,
    @Decision() decision: RequestDecision,
  ): Promise<ThreadPageDto> {
    return this.threads.list(actorOf(socket), decision, request);
  }

  @RequireChannel('view')
  @SubscribeMessage('threads.get')
  get(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() _request: ThreadRequest,
    @Decision() decision: RequestDecision,
  ): Promise<ThreadEntryDto> {
    return this.threads.get(actorOf(socket), decision);
  }

  @RequireChannel('view')
  @SubscribeMessage('threads.update')
  update(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: z.output<typeof UpdateThreadRequest>,
    @Decision() decision: RequestDecision,
  ): Promise<ThreadDto> {
    return this.threads.update(actorOf(socket), decision, request);
  }

  @RequireChannel('view')
  @SubscribeMessage('threads.delete')
  delete(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() _request: ThreadRequest,
    @Decision() decision: RequestDecision,
  ): Promise<ThreadDeletedDto> {
    return this.threads.delete(actorOf(socket), decision);
  }

  /** Any member: only threads of channels they can view are listed. */
  @SubscribeMessage('threads.followed')
  followed(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() _request: EmptyRequest,
  ): Promise<ThreadEntryDto[]> {
    return this.threads.followed(actorOf(socket));
  }

  @RequireChannel('view')
  @SubscribeMessage('threads.follow')
  follow(
    @ConnectedSocket() socket: MpqchtSocket,
    @Payload() request: FollowThreadRequest,
    @Decision() decision: RequestDecision,
  ): Promise<ThreadEntryDto> {
    return this.threads.follow(actorOf(socket), decision, request.follow);
  }
}
