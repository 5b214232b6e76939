import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceKitModule } from '@vigil/service-kit';
import { AppsController } from './apps.controller';
import { InsightsRuntime } from './insights-runtime';
import { SearchController } from './search.controller';

/** The insights service: search over signals and application summaries. */
@Module({})
export class AppModule {
  static forRuntime(runtime: InsightsRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forProduct(runtime)],
      controllers: [SearchController, AppsController],
      providers: [{ provide: InsightsRuntime, useValue: runtime }],
    };
  }
}
