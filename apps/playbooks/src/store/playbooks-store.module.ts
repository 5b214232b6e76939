import { Global, Module } from '@nestjs/common';
import { PlaybookChecker } from '@vigil/playbooks';
import { DATABASE } from '@vigil/service-kit';
import { SchemaRegistry } from '@vigil/signals';
import type { SqlPool } from '@vigil/store';
import { PlaybookCatalog } from '../playbooks/playbook-catalog';
import { AllowlistRepository } from './allowlist.repository';
import { DetectionRepository } from './detection.repository';
import { PlaybookRepository } from './playbook.repository';
import { ResponseRepository } from './response.repository';

const repository = <T>(type: new (pool: SqlPool) => T) => ({
  provide: type,
  useFactory: (pool: SqlPool) => new type(pool),
  inject: [DATABASE],
});

/** The playbooks datastore's repositories, the tenant playbook catalog and the schemas. */
@Global()
@Module({
  providers: [
    repository(PlaybookRepository),
    repository(DetectionRepository),
    repository(ResponseRepository),
    repository(AllowlistRepository),
    {
      provide: PlaybookCatalog,
      useFactory: (playbooks: PlaybookRepository) => new PlaybookCatalog(playbooks),
      inject: [PlaybookRepository],
    },
    {
      provide: PlaybookChecker,
      useFactory: (schemas: SchemaRegistry) => new PlaybookChecker(schemas),
      inject: [SchemaRegistry],
    },
  ],
  exports: [
    PlaybookRepository,
    DetectionRepository,
    ResponseRepository,
    AllowlistRepository,
    PlaybookCatalog,
    PlaybookChecker,
  ],
})
export class PlaybooksStoreModule {}
