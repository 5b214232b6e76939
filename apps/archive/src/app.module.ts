import { Module } from '@nestjs/common';
import { ArchiveStorageModule } from './archive-storage.module';
import { ArchivingModule } from './archiving/archiving.module';
import { ExportModule } from './export/export.module';
import { QueryModule } from './query/query.module';

/**
 * The archive service: every signal archived as Parquet, SQL over a tenant's archive, and a
 * streaming export of a window of it.
 */
@Module({ imports: [ArchiveStorageModule, ArchivingModule, QueryModule, ExportModule] })
export class AppModule {}
