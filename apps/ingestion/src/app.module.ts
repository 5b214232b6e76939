import { Module, type DynamicModule } from '@nestjs/common';
import { AdminModule } from './admin/admin.module';
import { ServiceKitModule } from '@vigil/service-kit';
import { IngestionRuntime } from './platform/ingestion-runtime';
import { PlatformModule } from './platform/platform.module';
import { SchemasController } from './schemas/schemas.controller';
import { SignalsModule } from './signals/signals.module';

@Module({})
export class AppModule {
  static forRuntime(runtime: IngestionRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forService(
          {
            readiness: () => runtime.readiness(),
            metrics: () => runtime.metrics.registry.metrics(),
          },
          { logLevel: runtime.config.logLevel },
        ),
        PlatformModule.forRuntime(runtime),
        SignalsModule,
        AdminModule,
      ],
      controllers: [SchemasController],
    };
  }
}
