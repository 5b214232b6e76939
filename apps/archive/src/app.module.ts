import { Module } from '@nestjs/common';
import { ArchiveStorageModule } from './archive-storage.module';
import { ArchivingModule } from './archiving/archiving.module';
import { QueryModule } from './query/query.module';

/** The archive service: every signal archived as Parquet, and SQL over a tenant's archive. */
@Module({ imports: [ArchiveStorageModule, ArchivingModule, QueryModule] })
export class AppModule {}
