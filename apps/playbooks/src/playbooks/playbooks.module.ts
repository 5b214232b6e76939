import { Module } from '@nestjs/common';
import { ResponsesModule } from '../responses/responses.module';
import { PlaybooksController } from './playbooks.controller';
import { PlaybooksService } from './playbooks.service';

/** The playbooks API. */
@Module({
  imports: [ResponsesModule],
  controllers: [PlaybooksController],
  providers: [PlaybooksService],
})
export class PlaybooksModule {}
