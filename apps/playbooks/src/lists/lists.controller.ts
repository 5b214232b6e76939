import { Body, Controller, Delete, Get, HttpCode, Param, Put, Req } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth, tenantCredential } from '@vigil/service-kit';
import { ListsService, type ListView } from './lists.service';

/** Named lists that playbook conditions test membership of (`inList`). */
@ApiTags('lists')
@Controller('v1/lists')
export class ListsController {
  constructor(private readonly lists: ListsService) {}

  @Get()
  @Auth('read')
  @ApiOperation({ summary: 'The shipped lists (with your additions) and your own lists' })
  async list(@Req() request: FastifyRequest): Promise<{ lists: ListView[] }> {
    return { lists: await this.lists.list(tenantCredential(request).tenant) };
  }

  @Get(':name')
  @Auth('read')
  @ApiOperation({ summary: 'One list' })
  async get(@Req() request: FastifyRequest, @Param('name') name: string): Promise<ListView> {
    return this.lists.get(tenantCredential(request).tenant, name);
  }

  @Put(':name')
  @Auth('admin')
  @ApiOperation({
    summary:
      'Create or replace a list (urn:vigil:document:playbook-list:1); for a shipped name, your additions to it. 422 with every problem when invalid',
  })
  async put(
    @Req() request: FastifyRequest,
    @Param('name') name: string,
    @Body() body: unknown,
  ): Promise<ListView> {
    return this.lists.put(tenantCredential(request).tenant, name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Auth('admin')
  @ApiOperation({ summary: 'Delete your list (409 while a playbook reads it)' })
  async remove(@Req() request: FastifyRequest, @Param('name') name: string): Promise<void> {
    await this.lists.remove(tenantCredential(request).tenant, name);
  }
}
