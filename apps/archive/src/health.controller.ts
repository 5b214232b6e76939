import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ArchiveRuntime } from './archive-runtime';

/** Liveness, readiness and metrics: unauthenticated, for orchestrators and Prometheus. */
@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(@Inject(ArchiveRuntime) private readonly runtime: ArchiveRuntime) {}

  @Get('healthz')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<object> {
    const checks = await this.runtime.readiness();
    const ready = Object.values(checks).every(Boolean);
    void reply.code(ready ? 200 : 503);
    return { status: ready ? 'ready' : 'not-ready', checks };
  }

  @Get('metrics')
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  metrics(): Promise<string> {
    return this.runtime.registry.metrics();
  }
}
