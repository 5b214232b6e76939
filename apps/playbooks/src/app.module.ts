import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { LoggerModule } from 'nestjs-pino';
import { ApiExceptionFilter, HealthController, SERVICE_HEALTH } from '@vigil/service-kit';
import { AllowlistController } from './allowlist.controller';
import { DetectionsController } from './detections/detections.controller';
import { PlaybooksController } from './playbooks/playbooks.controller';
import { PlaybooksRuntime } from './playbooks-runtime';
import { ResponsesController } from './responses/responses.controller';

/** The playbooks service: playbooks, detections, responses and their event stream, allowlist. */
@Module({})
export class AppModule {
  static forRuntime(runtime: PlaybooksRuntime): DynamicModule {
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
      controllers: [
        PlaybooksController,
        DetectionsController,
        ResponsesController,
        AllowlistController,
        HealthController,
      ],
      providers: [
        { provide: PlaybooksRuntime, useValue: runtime },
        { provide: APP_FILTER, useClass: ApiExceptionFilter },
        {
          provide: SERVICE_HEALTH,
          useValue: {
            readiness: () => runtime.readiness(),
            metrics: () => runtime.metricsText(),
          },
        },
      ],
    };
  }
}
