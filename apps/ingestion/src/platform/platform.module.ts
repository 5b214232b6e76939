import { Global, Module, type DynamicModule } from '@nestjs/common';
import { IngestionRuntime } from './ingestion-runtime';

/** Makes the runtime (built before Nest starts) available to every module. */
@Global()
@Module({})
export class PlatformModule {
  static forRuntime(runtime: IngestionRuntime): DynamicModule {
    return {
      module: PlatformModule,
      providers: [{ provide: IngestionRuntime, useValue: runtime }],
      exports: [IngestionRuntime],
    };
  }
}
