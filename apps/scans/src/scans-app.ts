import { startProduct, type Announce, type ProductApp } from '@vigil/service-kit';
import { AppModule } from './app.module';
import type { ScansConfig } from './config/scans.config';
import { SCANS_MIGRATIONS } from './store/scans-migrations';

/** Builds and starts the scans service from a validated configuration. */
export function startScans(config: ScansConfig, announce: Announce): Promise<ProductApp> {
  return startProduct(
    {
      name: 'scans',
      title: 'Vigil scans API',
      config,
      database: {
        url: config.databaseUrl,
        component: 'scans',
        migrations: SCANS_MIGRATIONS,
        outbox: true,
      },
      modules: [AppModule],
    },
    announce,
  );
}
