import { Module } from '@nestjs/common';
import { ArchiveMetrics } from './archive.metrics';
import { ArchivingService } from './archiving.service';

/** Every signal of SIGNALS archived as Parquet, and the retention sweep. */
@Module({ providers: [ArchiveMetrics, ArchivingService] })
export class ArchivingModule {}
