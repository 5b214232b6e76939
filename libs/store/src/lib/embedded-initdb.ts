import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What each embedded store runs with. PostgreSQL's default 128 MB of shared buffers cost as much
 * resident memory in every store, and the one-command mode opens four: 16 MB each is plenty for
 * their working sets, the operating system caches the files beneath.
 */
export const EMBEDDED_POSTGRES_CONF = ['shared_buffers = 16MB'];

/**
 * Creates the store's files (initdb) in a short-lived process when the folder holds none yet.
 * Initdb grows PGlite's WebAssembly memory to ~750 MB, which an instance never gives back (nor
 * fully does a worker thread's end): done in a process that then exits, the memory is returned,
 * and this process opens the initialised folder with ~150 MB. Resolves once it can be opened.
 */
export function initializeEmbeddedStore(folder: string): Promise<void> {
  if (existsSync(join(folder, 'PG_VERSION'))) {
    return Promise.resolve();
  }
  const script = `const { PGlite } = require(process.argv[1]);
    PGlite.create(process.argv[2], { postgresqlconf: JSON.parse(process.argv[3]) })
      .then((db) => db.close())
      .catch((error) => { console.error(String(error)); process.exit(1); });`;
  const args = [
    require.resolve('@electric-sql/pglite'),
    folder,
    JSON.stringify(EMBEDDED_POSTGRES_CONF),
  ];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script, ...args], (error, _stdout, stderr) =>
      error
        ? reject(
            new Error(
              `initdb of the embedded store in ${folder} failed: ${stderr || error.message}`,
            ),
          )
        : resolve(),
    );
  });
}
