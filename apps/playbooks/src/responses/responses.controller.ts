import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Post,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, Auth, tenantCredential } from '@vigil/service-kit';
import type { Credential } from '@vigil/tenants';
import type { ResponseView } from '../store/response.repository';
import { ResponsesService } from './responses.service';

const MAX_AGENT_ID = 256;

/**
 * Security responses for agents (their `signals:write` key, limited to its application when
 * bound to one) and operators (`read`, and `admin` to revoke).
 */
@ApiTags('responses')
@Controller('v1/responses')
export class ResponsesController {
  constructor(private readonly service: ResponsesService) {}

  @Get()
  @Auth(['signals:write', 'read'])
  @ApiOperation({
    summary: 'Active responses of an application (ETag / If-None-Match: 304 when unchanged)',
  })
  async active(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('app') app: string | undefined,
  ): Promise<{ responses: ResponseView[] } | undefined> {
    const credential = tenantCredential(request);
    const scoped = scopedApp(credential, app);
    const etag = `"${await this.service.version(credential.tenant, scoped)}"`;
    void reply.header('etag', etag).header('cache-control', 'no-cache');
    if (request.headers['if-none-match'] === etag) {
      void reply.code(304);
      return undefined;
    }
    return { responses: await this.service.active(credential.tenant, scoped) };
  }

  @Get('stream')
  @Auth(['signals:write', 'read'])
  @ApiOperation({
    summary:
      'Server-sent events: `issued` and `revoked` responses as they happen; resume with Last-Event-ID',
  })
  stream(
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Query('app') app: string | undefined,
  ): void {
    const credential = tenantCredential(request);
    const lastEventId = request.headers['last-event-id'];
    const resumeFrom = lastEventId === undefined ? undefined : Number(lastEventId);
    if (resumeFrom !== undefined && (!Number.isInteger(resumeFrom) || resumeFrom < 0)) {
      throw new ApiError(
        400,
        'invalid-request',
        'Last-Event-ID must be an event id this stream sent',
      );
    }
    this.service
      .stream({
        tenant: credential.tenant,
        app: scopedApp(credential, app),
        resumeFrom,
      })
      .open(request, reply);
  }

  @Delete(':id')
  @HttpCode(200)
  @Auth('admin')
  @ApiOperation({ summary: 'Revoke a response (unblock); agents get a `revoked` event' })
  revoke(@Req() request: FastifyRequest, @Param('id') id: string): Promise<ResponseView> {
    return this.service.revoke(tenantCredential(request).tenant, id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @Auth(['signals:write', 'read'])
  @ApiOperation({ summary: 'An agent applied the response: {"agent": "<agent id>"}' })
  async ack(
    @Req() request: FastifyRequest,
    @Param('id') id: string,
    @Body() body: unknown,
  ): Promise<{ acked: true }> {
    const credential = tenantCredential(request);
    const agent = (body as { agent?: unknown } | null | undefined)?.agent;
    if (typeof agent !== 'string' || agent.length === 0 || agent.length > MAX_AGENT_ID) {
      throw new ApiError(
        400,
        'invalid-request',
        `"agent" must be the agent's id (1 to ${MAX_AGENT_ID} characters)`,
      );
    }
    await this.service.ack(credential.tenant, credential.app, id, agent);
    return { acked: true };
  }
}

/** The application a request may see: its key's own when bound, else the one asked (or all). */
function scopedApp(credential: Credential, app: string | undefined): string | undefined {
  if (app !== undefined && (app.length === 0 || app.length > 256)) {
    throw new ApiError(
      400,
      'invalid-request',
      '"app" must be an application name (1 to 256 characters)',
    );
  }
  if (credential.app === null) {
    return app;
  }
  if (app !== undefined && app !== credential.app) {
    throw new ApiError(
      403,
      'forbidden',
      `this API key is bound to application "${credential.app}"`,
    );
  }
  return credential.app;
}
