import { Global, Module } from '@nestjs/common';
import { PlaybookChecker } from '@vigil/playbooks';
import { DATABASE } from '@vigil/service-kit';
import { SchemaRegistry } from '@vigil/signals';
import type { SqlPool } from '@vigil/store';
import { PlaybookCatalog } from '../playbooks/playbook-catalog';
import { AllowlistRepository } from './allowlist.repository';
import { DetectionRepository } from './detection.repository';
import { ListRepository } from './list.repository';
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
    repository(ListRepository),
    {
      provide: PlaybookCatalog,
      useFactory: (playbooks: PlaybookRepository, lists: ListRepository) =>
        new PlaybookCatalog(playbooks, lists),
      inject: [PlaybookRepository, ListRepository],
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
    ListRepository,
    PlaybookCatalog,
    PlaybookChecker,
  ],
})
export class PlaybooksStoreModule {}
