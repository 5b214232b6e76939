import { Controller, Get, Inject, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { ApiError, Auth, tenantCredential } from '@vigil/service-kit';
import { PlaybooksRuntime } from '../playbooks-runtime';
import type { DetectionView } from '../store/detection.repository';

/** Detections with their evidence, newest first. */
@ApiTags('detections')
@Controller('v1/detections')
export class DetectionsController {
  constructor(@Inject(PlaybooksRuntime) private readonly runtime: PlaybooksRuntime) {}

  @Get()
  @Auth('read')
  @ApiOperation({
    summary: 'Detections; filters: app, playbook, from, to (ISO 8601), limit (≤ 1000, default 100)',
  })
  async list(
    @Req() request: FastifyRequest,
    @Query() query: Record<string, string | undefined>,
  ): Promise<{ detections: DetectionView[] }> {
    const { tenant } = tenantCredential(request);
    const limit = query['limit'] === undefined ? 100 : Number(query['limit']);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) {
      throw new ApiError(400, 'invalid-request', '"limit" must be a whole number from 1 to 1000');
    }
    const detections = await this.runtime.detections.list(tenant, {
      app: query['app'],
      playbookId: query['playbook'],
      from: optionalDate(query['from'], 'from'),
      to: optionalDate(query['to'], 'to'),
      limit,
    });
    return { detections };
  }
}

function optionalDate(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) {
    return undefined;
  }
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    throw new ApiError(400, 'invalid-request', `"${name}" must be an ISO 8601 date-time`);
  }
  return date;
}
