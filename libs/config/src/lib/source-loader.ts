import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The Node flags a child process or worker thread needs to run `entryFile`. Built output needs
 * none; from source (development, tests) the entry is TypeScript and needs the workspace's hook,
 * unless `NODE_OPTIONS` already carries it (a service started by tools/scripts/run-ts.js).
 */
export function sourceLoaderArgs(entryFile: string): string[] {
  if (!entryFile.endsWith('.ts') || (process.env['NODE_OPTIONS'] ?? '').includes('register-ts')) {
    return [];
  }
  for (let dir = dirname(entryFile); dir !== dirname(dir); dir = dirname(dir)) {
    const hook = join(dir, 'tools', 'scripts', 'register-ts.js');
    if (existsSync(hook)) {
      return ['--require', hook];
    }
  }
  return [];
}
