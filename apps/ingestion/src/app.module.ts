import { Module } from '@nestjs/common';
import { PlatformSchemasModule } from '@vigil/service-kit';
import { AdminModule } from './admin/admin.module';
import { IngestionPlatformModule } from './platform/ingestion-platform.module';
import { SchemasModule } from './schemas/schemas.module';
import { SignalsModule } from './signals/signals.module';

/** The ingestion service: signals in, the schema registry, tenants and API keys. */
@Module({
  imports: [
    PlatformSchemasModule.forRoot({ owner: true }),
    IngestionPlatformModule,
    SignalsModule,
    SchemasModule,
    AdminModule,
  ],
})
export class AppModule {}
