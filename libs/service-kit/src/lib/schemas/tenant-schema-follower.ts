import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { Counter, Registry } from 'prom-client';
import { SchemaCatalog, type CatalogWatch, type NatsConnection } from '@vigil/bus';
import { SchemaRegistry, type TenantSchemaDefinition } from '@vigil/signals';
import { ProductLog } from '../host/product-log';
import { BUS } from '../host/product-tokens';
import { ReadinessChecks } from '../host/readiness-checks';

/** Token of the catalog a product writes to (ingestion, which provisions it). */
export const OWN_SCHEMA_CATALOG = Symbol('OWN_SCHEMA_CATALOG');

/**
 * Keeps the product's {@link SchemaRegistry} in step with the tenant schema catalog: loads every
 * registered type in the background at start-up (`/readyz` reports `schemas` false until that
 * is done), then compiles each new version or status change within a round trip of its
 * registration — no restart.
 */
@Injectable()
export class TenantSchemaFollower implements OnApplicationBootstrap, OnModuleDestroy {
  private watch: CatalogWatch | undefined;
  private loaded = false;
  private stopped = false;
  private readonly applied: Counter;

  constructor(
    private readonly registry: SchemaRegistry,
    @Inject(BUS) private readonly nc: NatsConnection,
    @Inject(OWN_SCHEMA_CATALOG) private readonly ownCatalog: SchemaCatalog | undefined,
    private readonly readiness: ReadinessChecks,
    private readonly log: ProductLog,
    metrics: Registry,
  ) {
    this.applied = new Counter({
      name: 'vigil_tenant_schema_updates_total',
      help: 'Tenant schema versions and status changes applied to this service, by outcome',
      labelNames: ['outcome'],
      registers: [metrics],
    });
  }

  onApplicationBootstrap(): void {
    this.readiness.add('schemas', () => this.loaded);
    void this.startUntilFollowing();
  }

  /** A bus hiccup at start-up must not leave the service unready for good: retry, backing off. */
  private async startUntilFollowing(): Promise<void> {
    for (let attempt = 0; !this.stopped && !this.loaded; attempt++) {
      try {
        await this.start();
      } catch (error) {
        const delayMs = Math.min(30_000, 1_000 * 2 ** attempt);
        this.log.info(
          `tenant schemas: cannot follow the catalog (${(error as Error).message}); retrying in ${delayMs / 1_000} s`,
        );
        await new Promise((resolve) => setTimeout(resolve, delayMs).unref());
      }
    }
  }

  onModuleDestroy(): void {
    this.stopped = true;
    this.watch?.stop();
  }

  private async start(): Promise<void> {
    const catalog =
      this.ownCatalog ??
      (await SchemaCatalog.open(this.nc, () =>
        this.log.info('waiting for the tenant schema catalog (start ingestion first)'),
      ));
    if (this.stopped) {
      return;
    }
    this.watch = await catalog.follow({
      onDefinition: (definition) => this.apply(definition),
      onInvalid: (key, problem) => {
        this.applied.inc({ outcome: 'refused' });
        this.log.info(`tenant schemas: skipped ${key}: ${problem}`);
      },
    });
    this.loaded = true;
  }

  private apply(definition: TenantSchemaDefinition): void {
    this.registry.putTenantSchema(definition);
    this.applied.inc({ outcome: 'applied' });
  }
}
