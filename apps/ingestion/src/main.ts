import 'reflect-metadata';
import { loadIngestionConfig } from './config/ingestion.config';
import { startIngestion, type IngestionApp } from './ingestion-app';
import { isPrimary, reportListening, superviseWorkers } from './worker-supervisor';

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

/** Entry point: `node dist/apps/ingestion/main.js` or `npx nx serve ingestion`. */
async function main(): Promise<void> {
  const config = loadIngestionConfig(process.env);
  if (config.workers > 1 && isPrimary()) {
    superviseWorkers({ workers: config.workers, initialHeapMb: config.workerInitialHeapMb }, log);
    return;
  }
  // Signal handlers come first: whoever waits for "listening on" may stop the service at once.
  const running: { service?: IngestionApp } = {};
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    log(`vigil ingestion: ${signal} received, draining`);
    (running.service?.close() ?? Promise.resolve()).then(
      () => process.exit(0),
      (error: unknown) => {
        log(`vigil ingestion: shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const service = await startIngestion(config, log);
  running.service = service;
  if (stopping) {
    await service.close();
    return;
  }
  if (config.workers > 1) {
    reportListening(service.url);
  } else {
    log(`vigil ingestion listening on ${service.url}`);
  }
}

main().catch((error: unknown) => {
  log(`vigil ingestion failed to start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
