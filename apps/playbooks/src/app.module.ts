import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceKitModule } from '@vigil/service-kit';
import { AllowlistController } from './allowlist.controller';
import { DetectionsController } from './detections/detections.controller';
import { PlaybooksController } from './playbooks/playbooks.controller';
import { PlaybooksRuntime } from './playbooks-runtime';
import { ResponsesController } from './responses/responses.controller';

/** The playbooks service: playbooks, detections, responses and their event stream, allowlist. */
@Module({})
export class AppModule {
  static forRuntime(runtime: PlaybooksRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forProduct(runtime)],
      controllers: [
        PlaybooksController,
        DetectionsController,
        ResponsesController,
        AllowlistController,
      ],
      providers: [{ provide: PlaybooksRuntime, useValue: runtime }],
    };
  }
}
