import { startProductApp, type ProductApp, type Announce } from '@vigil/service-kit';
import { AppModule } from './app.module';
import type { InsightsConfig } from './config/insights.config';
import { InsightsRuntime } from './insights-runtime';

/** Builds and starts the insights service from a validated configuration. */
export async function startInsights(
  config: InsightsConfig,
  announce: Announce,
): Promise<ProductApp> {
  const runtime = await InsightsRuntime.start(config, announce);
  return startProductApp({
    runtime,
    module: AppModule.forRuntime(runtime),
    title: 'Vigil insights API',
    host: config.host,
    port: config.port,
  });
}
