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

/** Where the archive lives, and the query engine over it. */
@Global()
@Module({
  providers: [
    {
      provide: ARCHIVE_STORAGE,
      useFactory: (config: ArchiveConfig) => openArchiveStorage(config.storage, config.dataDir),
      inject: [PRODUCT_CONFIG],
    },
    {
      provide: ArchiveQueryEngine,
      useFactory: (storage: ArchiveStorage, config: ArchiveConfig, log: ProductLog) => {
        if (!canLimitQueryMemory()) {
          log.info(
            'prlimit is not on PATH, so archive queries run without an operating-system memory limit (install util-linux)',
          );
        }
        return new ArchiveQueryEngine(new ArchiveCatalog(storage), config.query, (line) =>
          log.info(line),
        );
      },
      inject: [ARCHIVE_STORAGE, PRODUCT_CONFIG, ProductLog],
    },
  ],
  exports: [ARCHIVE_STORAGE, ArchiveQueryEngine],
})
export class ArchiveStorageModule implements OnApplicationShutdown {
  constructor(@Inject(ARCHIVE_STORAGE) private readonly storage: ArchiveStorage) {}

  onApplicationShutdown(): void {
    this.storage.close?.();
  }
}
