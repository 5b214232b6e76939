import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

/**
 * What each embedded store runs with. PostgreSQL's default 128 MB of shared buffers cost as much
 * resident memory in every store, and the one-command mode opens four: 16 MB each is plenty for
 * their working sets, the operating system caches the files beneath.
 */
export const EMBEDDED_POSTGRES_CONF = ['shared_buffers = 16MB'];

/**
 * Prepares a folder that holds no store yet. Initdb takes seconds and grows PGlite's WebAssembly
 * memory to ~750 MB, which an instance never gives back. So it runs once per PGlite version, in
 * a short-lived process that then exits, into a template under `node_modules/.cache`; every new
 * store is a copy of that cleanly shut down cluster (a cold copy, as a file-level backup is),
 * and the process that opens it starts at ~150 MB. Where the cache cannot be written, initdb
 * runs in such a process straight into the folder. Resolves once the folder can be opened.
 */
export async function initializeEmbeddedStore(folder: string): Promise<void> {
  if (existsSync(join(folder, 'PG_VERSION'))) {
    return;
  }
  const template = await templateCluster().catch(() => undefined);
  if (!template) {
    await initdbInChildProcess(folder);
    return;
  }
  // Copied beside, then renamed into place: a copy cut short never looks like a store.
  const copy = `${folder}.copy-${randomBytes(4).toString('hex')}`;
  try {
    cpSync(template, copy, { recursive: true });
    renameSync(copy, folder);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

/** The initialised template of this PGlite version and settings, created on first use. */
async function templateCluster(): Promise<string> {
  const pglite = require.resolve('@electric-sql/pglite');
  const modules = pglite.slice(0, pglite.lastIndexOf(`${sep}node_modules${sep}`) + 13);
  const version = (
    JSON.parse(readFileSync(join(modules, '@electric-sql', 'pglite', 'package.json'), 'utf8')) as {
      version: string;
    }
  ).version;
  const settings = Buffer.from(EMBEDDED_POSTGRES_CONF.join(';')).toString('base64url');
  const template = join(modules, '.cache', 'vigil-pglite', `${version}-${settings}`);
  if (existsSync(join(template, 'PG_VERSION'))) {
    return template;
  }
  mkdirSync(dirname(template), { recursive: true });
  const building = `${template}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await initdbInChildProcess(building);
    renameSync(building, template);
  } catch (error) {
    // Another process may have finished the same template first: use theirs.
    rmSync(building, { recursive: true, force: true });
    if (!existsSync(join(template, 'PG_VERSION'))) {
      throw error;
    }
  }
  return template;
}

function initdbInChildProcess(folder: string): Promise<void> {
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
