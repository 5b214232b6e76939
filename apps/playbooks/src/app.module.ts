import { Module } from '@nestjs/common';
import { PlatformSchemasModule } from '@vigil/service-kit';
import { AllowlistModule } from './allowlist/allowlist.module';
import { BacktestModule } from './backtest/backtest.module';
import { DetectionsModule } from './detections/detections.module';
import { ListsModule } from './lists/lists.module';
import { PlaybooksModule } from './playbooks/playbooks.module';
import { ResponsesModule } from './responses/responses.module';
import { PlaybooksStoreModule } from './store/playbooks-store.module';

/**
 * The playbooks service: playbooks (over built-in and tenants' own signal types), detection,
 * responses and their event stream, allowlist, named lists, backtests over the archive.
 */
@Module({
  imports: [
    PlatformSchemasModule.forRoot(),
    PlaybooksStoreModule,
    PlaybooksModule,
    DetectionsModule,
    ResponsesModule,
    AllowlistModule,
    ListsModule,
    BacktestModule,
  ],
})
export class AppModule {}
