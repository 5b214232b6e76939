import type { ServiceEntry } from '@vigil/service-kit';
import { loadArchiveConfig } from './config/archive.config';
import { startArchive } from './archive-app';

/** The archive service, as `main.ts` and the one-command launcher start it. */
export const entry: ServiceEntry = {
  name: 'archive',
  start: (env, log) => startArchive(loadArchiveConfig(env), log),
};
