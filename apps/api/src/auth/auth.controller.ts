import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';

import { type ChallengeDto, EmptyRequest } from '@mpqcht/protocol';

import { validate } from '../common/validate';
import { ChallengeRateLimitInterceptor } from '../rate-limit/ip-rate-limit.interceptors';
import { ChallengeStore } from './challenge-store';

@Controller('auth')
export class AuthController {
  constructor(private readonly challenges: ChallengeStore) {}

  /**
   * Takes no parameters. A body the server reads (JSON or form, see docs/protocol.md) must be empty
   * or `{}`: like every payload, unknown fields are `validation_failed`.
   */
  @Post('challenge')
  @HttpCode(200)
  @UseInterceptors(ChallengeRateLimitInterceptor)
  challenge(@Body() body: unknown): Promise<ChallengeDto> {
    validate(EmptyRequest, body);
    return this.challenges.issue();
  }
}
