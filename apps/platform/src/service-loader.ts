import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ServiceEntry } from '@vigil/service-kit';

const load = createRequire(__filename);
const appsDir = join(__dirname, '..', '..');

/**
 * The entry of an app (`apps/<name>/src/<name>.entry.ts`). The launcher is the composition root:
 * it loads each app the way a process manager loads an entry point, at run time, so no project
 * imports an app (module boundaries stay as they are) and every app runs exactly the code it
 * runs alone.
 */
export function loadServiceEntry(name: string): ServiceEntry {
  const module = load(join(appsDir, name, 'src', `${name}.entry`)) as { entry?: ServiceEntry };
  if (!module.entry || typeof module.entry.start !== 'function') {
    throw new Error(`apps/${name}/src/${name}.entry does not export a service entry`);
  }
  return module.entry;
}
