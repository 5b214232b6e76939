import { runService } from '@vigil/service-kit';
import { loadScanWorkersConfig } from './config/scan-workers.config';
import { startScanWorkers } from './scan-workers-app';

/** Entry point: `npx nx serve scan-workers`. */
runService('scan-workers', (log) => startScanWorkers(loadScanWorkersConfig(process.env), log));
