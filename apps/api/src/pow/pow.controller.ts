import { Controller, Get } from '@nestjs/common';

import { type PowChallengeDto } from '@mpqcht/protocol';

import { PowChallenges } from './pow-challenges';
import { PowDifficulty } from './pow-difficulty';

@Controller('auth')
export class PowController {
  constructor(
    private readonly challenges: PowChallenges,
    private readonly difficulty: PowDifficulty,
  ) {}

  /**
   * Public: the effort challenge issuance asks for now, with a challenge at that effort (0 while
   * calm). Clients need not call it (a `pow_required` refusal carries a challenge too); it is there
   * so anyone can see the difficulty, and solve ahead.
   */
  @Get('pow')
  pow(): Promise<PowChallengeDto> {
    return this.challenges.issue(this.difficulty.required);
  }
}
