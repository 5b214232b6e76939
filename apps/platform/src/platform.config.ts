import { join, resolve } from 'node:path';
import { EnvParser, type NatsCredentials } from '@vigil/config';
import { EMBEDDED_SCHEME } from '@vigil/store';

/** A product datastore: the URL the product gets, and where it came from. */
export interface DatastoreChoice {
  /** The variable that sets it (named in errors). */
  readonly variable: string;
  readonly url: string;
  /** True when no URL was set and the embedded store under the data folder is used. */
  readonly embedded: boolean;
}

/** What the one-command launcher reads from its environment. */
export interface PlatformConfig {
  readonly host: string;
  readonly port: number;
  readonly dataDir: string;
  /** A NATS server to use; when unset, a local nats-server is started. */
  readonly natsUrl: string | undefined;
  /** Credentials and TLS for the bus at `natsUrl` (see `EnvParser.natsCredentials`). */
  readonly natsCredentials: NatsCredentials | undefined;
  /** The nats-server binary to start (a path, or a name looked up on PATH). */
  readonly natsServer: string;
  readonly datastores: {
    readonly platform: DatastoreChoice;
    readonly playbooks: DatastoreChoice;
    readonly insights: DatastoreChoice;
    readonly scans: DatastoreChoice;
  };
  /** Name of the tenant created on first start. */
  readonly firstTenant: string;
}

/** Builds the configuration; throws a `ConfigError` listing every bad key. */
export function loadPlatformConfig(env: NodeJS.ProcessEnv): PlatformConfig {
  const read = new EnvParser(env);
  const dataDir = resolve(read.string('VIGIL_DATA_DIR', './.vigil'));
  const store = (variable: string, name: string): DatastoreChoice => {
    const url = read.optional(variable);
    return url
      ? { variable, url, embedded: false }
      : { variable, url: `${EMBEDDED_SCHEME}${join(dataDir, 'db', name)}`, embedded: true };
  };
  const config: PlatformConfig = {
    host: read.string('VIGIL_HOST', '127.0.0.1'),
    port: read.integer('VIGIL_PORT', 8080, 1, 65535),
    dataDir,
    natsUrl: read.optional('NATS_URL'),
    natsCredentials: read.natsCredentials(),
    natsServer: read.string('VIGIL_NATS_SERVER', 'nats-server'),
    datastores: {
      platform: store('VIGIL_PLATFORM_DATABASE_URL', 'platform'),
      playbooks: store('VIGIL_PLAYBOOKS_DATABASE_URL', 'playbooks'),
      insights: store('VIGIL_INSIGHTS_DATABASE_URL', 'insights'),
      scans: store('VIGIL_SCANS_DATABASE_URL', 'scans'),
    },
    firstTenant: read.string('VIGIL_TENANT', 'default'),
  };
  read.assertValid('vigil');
  return config;
}
