import {
  fingerprintOf,
  JobFailure,
  type FindingDraft,
  type JobInput,
  type ToolResult,
} from '@vigil/scans';
import type { ArtifactSource } from '../artifact/artifact-source';
import { readNpmLockfile, type LockedPackage } from './npm-lockfile';
import type { AdvisoryMatch, OsvDatabase } from '@vigil/advisories';

const LOCKFILE = 'package-lock.json';

/** Tool identity on the findings it publishes. */
export const DEPENDENCY_TOOL = { name: 'vigil-dependencies', version: '1.0.0' };

/**
 * The `dependencies` scan: reads every `package-lock.json` of the artifact (outside
 * `node_modules`) and reports each installed package version that an advisory of the local OSV
 * database affects.
 */
export class DependencyScanner {
  constructor(
    private readonly artifacts: ArtifactSource,
    private readonly advisories: OsvDatabase,
  ) {}

  /** Scans the job's artifact; a missing artifact or lockfile fails the job with the reason. */
  async scan(tenant: string, input: JobInput): Promise<ToolResult> {
    if (!input.artifact) {
      throw new JobFailure('a dependencies scan needs an artifact');
    }
    const lockfiles: Array<{ path: string; packages: LockedPackage[] }> = [];
    await this.artifacts.read(
      tenant,
      input.artifact,
      (path) => path === LOCKFILE || path.endsWith(`/${LOCKFILE}`),
      (file) =>
        lockfiles.push({ path: file.path, packages: parseLockfile(file.path, file.content) }),
    );
    if (lockfiles.length === 0) {
      throw new JobFailure(`the artifact "${input.artifact.ref}" has no ${LOCKFILE}`);
    }
    const findings = new Map<string, FindingDraft>();
    for (const { path, packages } of lockfiles) {
      for (const pkg of packages) {
        for (const match of this.advisories.match(pkg.name, pkg.version)) {
          const finding = toFinding(path, pkg, match);
          findings.set(finding.fingerprint, finding);
        }
      }
    }
    return { findings: [...findings.values()] };
  }
}

function parseLockfile(path: string, content: Buffer): LockedPackage[] {
  try {
    return readNpmLockfile(content.toString('utf8'));
  } catch (error) {
    throw new JobFailure(`${path} cannot be read: ${(error as Error).message}`);
  }
}

function toFinding(file: string, pkg: LockedPackage, match: AdvisoryMatch): FindingDraft {
  const identifiers = [match.id, ...match.aliases].slice(0, 32).map((value) => ({
    type: identifierType(value),
    value: value.slice(0, 128),
  }));
  return {
    fingerprint: fingerprintOf('dependencies', 'npm', pkg.name, pkg.version, match.id),
    tool: DEPENDENCY_TOOL,
    kind: 'dependencies',
    severity: match.severity,
    title: `${pkg.name}@${pkg.version}: ${match.summary}`.slice(0, 256),
    description: remediation(pkg, match).slice(0, 8192),
    location: {
      file,
      package: {
        ecosystem: 'npm',
        name: pkg.name.slice(0, 214),
        version: pkg.version.slice(0, 64),
        ...(match.fixedIn ? { fixedIn: match.fixedIn.slice(0, 64) } : {}),
      },
    },
    identifiers,
    references: match.references.filter((url) => url.length <= 2048).slice(0, 32),
  };
}

function remediation(pkg: LockedPackage, match: AdvisoryMatch): string {
  const fix = match.fixedIn
    ? `Upgrade ${pkg.name} to ${match.fixedIn} or later.`
    : 'No fixed version is known; consider replacing the package.';
  return match.details ? `${match.details}\n\n${fix}` : fix;
}

function identifierType(value: string): 'cve' | 'ghsa' | 'osv' {
  if (value.startsWith('CVE-')) {
    return 'cve';
  }
  return value.startsWith('GHSA-') ? 'ghsa' : 'osv';
}
