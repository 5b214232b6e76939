import 'reflect-metadata';
import { runService } from '@vigil/service-kit';
import { entry } from './playbooks.entry';

/** Entry point: `npx nx serve playbooks`. */
runService(entry.name, (log) => entry.start(process.env, log));
