import 'reflect-metadata';
import { runService } from '@vigil/service-kit';
import { entry } from './archive.entry';

/** Entry point: `npx nx serve archive`. */
runService(entry.name, (log) => entry.start(process.env, log));
