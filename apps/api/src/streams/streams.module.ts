import { Module } from '@nestjs/common';

import { ThreadDirectory } from './thread-directory';

/** Message streams that are not channels: the threads' directory, which the AccessGuard reads. */
@Module({
  providers: [ThreadDirectory],
  exports: [ThreadDirectory],
})
export class StreamsModule {}
