/** One installed package of an npm lockfile. */
export interface LockedPackage {
  readonly name: string;
  readonly version: string;
}

interface LockfileV1Dependency {
  version?: string;
  dependencies?: Record<string, LockfileV1Dependency>;
}

/**
 * Every installed package of an npm `package-lock.json` (lockfile versions 1, 2 and 3), once per
 * name and version. Throws with a precise reason when the text is not such a lockfile.
 */
export function readNpmLockfile(text: string): LockedPackage[] {
  let lock: unknown;
  try {
    lock = JSON.parse(text);
  } catch (error) {
    throw new Error(`it is not JSON (${(error as Error).message})`);
  }
  if (lock === null || typeof lock !== 'object' || Array.isArray(lock)) {
    throw new Error('it is not an npm lockfile (not a JSON object)');
  }
  const { packages, dependencies } = lock as {
    packages?: Record<string, { version?: string; link?: boolean }>;
    dependencies?: Record<string, LockfileV1Dependency>;
  };
  const found = new Map<string, LockedPackage>();
  if (packages && typeof packages === 'object') {
    fromPackages(packages, found);
  } else if (dependencies && typeof dependencies === 'object') {
    fromDependencies(dependencies, found);
  } else {
    throw new Error('it is not an npm lockfile (no "packages" or "dependencies")');
  }
  return [...found.values()];
}

function fromPackages(
  packages: Record<string, { version?: string; link?: boolean }>,
  found: Map<string, LockedPackage>,
): void {
  for (const [path, entry] of Object.entries(packages)) {
    const index = path.lastIndexOf('node_modules/');
    if (index < 0 || entry?.link || typeof entry?.version !== 'string') {
      continue; // the root project, a workspace link, or an entry without a version
    }
    add(found, path.slice(index + 'node_modules/'.length), entry.version);
  }
}

function fromDependencies(
  dependencies: Record<string, LockfileV1Dependency>,
  found: Map<string, LockedPackage>,
): void {
  for (const [name, entry] of Object.entries(dependencies)) {
    if (typeof entry?.version === 'string') {
      add(found, name, entry.version);
    }
    if (entry?.dependencies && typeof entry.dependencies === 'object') {
      fromDependencies(entry.dependencies, found);
    }
  }
}

function add(found: Map<string, LockedPackage>, name: string, version: string): void {
  found.set(`${name}@${version}`, { name, version });
}
