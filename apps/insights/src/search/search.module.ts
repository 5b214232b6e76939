import { Module } from '@nestjs/common';
import { QueryChecker } from '@vigil/insights';
import { PRODUCT_CONFIG } from '@vigil/service-kit';
import { findSchemasDir, SchemaRegistry } from '@vigil/signals';
import { AppsController } from '../apps/apps.controller';
import type { InsightsConfig } from '../config/insights.config';
import { InsightsSearchService } from './insights-search.service';
import { SearchController } from './search.controller';

/** The query API: signal search and application summaries. */
@Module({
  controllers: [SearchController, AppsController],
  providers: [
    InsightsSearchService,
    {
      provide: QueryChecker,
      useFactory: (config: InsightsConfig) =>
        new QueryChecker(
          SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas'),
          config.limits,
        ),
      inject: [PRODUCT_CONFIG],
    },
  ],
})
export class SearchModule {}
