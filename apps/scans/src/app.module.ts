import { Module, type DynamicModule } from '@nestjs/common';
import { ServiceKitModule } from '@vigil/service-kit';
import { FindingsController } from './findings/findings.controller';
import { ScansController } from './scans/scans.controller';
import { ScansRuntime } from './scans-runtime';
import { TicketsController } from './tickets/tickets.controller';

/** The scans service: scan requests, tracked findings, ticket integrations. */
@Module({})
export class AppModule {
  static forRuntime(runtime: ScansRuntime): DynamicModule {
    return {
      module: AppModule,
      imports: [ServiceKitModule.forProduct(runtime)],
      controllers: [ScansController, FindingsController, TicketsController],
      providers: [{ provide: ScansRuntime, useValue: runtime }],
    };
  }
}
