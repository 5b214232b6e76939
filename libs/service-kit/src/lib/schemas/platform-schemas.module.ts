import { Module, type DynamicModule } from '@nestjs/common';
import { SchemaCatalog, type NatsConnection } from '@vigil/bus';
import { schemaCatalogBucket, type StreamReplicas } from '@vigil/topology';
import { findSchemasDir, SchemaRegistry } from '@vigil/signals';
import { BUS, PRODUCT_CONFIG } from '../host/product-tokens';
import { OWN_SCHEMA_CATALOG, TenantSchemaFollower } from './tenant-schema-follower';

/** How a product takes part in the tenant schema catalog. */
export interface PlatformSchemasOptions {
  /** Ingestion owns the catalog: it provisions the bucket and writes registrations. */
  readonly owner?: boolean;
}

/** What the configuration may say about schemas (ingestion's `VIGIL_SCHEMAS_DIR`, stream replicas). */
interface SchemaSettings {
  readonly schemasDir?: string;
  readonly stream?: { readonly replicas?: StreamReplicas };
}

/**
 * The platform's schemas for products that validate against them: the built-in ones from
 * `schemas/` and every tenant's registered types, kept current from the catalog
 * ({@link TenantSchemaFollower}). Provides `SchemaRegistry`; the owner also gets `SchemaCatalog`.
 */
@Module({})
export class PlatformSchemasModule {
  static forRoot(options: PlatformSchemasOptions = {}): DynamicModule {
    const catalogProvider = options.owner
      ? {
          provide: OWN_SCHEMA_CATALOG,
          useFactory: (nc: NatsConnection, config: SchemaSettings) =>
            SchemaCatalog.provision(nc, schemaCatalogBucket(config.stream?.replicas)),
          inject: [BUS, PRODUCT_CONFIG],
        }
      : { provide: OWN_SCHEMA_CATALOG, useValue: undefined };
    return {
      module: PlatformSchemasModule,
      global: true,
      providers: [
        { provide: SchemaRegistry, useFactory: loadBuiltIns, inject: [PRODUCT_CONFIG] },
        catalogProvider,
        ...(options.owner ? [{ provide: SchemaCatalog, useExisting: OWN_SCHEMA_CATALOG }] : []),
        TenantSchemaFollower,
      ],
      exports: [SchemaRegistry, ...(options.owner ? [SchemaCatalog] : [])],
    };
  }
}

function loadBuiltIns(config: SchemaSettings): SchemaRegistry {
  const dir = config.schemasDir ?? findSchemasDir();
  if (!dir) {
    throw new Error('cannot find the schemas/ folder; set VIGIL_SCHEMAS_DIR');
  }
  return SchemaRegistry.fromDirectory(dir);
}
