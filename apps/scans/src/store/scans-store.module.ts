import { Global, Module } from '@nestjs/common';
import { Registry } from 'prom-client';
import { ScanRequestChecker, SecretBox } from '@vigil/scans';
import { DATABASE, PRODUCT_CONFIG, ProductLog } from '@vigil/service-kit';
import { findSchemasDir, SchemaRegistry } from '@vigil/signals';
import type { SqlPool } from '@vigil/store';
import type { ScansConfig } from '../config/scans.config';
import { createScansMetrics, SCANS_METRICS } from '../scans-metrics';
import { resolveEncryptionSecret } from './encryption-secret';
import { FindingRepository } from './finding.repository';
import { JobRepository } from './job.repository';
import { ScanRepository } from './scan.repository';
import { TicketRepository } from './ticket.repository';

/** The scans datastore's repositories, the schemas, the credential box and the metrics. */
@Global()
@Module({
  providers: [
    {
      provide: SchemaRegistry,
      useFactory: () => SchemaRegistry.fromDirectory(findSchemasDir() ?? 'schemas'),
    },
    {
      provide: ScanRequestChecker,
      useFactory: (registry: SchemaRegistry, config: ScansConfig) =>
        new ScanRequestChecker(registry, config.kinds),
      inject: [SchemaRegistry, PRODUCT_CONFIG],
    },
    {
      provide: SecretBox,
      useFactory: (config: ScansConfig, log: ProductLog) =>
        new SecretBox(resolveEncryptionSecret(config, log)),
      inject: [PRODUCT_CONFIG, ProductLog],
    },
    {
      provide: JobRepository,
      useFactory: (pool: SqlPool) => new JobRepository(pool),
      inject: [DATABASE],
    },
    {
      provide: ScanRepository,
      useFactory: (pool: SqlPool, jobs: JobRepository) => new ScanRepository(pool, jobs),
      inject: [DATABASE, JobRepository],
    },
    {
      provide: FindingRepository,
      useFactory: (pool: SqlPool, config: ScansConfig) => new FindingRepository(pool, config.sla),
      inject: [DATABASE, PRODUCT_CONFIG],
    },
    {
      provide: TicketRepository,
      useFactory: (pool: SqlPool) => new TicketRepository(pool),
      inject: [DATABASE],
    },
    {
      provide: SCANS_METRICS,
      useFactory: (registry: Registry, jobs: JobRepository) =>
        createScansMetrics(registry, () => jobs.countOpen()),
      inject: [Registry, JobRepository],
    },
  ],
  exports: [
    SchemaRegistry,
    ScanRequestChecker,
    SecretBox,
    JobRepository,
    ScanRepository,
    FindingRepository,
    TicketRepository,
    SCANS_METRICS,
  ],
})
export class ScansStoreModule {}
