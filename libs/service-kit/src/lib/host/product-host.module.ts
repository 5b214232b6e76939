import { Global, Module, type DynamicModule, type Provider } from '@nestjs/common';
import { Registry } from 'prom-client';
import { CredentialVerifier } from '@vigil/tenants';
import { EventOutbox } from '../event-outbox';
import type { ServiceHealth } from '../health.controller';
import { ServiceKitModule } from '../service-kit.module';
import { BackgroundJobs } from './background-jobs';
import type { HostResources } from './host-resources';
import { ProductLog } from './product-log';
import { BUS, DATABASE, KEY_DIRECTORY, PRODUCT_CONFIG } from './product-tokens';
import { ReadinessChecks } from './readiness-checks';

/**
 * The shared half of every product app, global so any feature module can inject it: the
 * configuration (`PRODUCT_CONFIG`), the bus (`BUS`), the product's database (`DATABASE`) and its
 * `EventOutbox`, the credential check, the metrics `Registry`, `ReadinessChecks`, `ProductLog`
 * and `BackgroundJobs`, plus request logs, the error filter and `/healthz` `/readyz` `/metrics`.
 */
@Global()
@Module({})
export class ProductHostModule {
  static forRoot(resources: HostResources): DynamicModule {
    const health: ServiceHealth = {
      readiness: () => resources.readiness.run(),
      metrics: () => resources.registry.metrics(),
    };
    const providers: Provider[] = [
      { provide: PRODUCT_CONFIG, useValue: resources.options.config },
      { provide: BUS, useValue: resources.nc },
      { provide: CredentialVerifier, useValue: resources.verifier },
      { provide: KEY_DIRECTORY, useValue: resources.keys },
      { provide: Registry, useValue: resources.registry },
      { provide: ReadinessChecks, useValue: resources.readiness },
      { provide: ProductLog, useValue: resources.log },
      { provide: BackgroundJobs, useFactory: () => new BackgroundJobs(resources.log) },
      ...(resources.pool ? [{ provide: DATABASE, useValue: resources.pool }] : []),
      ...(resources.outbox ? [{ provide: EventOutbox, useValue: resources.outbox }] : []),
    ];
    return {
      module: ProductHostModule,
      imports: [
        ServiceKitModule.forService(health, { logLevel: resources.options.config.logLevel }),
      ],
      providers,
      exports: providers.map((provider) => (provider as { provide: unknown }).provide as never),
    };
  }
}
