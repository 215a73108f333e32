import { Module } from '@nestjs/common';

import { InvitesModule } from '../invites/invites.module';
import { MembersModule } from '../members/members.module';
import { PowModule } from '../pow/pow.module';
import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { AuthController } from './auth.controller';
import { ChallengeStore } from './challenge-store';
import { LoginService } from './login.service';
import { SignatureVerifier } from './signature-verifier';

/** Challenges (`POST /api/auth/challenge`) and the login proof; `LoginService` serves the handshake. */
@Module({
  imports: [RateLimitModule, MembersModule, InvitesModule, PowModule],
  controllers: [AuthController],
  providers: [ChallengeStore, SignatureVerifier, LoginService],
  exports: [LoginService],
})
export class AuthModule {}
