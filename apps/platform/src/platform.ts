import { join } from 'node:path';
import { describeDatabase } from '@vigil/store';
import { ensureFirstTenant } from './first-tenant';
import { startGateway, type Gateway } from './gateway';
import { internalPort } from './internal-port';
import { startLocalNats, type LocalNats } from './local-nats';
import type { PlatformConfig } from './platform.config';
import { preflight, redact } from './preflight';
import { startServiceProcess, type SupervisedService } from './service-process';

/**
 * Signals per second one tenant may send to the one-command platform: what it digests end to
 * end on two cores (bench:platform); the consumer-lag limit (10 s of this rate) keeps the whole
 * within capacity when several tenants send at once.
 */
const ONE_COMMAND_RATE = 4_000;

/** The products started after ingestion (which provisions the streams and the platform store). */
const PRODUCTS = ['archive', 'playbooks', 'insights', 'scans'] as const;

/** The whole platform running in this process. */
export interface RunningPlatform {
  readonly url: string;
  /** Seconds from the process start to ready. */
  readonly startupSeconds: number;
  close(): Promise<void>;
}

/**
 * Starts the whole platform on this machine: checks, the bus (a local nats-server unless
 * `NATS_URL`), then ingestion, every product and the scanner workers each in a process of its
 * own (so they use every core and no embedded store blocks another product's event loop), one
 * gateway port, and the first tenant. Stops what it started if anything fails.
 */
export async function startPlatform(
  config: PlatformConfig,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
): Promise<RunningPlatform> {
  await preflight(config);
  const started: Array<{ name: string; service: SupervisedService }> = [];
  let nats: LocalNats | undefined;
  let gateway: Gateway | undefined;
  const close = async () => {
    await gateway?.close();
    for (const { service } of [...started].reverse()) {
      await service
        .close()
        .catch((error: unknown) => log(`vigil: stopping a service failed: ${String(error)}`));
    }
    await nats?.stop();
  };
  try {
    nats = config.natsUrl
      ? undefined
      : await startLocalNats(config.natsServer, config.dataDir, log);
    const natsUrl = config.natsUrl ?? nats?.url ?? '';
    const base = { ...serviceEnv(config, env, natsUrl), ...busCredentialsEnv(nats) };
    const start = async (name: string, extra: Record<string, string> = {}, chosenPort?: number) => {
      const port = String(chosenPort ?? (await internalPort('127.0.0.1')));
      const service = await startServiceProcess({
        name,
        env: { ...base, ...extra, VIGIL_PORT: port },
        embeddedStore: embeddedStoreOf(name, config, env),
        log,
      });
      started.push({ name, service });
      return service;
    };
    const ingestion = await start('ingestion', { VIGIL_TRUSTED_PROXIES: '127.0.0.1' });
    // Playbooks backtests read the archive through its API: its port is chosen first, so the
    // products still start side by side.
    const archivePort = await internalPort('127.0.0.1');
    const archiveUrl = `http://127.0.0.1:${archivePort}`;
    await Promise.all(
      PRODUCTS.map((name) =>
        name === 'archive'
          ? start(name, {}, archivePort)
          : start(name, name === 'playbooks' ? { VIGIL_ARCHIVE_URL: archiveUrl } : {}),
      ),
    );
    await start('scan-workers', { VIGIL_URL: ingestion.url });
    const urls = started.map(({ name, service }): [string, string] => [name, service.url]);
    // Scanner workers have no public API: the gateway reaches only their /metrics.
    const isWorker = ([name]: [string, string]) => name === 'scan-workers';
    gateway = await startGateway(
      config.host,
      config.port,
      new Map(urls.filter((entry) => !isWorker(entry))),
      new Map(urls.filter(isWorker)),
    );
    describeData(config, env, natsUrl, nats, log);
    await ensureFirstTenant(
      ingestion.url,
      config.dataDir,
      config.firstTenant,
      env['VIGIL_ADMIN_KEY'],
      log,
    );
    return { url: gateway.url, startupSeconds: process.uptime(), close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** The embedded store a service owns, if it uses one: its process opens it before starting. */
function embeddedStoreOf(
  name: string,
  config: PlatformConfig,
  env: NodeJS.ProcessEnv,
): string | undefined {
  const stores = config.datastores;
  const store = {
    ingestion: stores.platform,
    playbooks: stores.playbooks,
    insights: env['OPENSEARCH_URL'] ? undefined : stores.insights,
    scans: stores.scans,
  }[name];
  return store?.embedded ? store.url : undefined;
}

/** The environment every service reads: internal ports, the bus, each datastore. */
function serviceEnv(
  config: PlatformConfig,
  env: NodeJS.ProcessEnv,
  natsUrl: string,
): NodeJS.ProcessEnv {
  return {
    ...env,
    LOG_LEVEL: env['LOG_LEVEL'] ?? 'warn',
    VIGIL_HOST: '127.0.0.1',
    VIGIL_DATA_DIR: config.dataDir,
    NATS_URL: natsUrl,
    VIGIL_PLATFORM_DATABASE_URL: config.datastores.platform.url,
    VIGIL_PLAYBOOKS_DATABASE_URL: config.datastores.playbooks.url,
    VIGIL_INSIGHTS_DATABASE_URL: config.datastores.insights.url,
    VIGIL_SCANS_DATABASE_URL: config.datastores.scans.url,
    VIGIL_SCANS_ARTIFACT_ROOTS:
      env['VIGIL_SCANS_ARTIFACT_ROOTS'] ?? join(config.dataDir, 'artifacts'),
    ...overloadDefaults(env),
  };
}

/**
 * Limits sized to what this deployment carries on a 2-core machine (docs/performance.md,
 * bench:platform): a tenant may use about all of it, and ingestion refuses signals (503,
 * Retry-After) once a product has ~10 s of work waiting, instead of letting latency grow.
 * Distributed deployments keep ingestion's own defaults; a variable set by the user wins.
 */
function overloadDefaults(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const rateSet =
    env['VIGIL_RATE_LIMIT_PER_INSTANCE_PER_SECOND'] ?? env['VIGIL_RATE_LIMIT_PER_SECOND'];
  const burstSet = env['VIGIL_RATE_LIMIT_PER_INSTANCE_BURST'] ?? env['VIGIL_RATE_LIMIT_BURST'];
  return {
    ...(rateSet ? {} : { VIGIL_RATE_LIMIT_PER_INSTANCE_PER_SECOND: String(ONE_COMMAND_RATE) }),
    ...(burstSet ? {} : { VIGIL_RATE_LIMIT_PER_INSTANCE_BURST: String(ONE_COMMAND_RATE * 5) }),
    VIGIL_INGEST_MAX_CONSUMER_LAG:
      env['VIGIL_INGEST_MAX_CONSUMER_LAG'] ?? String(ONE_COMMAND_RATE * 10),
  };
}

/** The local bus's generated credentials for the services; an external bus's come from `env`. */
function busCredentialsEnv(nats: LocalNats | undefined): NodeJS.ProcessEnv {
  return nats ? { NATS_USER: nats.credentials.user, NATS_PASSWORD: nats.credentials.pass } : {};
}

function describeData(
  config: PlatformConfig,
  env: NodeJS.ProcessEnv,
  natsUrl: string,
  nats: LocalNats | undefined,
  log: (line: string) => void,
): void {
  const stores = config.datastores;
  const openSearch = env['OPENSEARCH_URL'];
  const lines = [
    `bus        ${nats ? `local nats-server ${natsUrl}, data in ${nats.storeDir}` : `NATS at ${natsUrl}`}`,
    `ingestion  tenants and API keys in ${describeDatabase(stores.platform.url)}`,
    `archive    Parquet files in ${env['VIGIL_ARCHIVE_DIR'] ?? join(config.dataDir, 'archive')}`,
    `playbooks  ${describeDatabase(stores.playbooks.url)}`,
    `insights   ${openSearch ? `OpenSearch at ${redact(openSearch)}` : describeDatabase(stores.insights.url)}`,
    `scans      ${describeDatabase(stores.scans.url)}; artifacts read from ${artifactRoots(config, env)}`,
  ];
  log(`vigil: where the data lives\n${lines.map((line) => `  ${line}`).join('\n')}`);
}

/** Where the scanner workers read artifacts: `VIGIL_SCANS_ARTIFACT_ROOTS`, else `<data>/artifacts`. */
function artifactRoots(config: PlatformConfig, env: NodeJS.ProcessEnv): string {
  return env['VIGIL_SCANS_ARTIFACT_ROOTS'] ?? join(config.dataDir, 'artifacts');
}
