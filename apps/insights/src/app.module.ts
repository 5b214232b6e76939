import { Module } from '@nestjs/common';
import { IndexingModule } from './indexing/indexing.module';
import { SearchModule } from './search/search.module';
import { InsightsStoreModule } from './store/insights-store.module';

/** The insights service: every signal indexed; search over signals and application summaries. */
@Module({ imports: [InsightsStoreModule, IndexingModule, SearchModule] })
export class AppModule {}
