import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { AdminModule } from './admin/admin.module';
import { ApiExceptionFilter, HealthController, SERVICE_HEALTH } from '@vigil/service-kit';
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
        LoggerModule.forRoot({
          pinoHttp: {
            level: runtime.config.logLevel,
            // Keys never reach the logs.
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: {
              ignore: (req) =>
                req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics',
            },
          },
        }),
        PlatformModule.forRuntime(runtime),
        SignalsModule,
        AdminModule,
      ],
      controllers: [SchemasController, HealthController],
      providers: [
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        {
          provide: SERVICE_HEALTH,
          useValue: {
            readiness: () => runtime.readiness(),
            metrics: () => runtime.metrics.registry.metrics(),
          },
        },
      ],
    };
  }
}
