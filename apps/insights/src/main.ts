import 'reflect-metadata';
import { runService } from '@vigil/service-kit';
import { entry } from './insights.entry';

/** Entry point: `npx nx serve insights`. */
runService(entry.name, (log) => entry.start(process.env, log));
