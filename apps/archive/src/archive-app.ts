import { startProduct, type Announce, type ProductApp } from '@vigil/service-kit';
import { AppModule } from './app.module';
import type { ArchiveConfig } from './config/archive.config';

/** Builds and starts the archive service from a validated configuration. */
export function startArchive(config: ArchiveConfig, announce: Announce): Promise<ProductApp> {
  return startProduct(
    { name: 'archive', title: 'Vigil archive API', config, modules: [AppModule] },
    announce,
  );
}
