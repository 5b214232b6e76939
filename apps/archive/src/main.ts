import 'reflect-metadata';
import { runService } from '@vigil/service-kit';
import { startArchive } from './archive-app';
import { loadArchiveConfig } from './config/archive.config';

/** Entry point: `npx nx serve archive`. */
runService('archive', (log) => startArchive(loadArchiveConfig(process.env), log));
