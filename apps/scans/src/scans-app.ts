import { startProductApp, type ProductApp, type Announce } from '@vigil/service-kit';
import { AppModule } from './app.module';
import type { ScansConfig } from './config/scans.config';
import { ScansRuntime } from './scans-runtime';

/** Builds and starts the scans service from a validated configuration. */
export async function startScans(config: ScansConfig, announce: Announce): Promise<ProductApp> {
  const runtime = await ScansRuntime.start(config, announce);
  return startProductApp({
    runtime,
    module: AppModule.forRuntime(runtime),
    title: 'Vigil scans API',
    host: config.host,
    port: config.port,
  });
}
