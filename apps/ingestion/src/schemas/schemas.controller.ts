import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, Res } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth, callerTenant, tenantCredential } from '@vigil/service-kit';
import type { ServedSchema } from '@vigil/signals';
import { SchemasService } from './schemas.service';

@ApiTags('schemas')
@Controller('v1/schemas')
export class SchemasController {
  constructor(private readonly schemas: SchemasService) {}

  @Get()
  @ApiOperation({
    summary:
      'The registry: built-in schemas (envelope, signal types, documents), plus the caller’s own signal types when called with a tenant key',
    // Public, like any schema registry: producers fetch the contracts before they hold a key.
    security: [],
  })
  list(@Req() request: FastifyRequest): { schemas: ServedSchema[] } {
    return { schemas: this.schemas.list(callerTenant(request)) };
  }

  @Get(':type/:version')
  @ApiOperation({
    summary:
      'One schema by type and version (`envelope` for the envelope; a tenant type with its key)',
    security: [],
  })
  get(
    @Req() request: FastifyRequest,
    @Param('type') type: string,
    @Param('version') version: string,
  ): ServedSchema {
    return this.schemas.get(callerTenant(request), type, version);
  }

  @Post()
  @Auth(['schemas:write', 'admin'])
  @ApiOperation({
    summary: 'Register a version of one of the tenant’s signal types (x-<namespace>.<name>)',
  })
  @ApiBody({ description: 'urn:vigil:document:schema-registration:1' })
  @ApiResponse({
    status: 201,
    description: 'Registered; every service validates it within seconds',
  })
  @ApiResponse({
    status: 409,
    description: 'Namespace of another tenant, breaking change (each listed), or version taken',
  })
  async register(
    @Req() request: FastifyRequest,
    @Body() body: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<ServedSchema> {
    const { created, entry } = await this.schemas.register(tenantCredential(request).tenant, body);
    void reply.code(created ? 201 : 200);
    return entry;
  }

  @Patch(':type/:version')
  @HttpCode(200)
  @Auth(['schemas:write', 'admin'])
  @ApiOperation({
    summary: 'Deprecate (accepted, with a warning), disable (refused) or re-activate a version',
  })
  setStatus(
    @Req() request: FastifyRequest,
    @Param('type') type: string,
    @Param('version') version: string,
    @Body() body: unknown,
  ): Promise<ServedSchema> {
    return this.schemas.setStatus(tenantCredential(request).tenant, type, version, body);
  }
}
