import { Module } from '@nestjs/common';
import { AllowlistModule } from './allowlist/allowlist.module';
import { DetectionsModule } from './detections/detections.module';
import { PlaybooksModule } from './playbooks/playbooks.module';
import { ResponsesModule } from './responses/responses.module';
import { PlaybooksStoreModule } from './store/playbooks-store.module';

/** The playbooks service: playbooks, detection, responses and their event stream, allowlist. */
@Module({
  imports: [
    PlaybooksStoreModule,
    PlaybooksModule,
    DetectionsModule,
    ResponsesModule,
    AllowlistModule,
  ],
})
export class AppModule {}
