import { type DynamicModule, Module } from '@nestjs/common';

import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { ChannelsModule } from './channels/channels.module';
import { AppConfig } from './config/app-config';
import { AppConfigModule } from './config/app-config.module';
import { DatabaseModule } from './database/database.module';
import { type EmbeddedPostgresSupervisor } from './database/embedded-postgres-supervisor';
import { InvitesModule } from './invites/invites.module';
import { LiveConfigModule } from './live-config/live-config.module';
import { MembersModule } from './members/members.module';
import { MessagesModule } from './messages/messages.module';
import { SearchModule } from './search/search.module';
import { ServerModule } from './server/server.module';
import { SessionModule } from './session/session.module';
import { ThreadsModule } from './threads/threads.module';
import { VoiceModule } from './voice/voice.module';

/**
 * The feature modules, over the two global leaves that need start-up values: the configuration
 * read by main.ts and the database URL (the embedded cluster's, if main.ts started one). Each
 * feature module imports the leaves it uses; docs/architecture.md draws the graph.
 */
@Module({})
export class AppModule {
  static register(
    config: AppConfig,
    databaseUrl: string,
    embedded: EmbeddedPostgresSupervisor | null = null,
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AppConfigModule.forRoot(config),
        DatabaseModule.forRoot(databaseUrl, embedded),
        ServerModule,
        AuditModule,
        InvitesModule,
        ChannelsModule,
        MembersModule,
        MessagesModule,
        ThreadsModule,
        SearchModule,
        AuthModule,
        SessionModule,
        VoiceModule,
        LiveConfigModule,
      ],
    };
  }
}
