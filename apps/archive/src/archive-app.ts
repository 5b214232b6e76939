import { startProductApp } from '@vigil/service-kit';
import { AppModule } from './app.module';
import type { ArchiveConfig } from './config/archive.config';
import { ArchiveRuntime, type Announce } from './archive-runtime';

/** A running archive service. */
export interface ArchiveApp {
  readonly runtime: ArchiveRuntime;
  readonly url: string;
  close(): Promise<void>;
}

/** Builds and starts the archive service from a validated configuration. */
export async function startArchive(config: ArchiveConfig, announce: Announce): Promise<ArchiveApp> {
  const runtime = await ArchiveRuntime.start(config, announce);
  try {
    const app = await startProductApp({
      module: AppModule.forRuntime(runtime),
      title: 'Vigil archive API',
      host: config.host,
      port: config.port,
      verifier: runtime.verifier,
    });
    return {
      runtime,
      url: app.url,
      close: async () => {
        await app.close();
        await runtime.close();
      },
    };
  } catch (error) {
    await runtime.close();
    throw error;
  }
}
