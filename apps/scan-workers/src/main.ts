import { runService } from '@vigil/service-kit';
import { entry } from './scan-workers.entry';

/** Entry point: `npx nx serve scan-workers`. */
runService(entry.name, (log) => entry.start(process.env, log));
