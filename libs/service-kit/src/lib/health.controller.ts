import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

/** What a service tells its health endpoints. */
export interface ServiceHealth {
  /** One entry per dependency; the service is ready when all are true. */
  readiness(): Promise<Record<string, boolean>>;
  /** Prometheus text exposition. */
  metrics(): Promise<string>;
}

/** Nest token under which a service provides its {@link ServiceHealth}. */
export const SERVICE_HEALTH = Symbol('vigil:service-health');

/** Liveness, readiness and metrics: unauthenticated, for orchestrators and Prometheus. */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(@Inject(SERVICE_HEALTH) private readonly health: ServiceHealth) {}

  @Get('healthz')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ status: string; checks: Record<string, boolean> }> {
    const checks = await this.health.readiness();
    const ready = Object.values(checks).every(Boolean);
    void reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not-ready', checks };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.health.metrics();
  }
}
