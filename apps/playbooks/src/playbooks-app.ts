import { startProductApp, type ProductApp, type Announce } from '@vigil/service-kit';
import { AppModule } from './app.module';
import type { PlaybooksConfig } from './config/playbooks.config';
import { PlaybooksRuntime } from './playbooks-runtime';

/** Builds and starts the playbooks service from a validated configuration. */
export async function startPlaybooks(
  config: PlaybooksConfig,
  announce: Announce,
): Promise<ProductApp> {
  const runtime = await PlaybooksRuntime.start(config, announce);
  return startProductApp({
    runtime,
    module: AppModule.forRuntime(runtime),
    title: 'Vigil playbooks API',
    host: config.host,
    port: config.port,
  });
}
