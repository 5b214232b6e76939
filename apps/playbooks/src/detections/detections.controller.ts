import { Controller, Get, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth, QuerySchemaPipe, tenantCredential } from '@vigil/service-kit';
import { DetectionRepository, type DetectionView } from '../store/detection.repository';
import { DETECTIONS_QUERY, type DetectionsQuery } from './detections-query';

/** The tenant's detections, newest first. */
@ApiTags('detections')
@Controller('v1/detections')
export class DetectionsController {
  constructor(private readonly detections: DetectionRepository) {}

  @Get()
  @Auth('read')
  @ApiOperation({
    summary: 'Detections; filters: app, playbook, from, to (ISO 8601), limit (≤ 1000, default 100)',
  })
  async list(
    @Req() request: FastifyRequest,
    @Query(new QuerySchemaPipe(DETECTIONS_QUERY)) query: DetectionsQuery,
  ): Promise<{ detections: DetectionView[] }> {
    const detections = await this.detections.list(tenantCredential(request).tenant, {
      app: query.app,
      playbookId: query.playbook,
      from: query.from === undefined ? undefined : new Date(query.from),
      to: query.to === undefined ? undefined : new Date(query.to),
      limit: query.limit,
    });
    return { detections };
  }
}
