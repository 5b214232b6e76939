import 'reflect-metadata';
import { runService } from '@vigil/service-kit';
import { loadPlaybooksConfig } from './config/playbooks.config';
import { startPlaybooks } from './playbooks-app';

/** Entry point: `npx nx serve playbooks`. */
runService('playbooks', (log) => startPlaybooks(loadPlaybooksConfig(process.env), log));
