import type { ServiceEntry } from '@vigil/service-kit';
import { loadScanWorkersConfig } from './config/scan-workers.config';
import { startScanWorkers } from './scan-workers-app';

/** The built-in scanner workers, as `main.ts` and the one-command launcher start them. */
export const entry: ServiceEntry = {
  name: 'scan-workers',
  start: (env, log) => startScanWorkers(loadScanWorkersConfig(env), log),
};
