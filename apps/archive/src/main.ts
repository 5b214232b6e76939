import 'reflect-metadata';
import { startArchive, type ArchiveApp } from './archive-app';
import { loadArchiveConfig } from './config/archive.config';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Entry point: `npx nx serve archive`. */
async function main(): Promise<void> {
  const config = loadArchiveConfig(process.env);
  const running: { service?: ArchiveApp } = {};
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log(`vigil archive: ${signal} received, archiving what is buffered`);
    (running.service?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`vigil archive: shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  running.service = await startArchive(config, log);
  log(`vigil archive listening on ${running.service.url}`);
}

main().catch((error: unknown) => {
  log(`vigil archive failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
