import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';

import { type ChallengeDto, ChallengeRequest } from '@mpqcht/protocol';

import { validate } from '../common/validate';
import { PowGate } from '../pow/pow-gate';
import { ChallengeRateLimitInterceptor } from '../rate-limit/ip-rate-limit.interceptors';
import { ChallengeStore } from './challenge-store';

@Controller('auth')
export class AuthController {
  constructor(
    private readonly challenges: ChallengeStore,
    private readonly pow: PowGate,
  ) {}

  /**
   * A body the server reads (JSON or form, see docs/protocol.md) may be empty, or carry a login
   * pass or a proof-of-work; like every payload, unknown fields are `validation_failed`. The
   * per-address limit runs first, then the proof-of-work gate, then the nonce is stored.
   */
  @Post('challenge')
  @HttpCode(200)
  @UseInterceptors(ChallengeRateLimitInterceptor)
  async challenge(@Body() body: unknown): Promise<ChallengeDto> {
    const admission = await this.pow.admit(validate(ChallengeRequest, body));
    return this.challenges.issue(admission.boundKey);
  }
}
