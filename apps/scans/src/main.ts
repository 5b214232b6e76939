import 'reflect-metadata';
import { runService } from '@vigil/service-kit';
import { entry } from './scans.entry';

/** Entry point: `npx nx serve scans`. */
runService(entry.name, (log) => entry.start(process.env, log));
