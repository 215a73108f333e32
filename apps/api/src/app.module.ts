import { Module, type DynamicModule } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditGateway } from './audit/audit.gateway';
import { AuditLogService } from './audit/audit-log.service';
import { AuthController } from './auth/auth.controller';
import { ChallengeStore } from './auth/challenge-store';
import { LoginService } from './auth/login.service';
import { SignatureVerifier } from './auth/signature-verifier';
import { ChannelsGateway } from './channels/channels.gateway';
import { ChannelsService } from './channels/channels.service';
import { AppConfig } from './config/app-config';
import { ConfigEditorService } from './live-config/config-editor.service';
import { ConfigGateway } from './live-config/config.gateway';
import { ConfigWatcher } from './live-config/config-watcher';
import { LiveConfigApplier } from './live-config/live-config-applier';
import { LoginChallengeEntity } from './auth/login-challenge.entity';
import { ChannelSequenceEntity } from './channels/channel-sequence.entity';
import { ReadMarkerEntity } from './channels/read-marker.entity';
import { MessageEntity } from './messages/message.entity';
import { dataSourceOptions } from './database/data-source-options';
import { DatabaseAvailability, probeDatabase } from './database/database-availability';
import { EMBEDDED_DATABASE, type EmbeddedPostgresSupervisor } from './database/embedded-postgres-supervisor';
import { InvitesGateway } from './invites/invites.gateway';
import { InvitesService } from './invites/invites.service';
import { Migrator } from './database/migrator';
import { Sql } from './database/sql';
import { MemberEntity } from './members/member.entity';
import { MemberRosterEvents } from './members/member-roster-events';
import { MembersGateway } from './members/members.gateway';
import { MembersService } from './members/members.service';
import { PresenceService } from './members/presence.service';
import { MentionResolver } from './messages/mention-resolver';
import { MessagesGateway } from './messages/messages.gateway';
import { EnvelopeInterceptor } from './common/envelope.interceptor';
import { OutageRefusals } from './common/outage-refusals';
import { FloodCooldown } from './rate-limit/flood-cooldown';
import { KeyConnections } from './rate-limit/key-connections';
import { RequestGate } from './rate-limit/request-gate';
import { SlowmodeInterceptor } from './rate-limit/slowmode.interceptor';
import { DrainInterceptor } from './realtime/drain.interceptor';
import { RequestPipelineInterceptor } from './gateway/request-pipeline.interceptor';
import { GracefulShutdown } from './realtime/graceful-shutdown';
import { CatchUpService } from './messages/catch-up.service';
import { MessageBatchWriter } from './messages/message-batch-writer';
import { MessagesService } from './messages/messages.service';
import { ChannelPolicy } from './policy/channel-policy';
import { AccessGuard } from './gateway/access.guard';
import { PushService } from './realtime/push.service';
import { LoginRateLimiter } from './rate-limit/login-rate-limiter';
import { rateLimitStoreProvider } from './rate-limit/rate-limit-store.provider';
import { ServerInfoService } from './server/server-info.service';
import { ServerController } from './server/server.controller';
import { SessionGateway } from './session/session.gateway';

@Module({})
export class AppModule {
  constructor(roster: MemberRosterEvents, mentions: MentionResolver) {
    roster.subscribe(mentions);
  }

  static register(
    config: AppConfig,
    databaseUrl: string,
    embedded: EmbeddedPostgresSupervisor | null = null,
  ): DynamicModule {
    // Made here because the pool's error handler is part of the TypeORM options.
    const availability = new DatabaseAvailability(() => probeDatabase(databaseUrl));
    return {
      module: AppModule,
      imports: [
        TypeOrmModule.forRoot({
          // An idle pooled connection that drops is part of an outage, not a warning of its own.
          ...dataSourceOptions(databaseUrl, (error) => {
            availability.poolError(error);
          }),
          autoLoadEntities: true,
        }),
        TypeOrmModule.forFeature([
          MemberEntity,
          LoginChallengeEntity,
          ChannelSequenceEntity,
          MessageEntity,
          ReadMarkerEntity,
        ]),
      ],
      controllers: [AuthController, ServerController],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: DatabaseAvailability, useValue: availability },
        { provide: OutageRefusals, useExisting: DatabaseAvailability },
        { provide: EMBEDDED_DATABASE, useValue: embedded },
        Migrator,
        Sql,
        ChannelPolicy,
        AccessGuard,
        // HTTP routes go through the same guard (gateways get it from @RealtimeGateway()).
        { provide: APP_GUARD, useExisting: AccessGuard },
        PushService,
        GracefulShutdown,
        EnvelopeInterceptor,
        DrainInterceptor,
        RequestGate,
        FloodCooldown,
        KeyConnections,
        SlowmodeInterceptor,
        RequestPipelineInterceptor,
        ChallengeStore,
        SignatureVerifier,
        LoginService,
        rateLimitStoreProvider,
        LoginRateLimiter,
        PresenceService,
        MemberRosterEvents,
        MentionResolver,
        MembersService,
        ChannelsService,
        MessagesService,
        MessageBatchWriter,
        CatchUpService,
        AuditLogService,
        InvitesService,
        ServerInfoService,
        LiveConfigApplier,
        ConfigWatcher,
        ConfigEditorService,
        ConfigGateway,
        SessionGateway,
        MembersGateway,
        ChannelsGateway,
        MessagesGateway,
        AuditGateway,
        InvitesGateway,
      ],
    };
  }
}
