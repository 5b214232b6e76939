import type { ServiceEntry } from '@vigil/service-kit';
import { loadPlaybooksConfig } from './config/playbooks.config';
import { startPlaybooks } from './playbooks-app';

/** The playbooks service, as `main.ts` and the one-command launcher start it. */
export const entry: ServiceEntry = {
  name: 'playbooks',
  start: (env, log) => startPlaybooks(loadPlaybooksConfig(env), log),
};
