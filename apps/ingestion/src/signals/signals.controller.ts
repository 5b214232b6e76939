import { Controller, Inject, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ACCEPTED_CONTENT_TYPES, type IngestResult } from '@vigil/ingestion-core';
import { Auth, tenantCredential } from '@vigil/service-kit';
import { SignalsService } from './signals.service';

@ApiTags('signals')
@Controller('v1/signals')
export class SignalsController {
  constructor(@Inject(SignalsService) private readonly signals: SignalsService) {}

  @Post()
  @Auth('signals:write')
  @ApiOperation({
    summary:
      'Publish a batch of signals (JSON array, NDJSON, or CloudEvents structured/batched/binary mode; gzip allowed)',
  })
  @ApiConsumes(...ACCEPTED_CONTENT_TYPES)
  @ApiBody({
    description: 'Envelopes (CloudEvents 1.0); see GET /v1/schemas',
    schema: { type: 'array', items: { type: 'object' } },
  })
  @ApiQuery({
    name: 'dryRun',
    required: false,
    description: 'true: validate and enrich only; return the records',
  })
  @ApiResponse({
    status: 202,
    description:
      'At least one signal accepted or already stored; every accepted signal is durably stored',
  })
  @ApiResponse({
    status: 422,
    description: 'Every signal of the batch was rejected; see `rejected`',
  })
  @ApiResponse({
    status: 429,
    description: 'Tenant over its rate, or stream full; see Retry-After',
  })
  @ApiResponse({
    status: 503,
    description:
      'The bus is unavailable (`bus-unavailable`) or a product is too far behind (`consumers-behind`); nothing was accepted; see Retry-After',
  })
  async publish(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Query('dryRun') dryRun?: string,
  ): Promise<IngestResult> {
    const result = await this.signals.ingest(request, tenantCredential(request), dryRun === 'true');
    void reply.code(result.accepted + result.duplicates.length > 0 ? 202 : 422);
    return result;
  }
}
