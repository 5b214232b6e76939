import { Module, type DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { HealthController, SERVICE_HEALTH, type ServiceHealth } from './health.controller';

const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * What every Vigil service's HTTP side shares: pino request logs (keys redacted, probes not
 * logged) and `/healthz` `/readyz` `/metrics` backed by `health`.
 */
@Module({})
export class ServiceKitModule {
  static forService(health: ServiceHealth, options: { logLevel?: string } = {}): DynamicModule {
    return {
      module: ServiceKitModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: {
            ...(options.logLevel ? { level: options.logLevel } : {}),
            // Keys never reach the logs.
            redact: ['req.headers.authorization', 'req.headers.cookie'],
            autoLogging: { ignore: (req) => QUIET_PATHS.has(req.url ?? '') },
          },
        }),
      ],
      controllers: [HealthController],
      providers: [{ provide: SERVICE_HEALTH, useValue: health }],
    };
  }
}
