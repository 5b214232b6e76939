import { Module } from '@nestjs/common';
import { ListsModule } from '../lists/lists.module';
import { ResponsesModule } from '../responses/responses.module';
import { PlaybooksController } from './playbooks.controller';
import { PlaybooksService } from './playbooks.service';

/** The playbooks API. */
@Module({
  imports: [ResponsesModule, ListsModule],
  controllers: [PlaybooksController],
  providers: [PlaybooksService],
  exports: [PlaybooksService],
})
export class PlaybooksModule {}
