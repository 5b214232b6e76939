import { startProduct, type Announce, type ProductApp } from '@vigil/service-kit';
import { AppModule } from './app.module';
import type { InsightsConfig } from './config/insights.config';

/** Builds and starts the insights service from a validated configuration. */
export function startInsights(config: InsightsConfig, announce: Announce): Promise<ProductApp> {
  return startProduct(
    { name: 'insights', title: 'Vigil insights API', config, modules: [AppModule] },
    announce,
  );
}
