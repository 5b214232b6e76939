import { Module } from '@nestjs/common';
import { ArchiveExportService } from './archive-export.service';
import { ExportController } from './export.controller';

/** Streaming export of the caller's archived signals. */
@Module({ controllers: [ExportController], providers: [ArchiveExportService] })
export class ExportModule {}
