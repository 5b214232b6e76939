import { Controller, Get, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SchemaRegistry, type RegisteredSchema } from '@vigil/signals';
import { ApiError } from '@vigil/service-kit';

/** One registry entry as served to producers. */
interface SchemaEntry {
  readonly id: string;
  readonly kind: string;
  readonly name: string;
  readonly version: number;
  readonly schema: unknown;
}

@ApiTags('schemas')
@Controller('v1/schemas')
export class SchemasController {
  constructor(private readonly registry: SchemaRegistry) {}

  @Get()
  @ApiOperation({
    summary:
      'Every schema of the registry (envelope, signal types, documents), for client-side validation',
  })
  list(): { schemas: SchemaEntry[] } {
    return { schemas: this.registry.list().map(toEntry) };
  }

  @Get(':type/:version')
  @ApiOperation({ summary: 'One signal schema by type and version (`envelope` for the envelope)' })
  get(@Param('type') type: string, @Param('version') version: string): SchemaEntry {
    const number = Number(version.replace(/^v/, ''));
    const kind = type === 'envelope' ? 'envelope' : 'signal';
    const entry = Number.isInteger(number) ? this.registry.get(kind, type, number) : undefined;
    if (!entry) {
      const known = this.registry.versions(kind, type);
      const hint =
        known.length > 0
          ? `known versions: ${known.join(', ')}`
          : 'unknown type; GET /v1/schemas lists them';
      throw new ApiError(404, 'not-found', `no schema for "${type}" version ${version} (${hint})`);
    }
    return toEntry(entry);
  }
}

function toEntry(entry: RegisteredSchema): SchemaEntry {
  return {
    id: entry.id,
    kind: entry.kind,
    name: entry.name,
    version: entry.version,
    schema: entry.schema,
  };
}
