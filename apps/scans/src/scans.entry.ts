import type { ServiceEntry } from '@vigil/service-kit';
import { loadScansConfig } from './config/scans.config';
import { startScans } from './scans-app';

/** The scans service, as `main.ts` and the one-command launcher start it. */
export const entry: ServiceEntry = {
  name: 'scans',
  start: (env, log) => startScans(loadScansConfig(env), log),
};
