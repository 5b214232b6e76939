import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Finds the workspace's `schemas/` folder by walking up from `start` (default: this file),
 * so source, tests and built code all find the contracts without configuration.
 * Returns `undefined` when no parent holds a `schemas/envelope` folder.
 */
export function findSchemasDir(start: string = __dirname): string | undefined {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'schemas');
    if (existsSync(join(candidate, 'envelope'))) {
      return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      return undefined;
    }
    dir = parent;
  }
}
