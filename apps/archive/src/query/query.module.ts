import { Module } from '@nestjs/common';
import { ArchiveQueryService } from './archive-query.service';
import { QueryController } from './query.controller';

/** SQL over the caller's own archive. */
@Module({ controllers: [QueryController], providers: [ArchiveQueryService] })
export class QueryModule {}
