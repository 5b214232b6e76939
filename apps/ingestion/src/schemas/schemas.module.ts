import { Module } from '@nestjs/common';
import { SchemaCatalog } from '@vigil/bus';
import { SchemaRegistration } from '@vigil/ingestion-core';
import { SchemaRegistry } from '@vigil/signals';
import { SchemasController } from './schemas.controller';
import { SchemasService } from './schemas.service';

/** Schema versions one tenant may hold (every type together). */
const MAX_VERSIONS_PER_TENANT = 200;

/** The schema registry for producers: built-in contracts and tenants' own signal types. */
@Module({
  controllers: [SchemasController],
  providers: [
    {
      provide: SchemaRegistration,
      useFactory: (registry: SchemaRegistry, catalog: SchemaCatalog) =>
        new SchemaRegistration(registry, catalog, {
          maxVersionsPerTenant: MAX_VERSIONS_PER_TENANT,
        }),
      inject: [SchemaRegistry, SchemaCatalog],
    },
    SchemasService,
  ],
})
export class SchemasModule {}
