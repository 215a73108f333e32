import { Module } from '@nestjs/common';

import { RateLimitModule } from '../rate-limit/rate-limit.module';
import { LoginPasses } from './login-passes';
import { PowController } from './pow.controller';
import { PowChallenges } from './pow-challenges';
import { PowDifficulty } from './pow-difficulty';
import { PowGate } from './pow-gate';
import { ServerSecret } from './server-secret';

/** Adaptive proof-of-work in front of challenge issuance, and the login passes that skip it. */
@Module({
  imports: [RateLimitModule],
  controllers: [PowController],
  providers: [ServerSecret, PowDifficulty, PowChallenges, LoginPasses, PowGate],
  exports: [PowGate, LoginPasses],
})
export class PowModule {}
