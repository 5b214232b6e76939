import { join } from 'node:path';

/**
 * A file or folder shipped in `libs/scanners/fixtures/`: `osv-sample.json` (a small advisory
 * database) and `vulnerable-app/` (a project with a vulnerable dependency and planted secrets),
 * for tests and `vigil demo`.
 */
export function fixturePath(name: string): string {
  return join(__dirname, '..', '..', 'fixtures', name);
}
