import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** Where the fixtures are: beside the sources, or beside a bundle that copied them (the CLI). */
const FOLDERS = [join(__dirname, '..', '..', 'fixtures'), join(__dirname, 'fixtures')];

/**
 * A file or folder shipped in `libs/scanners/fixtures/`: `osv-sample.json` (a small advisory
 * database) and `vulnerable-app/` (a project with a vulnerable dependency and planted secrets),
 * for tests and `vigil demo`.
 */
export function fixturePath(name: string): string {
  const folder = FOLDERS.find((candidate) => existsSync(candidate)) ?? (FOLDERS[0] as string);
  return join(folder, name);
}
