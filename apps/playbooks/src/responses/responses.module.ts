import { Inject, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { NatsConnection } from '@vigil/bus';
import { BackgroundJobs, BUS, PRODUCT_CONFIG } from '@vigil/service-kit';
import { SchemaRegistry, SignalValidator } from '@vigil/signals';
import type { PlaybooksConfig } from '../config/playbooks.config';
import { ResponseFeed } from './response-feed';
import { ResponsePublisher } from './response-publisher';
import { ResponsesController } from './responses.controller';
import { ResponsesService } from './responses.service';

/** Responses to agents: the API, the event stream, publishing, expiry. */
@Module({
  controllers: [ResponsesController],
  providers: [
    ResponsesService,
    {
      provide: ResponseFeed,
      useFactory: (nc: NatsConnection) => new ResponseFeed(nc),
      inject: [BUS],
    },
    {
      provide: ResponsePublisher,
      useFactory: (nc: NatsConnection, schemas: SchemaRegistry) =>
        new ResponsePublisher(nc, new SignalValidator(schemas)),
      inject: [BUS, SchemaRegistry],
    },
  ],
  exports: [ResponsesService, ResponsePublisher],
})
export class ResponsesModule implements OnApplicationBootstrap {
  constructor(
    private readonly responses: ResponsesService,
    private readonly background: BackgroundJobs,
    @Inject(PRODUCT_CONFIG) private readonly config: PlaybooksConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.background.every('response expiry', this.config.expiryIntervalMs, () =>
      this.responses.end('expired', { due: true }),
    );
  }
}
