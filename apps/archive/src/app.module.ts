import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceKitModule } from '@vigil/service-kit';
import { ArchiveRuntime } from './archive-runtime';
import { QueryController } from './query.controller';

/** The archive service: SQL over the archive, health and metrics; the archiver runs in the runtime. */
@Module({})
export class AppModule {
  static forRuntime(runtime: ArchiveRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forService(
          {
            readiness: () => runtime.readiness(),
            metrics: () => runtime.registry.metrics(),
          },
          { logLevel: runtime.config.logLevel },
        ),
      ],
      controllers: [QueryController],
      providers: [{ provide: ArchiveRuntime, useValue: runtime }],
    };
  }
}
