import { join, resolve } from 'node:path';
import { EnvParser, type NatsCredentials } from '@vigil/config';
import { BUILT_IN_SCAN_KINDS } from '@vigil/scans';
import { fixturePath } from '@vigil/scanners';

/** Everything the scanner workers read from their environment, validated once at boot. */
export interface ScanWorkersConfig {
  readonly host: string;
  /** Health and metrics. */
  readonly port: number;
  readonly natsUrl: string;
  readonly natsCredentials: NatsCredentials | undefined;
  /** Ingestion, where findings are published. */
  readonly ingestUrl: string;
  /** Built-in tools to run in this process. */
  readonly kinds: readonly string[];
  readonly concurrency: number;
  readonly jobTimeoutMs: number;
  /** Folders that hold the artifacts scans may read; nothing outside them is read. */
  readonly artifactRoots: readonly string[];
  /** OSV advisory database (JSON) for `dependencies`. */
  readonly advisoriesFile: string;
  readonly advisoriesIsSample: boolean;
  /** Networks `ports` and `http-headers` may probe (CIDR list). */
  readonly allowedNetworks: readonly string[];
}

/** Builds the configuration from `env`; throws a `ConfigError` listing every bad key. */
export function loadScanWorkersConfig(env: NodeJS.ProcessEnv): ScanWorkersConfig {
  const read = new EnvParser(env);
  const dataDir = resolve(read.string('VIGIL_DATA_DIR', './.vigil'));
  const kinds =
    env['VIGIL_SCAN_WORKER_KINDS'] === undefined
      ? [...BUILT_IN_SCAN_KINDS]
      : read.list('VIGIL_SCAN_WORKER_KINDS');
  const unknown = kinds.filter(
    (kind) => !(BUILT_IN_SCAN_KINDS as readonly string[]).includes(kind),
  );
  if (unknown.length > 0 || kinds.length === 0) {
    read.fail(
      `VIGIL_SCAN_WORKER_KINDS must list built-in scan kinds (${BUILT_IN_SCAN_KINDS.join(', ')}); unknown: ${unknown.join(', ')}`,
    );
  }
  const advisories = read.optional('VIGIL_SCANS_ADVISORIES');
  const roots = read.list('VIGIL_SCANS_ARTIFACT_ROOTS');
  const config: ScanWorkersConfig = {
    host: read.string('VIGIL_HOST', '127.0.0.1'),
    port: read.integer('VIGIL_PORT', 8085, 0, 65535),
    natsUrl: read.string('NATS_URL', 'nats://127.0.0.1:4222'),
    natsCredentials: read.natsCredentials(),
    ingestUrl: read.string('VIGIL_URL', 'http://127.0.0.1:8080'),
    kinds,
    concurrency: read.integer('VIGIL_SCAN_WORKER_CONCURRENCY', 2, 1, 64),
    jobTimeoutMs: read.duration('VIGIL_SCAN_JOB_TIMEOUT', '10m'),
    artifactRoots:
      roots.length > 0 ? roots.map((root) => resolve(root)) : [join(dataDir, 'artifacts')],
    advisoriesFile: advisories ? resolve(advisories) : fixturePath('osv-sample.json'),
    advisoriesIsSample: advisories === undefined,
    // Nothing by default: a tenant must never probe the platform's own host or network.
    allowedNetworks: read.list('VIGIL_SCANS_ALLOWED_NETWORKS'),
  };
  read.assertValid('vigil scan-workers');
  return config;
}
