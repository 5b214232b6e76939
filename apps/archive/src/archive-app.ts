import { startProductApp, type ProductApp, type Announce } from '@vigil/service-kit';
import { AppModule } from './app.module';
import type { ArchiveConfig } from './config/archive.config';
import { ArchiveRuntime } from './archive-runtime';

/** Builds and starts the archive service from a validated configuration. */
export async function startArchive(config: ArchiveConfig, announce: Announce): Promise<ProductApp> {
  const runtime = await ArchiveRuntime.start(config, announce);
  return startProductApp({
    runtime,
    module: AppModule.forRuntime(runtime),
    title: 'Vigil archive API',
    host: config.host,
    port: config.port,
  });
}
