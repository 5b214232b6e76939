import 'reflect-metadata';
import { runService } from '@vigil/service-kit';
import { loadScansConfig } from './config/scans.config';
import { startScans } from './scans-app';

/** Entry point: `npx nx serve scans`. */
runService('scans', (log) => startScans(loadScansConfig(process.env), log));
