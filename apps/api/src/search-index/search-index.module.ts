import { Module } from '@nestjs/common';

import { SearchIndexBuilder } from './search-index-builder';

/** The search index's upkeep, below the features: search queries it, the health report shows it. */
@Module({
  providers: [SearchIndexBuilder],
  exports: [SearchIndexBuilder],
})
export class SearchIndexModule {}
