/**
 * @vigil/scanners — the scanner tools Vigil ships, free of bus and framework code: reading
 * artifacts safely (directories, tar archives), npm dependencies against OSV advisories (from
 * `@vigil/advisories`), committed secrets, TCP ports and HTTP security headers. Workers wrap them (see `@vigil/scan-worker`).
 */
export {
  ArtifactSource,
  DEFAULT_ARTIFACT_LIMITS,
  type ArtifactFile,
  type ArtifactLimits,
  type ReadStats,
} from './lib/artifact/artifact-source';
export { readNpmLockfile, type LockedPackage } from './lib/dependencies/npm-lockfile';
export { DEPENDENCY_TOOL, DependencyScanner } from './lib/dependencies/dependency-scanner';
export { SECRET_RULES, shannonEntropy, type SecretRule } from './lib/secrets/secret-rules';
export { ALLOW_MARKER, SECRET_TOOL, SecretScanner } from './lib/secrets/secret-scanner';
export { TargetPolicy } from './lib/network/target-policy';
export { PORT_TOOL, PortScanner, type PortScanOptions } from './lib/network/port-scanner';
export { HEADER_TOOL, HeaderChecker } from './lib/network/header-checker';
export { fixturePath } from './lib/fixtures';
