import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ApiExceptionFilter, HealthController, SERVICE_HEALTH } from '@vigil/service-kit';
import { ArchiveRuntime } from './archive-runtime';
import { QueryController } from './query.controller';

/** The archive service: SQL over the archive, health and metrics; the archiver runs in the runtime. */
@Module({})
export class AppModule {
  static forRuntime(runtime: ArchiveRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: {
              ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? ''),
            },
          },
        }),
      ],
      controllers: [QueryController, HealthController],
      providers: [
        { provide: ArchiveRuntime, useValue: runtime },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        {
          provide: SERVICE_HEALTH,
          useValue: {
            readiness: () => runtime.readiness(),
            metrics: () => runtime.registry.metrics(),
          },
        },
      ],
    };
  }
}
