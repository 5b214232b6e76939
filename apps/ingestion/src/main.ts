import 'reflect-metadata';
import { loadIngestionConfig } from './config/ingestion.config';
import { startIngestion } from './ingestion-app';

/** Entry point: `node dist/apps/ingestion/main.js` or `npx nx serve ingestion`. */
async function main(): Promise<void> {
  const config = loadIngestionConfig(process.env);
  const service = await startIngestion(config, (line) => process.stderr.write(`${line}\n`));
  process.stderr.write(`vigil ingestion listening on ${service.url}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    process.stderr.write(`vigil ingestion: ${signal} received, draining\n`);
    service.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`vigil ingestion: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `vigil ingestion failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
