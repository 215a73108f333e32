import { Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import type { ChallengeDto } from '@mpqcht/protocol';
import { ChallengeRateLimitInterceptor } from '../rate-limit/challenge-rate-limit.interceptor';
import { ChallengeStore } from './challenge-store';

@Controller('auth')
export class AuthController {
  constructor(private readonly challenges: ChallengeStore) {}

  @Post('challenge')
  @HttpCode(200)
  @UseInterceptors(ChallengeRateLimitInterceptor)
  challenge(): Promise<ChallengeDto> {
    return this.challenges.issue();
  }
}
