import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import {
  ArchiveCatalog,
  ArchiveQueryEngine,
  canLimitQueryMemory,
  openArchiveStorage,
  type ArchiveStorage,
} from '@vigil/archive';
import { PRODUCT_CONFIG, ProductLog } from '@vigil/service-kit';
import type { ArchiveConfig } from './config/archive.config';

/** Nest token of the archive's `ArchiveStorage` (folder or S3). */
export const ARCHIVE_STORAGE = Symbol('vigil:archive-storage');

/** Where the archive lives, its catalog of readable files, and the query engine over it. */
@Global()
@Module({
  providers: [
    {
      provide: ARCHIVE_STORAGE,
      useFactory: (config: ArchiveConfig) => openArchiveStorage(config.storage, config.dataDir),
      inject: [PRODUCT_CONFIG],
    },
    {
      provide: ArchiveCatalog,
      useFactory: (storage: ArchiveStorage) => new ArchiveCatalog(storage),
      inject: [ARCHIVE_STORAGE],
    },
    {
      provide: ArchiveQueryEngine,
      useFactory: (catalog: ArchiveCatalog, config: ArchiveConfig, log: ProductLog) => {
        if (!canLimitQueryMemory()) {
          log.info(
            'prlimit is not on PATH, so archive queries run without an operating-system memory limit (install util-linux)',
          );
        }
        return new ArchiveQueryEngine(catalog, config.query, (line) => log.info(line));
      },
      inject: [ArchiveCatalog, PRODUCT_CONFIG, ProductLog],
    },
  ],
  exports: [ARCHIVE_STORAGE, ArchiveCatalog, ArchiveQueryEngine],
})
export class ArchiveStorageModule implements OnApplicationShutdown {
  constructor(@Inject(ARCHIVE_STORAGE) private readonly storage: ArchiveStorage) {}

  onApplicationShutdown(): void {
    this.storage.close?.();
  }
}
