import { startProductApp } from '@vigil/service-kit';
import { AppModule } from './app.module';
import type { PlaybooksConfig } from './config/playbooks.config';
import { PlaybooksRuntime, type Announce } from './playbooks-runtime';

/** A running playbooks service. */
export interface PlaybooksApp {
  readonly runtime: PlaybooksRuntime;
  readonly url: string;
  close(): Promise<void>;
}

/** Builds and starts the playbooks service from a validated configuration. */
export async function startPlaybooks(
  config: PlaybooksConfig,
  announce: Announce,
): Promise<PlaybooksApp> {
  const runtime = await PlaybooksRuntime.start(config, announce);
  try {
    const app = await startProductApp({
      module: AppModule.forRuntime(runtime),
      title: 'Vigil playbooks API',
      host: config.host,
      port: config.port,
      verifier: runtime.verifier,
    });
    return {
      runtime,
      url: app.url,
      close: async () => {
        // Event streams never end on their own: end them first, or the server waits for them.
        runtime.feed.close();
        await app.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
