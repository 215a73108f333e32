import { Module } from '@nestjs/common';

import { GatewayModule } from '../gateway/gateway.module';
import { PolicyModule } from '../policy/policy.module';
import { SearchIndexModule } from '../search-index/search-index.module';
import { SearchGateway } from './search.gateway';
import { SearchService } from './search.service';
import { SearchTerms } from './search-terms';

/** `search.messages`: full-text search with access control (docs/protocol.md). */
@Module({
  imports: [GatewayModule, PolicyModule, SearchIndexModule],
  providers: [SearchTerms, SearchService, SearchGateway],
})
export class SearchModule {}
