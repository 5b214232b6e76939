import { startProduct, type Announce, type ProductApp } from '@vigil/service-kit';
import { AppModule } from './app.module';
import type { PlaybooksConfig } from './config/playbooks.config';
import { PLAYBOOKS_MIGRATIONS } from './store/playbooks-migrations';

/** Builds and starts the playbooks service from a validated configuration. */
export function startPlaybooks(config: PlaybooksConfig, announce: Announce): Promise<ProductApp> {
  return startProduct(
    {
      name: 'playbooks',
      title: 'Vigil playbooks API',
      config,
      database: {
        url: config.databaseUrl,
        component: 'playbooks',
        migrations: PLAYBOOKS_MIGRATIONS,
        outbox: true,
      },
      modules: [AppModule],
      readinessNames: { store: 'database' },
    },
    announce,
  );
}
