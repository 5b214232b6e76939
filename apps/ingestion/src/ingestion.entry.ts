import type { ServiceEntry } from '@vigil/service-kit';
import { loadIngestionConfig } from './config/ingestion.config';
import { startIngestion } from './ingestion-app';

/**
 * Ingestion in the calling process, as the one-command launcher starts it (one process:
 * `VIGIL_INGESTION_WORKERS` is for `main.ts`, which supervises worker processes).
 */
export const entry: ServiceEntry = {
  name: 'ingestion',
  start: (env, log) => startIngestion({ ...loadIngestionConfig(env), workers: 1 }, log),
};
