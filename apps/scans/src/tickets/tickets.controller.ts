import { Body, Controller, Delete, Get, HttpCode, Put, Query, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth, QuerySchemaPipe, tenantCredential } from '@vigil/service-kit';
import type { DeliveryView } from '../store/ticket.repository';
import { DELIVERIES_QUERY, type DeliveriesQuery } from './deliveries-query';
import { TicketSettingsService } from './ticket-settings.service';
import type { TicketSettingsView } from './ticket-settings';

/** The tenant's ticket integration (webhook or Jira) and its delivery log. */
@ApiTags('tickets')
@Controller('v1/tickets')
export class TicketsController {
  constructor(private readonly settings: TicketSettingsService) {}

  @Put('settings')
  @Auth('admin')
  @ApiOperation({
    summary:
      'Set the integration: {"kind":"webhook","url","secret","minSeverity"} or {"kind":"jira","url","user","token","project",…}',
  })
  save(@Req() request: FastifyRequest, @Body() body: unknown): Promise<TicketSettingsView> {
    return this.settings.save(tenantCredential(request).tenant, body);
  }

  @Get('settings')
  @Auth('admin')
  @ApiOperation({ summary: 'The integration, without its credential' })
  get(@Req() request: FastifyRequest): Promise<TicketSettingsView> {
    return this.settings.view(tenantCredential(request).tenant);
  }

  @Delete('settings')
  @HttpCode(204)
  @Auth('admin')
  @ApiOperation({ summary: 'Remove the integration' })
  remove(@Req() request: FastifyRequest): Promise<void> {
    return this.settings.remove(tenantCredential(request).tenant);
  }

  @Get('deliveries')
  @Auth('read')
  @ApiOperation({
    summary: 'Delivery log, newest first; filters: state (pending|delivered|failed), limit (≤ 500)',
  })
  async deliveries(
    @Req() request: FastifyRequest,
    @Query(new QuerySchemaPipe(DELIVERIES_QUERY)) query: DeliveriesQuery,
  ): Promise<{ deliveries: DeliveryView[] }> {
    const { tenant } = tenantCredential(request);
    return { deliveries: await this.settings.deliveries(tenant, query.state, query.limit) };
  }
}
