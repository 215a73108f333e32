import { Controller, HttpCode, Post } from '@nestjs/common';
import type { ChallengeDto } from '@mpqcht/protocol';
import { ChallengeStore } from './challenge-store';

@Controller('auth')
export class AuthController {
  constructor(private readonly challenges: ChallengeStore) {}

  @Post('challenge')
  @HttpCode(200)
  challenge(): Promise<ChallengeDto> {
    return this.challenges.issue();
  }
}
