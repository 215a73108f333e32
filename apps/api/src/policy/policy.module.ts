import { Module } from '@nestjs/common';

import { ChannelPolicy } from './channel-policy';

/** Who may do what: `ChannelPolicy` over the current config.toml. */
@Module({
  providers: [ChannelPolicy],
  exports: [ChannelPolicy],
})
export class PolicyModule {}
