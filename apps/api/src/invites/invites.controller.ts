import { Controller, Get, Param, UseInterceptors } from '@nestjs/common';

import { type InvitePreviewDto, InvitePreviewParams } from '@mpqcht/protocol';

import { validate } from '../common/validate';
import { InvitePreviewRateLimitInterceptor } from '../rate-limit/ip-rate-limit.interceptors';
import { InvitesService } from './invites.service';

@Controller('invites')
export class InvitesController {
  constructor(private readonly invites: InvitesService) {}

  /**
   * Public, like `/api/server`: the invite page's preview of a live invite (server name, inviter,
   * validity) before the person logs in. A malformed code is `validation_failed`; any code that
   * admits nobody is `not_found`. Rate limited per address.
   */
  @Get(':code')
  @UseInterceptors(InvitePreviewRateLimitInterceptor)
  preview(@Param('code') code: string): Promise<InvitePreviewDto> {
    return this.invites.preview(validate(InvitePreviewParams, { code }).code);
  }
}
