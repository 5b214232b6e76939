import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixturePath } from '@vigil/scanners';
import {
  createTenant,
  createTestDatabase,
  eventually,
  startNatsServer,
  startService,
  type ServiceProcess,
  type TestDatabase,
  type TestNatsServer,
} from '@vigil/testing';
import { callApi, type ApiAnswer } from '../support/api-call';

/** The operator key of the scans journeys. */
export const OPERATOR_KEY = 'e2e-operator-key-0123456789abcdef0123456789';

/** A scan as `GET /v1/scans/:id` answers it (the fields the journeys read). */
export interface ScanBody {
  id: string;
  state: string;
  jobs: Array<{
    id: string;
    kind: string;
    state: string;
    attempts: number;
    depth: number;
    parentJobId: string | null;
    rule: string | null;
    message: string | null;
    worker: string | null;
    findings: number | null;
  }>;
  findings: { total: number; bySeverity: Record<string, number> };
}

/** A finding as `GET /v1/findings` answers it. */
export interface FindingBody {
  id: string;
  app: string;
  fingerprint: string;
  kind: string;
  severity: string;
  title: string;
  status: string;
  lastScanId: string | null;
  dueAt: string | null;
}

/**
 * The platform a scans journey runs against: a private nats-server, two PostgreSQL databases,
 * ingestion and scans processes, and an artifact root holding a copy of the fixture project.
 */
export class ScansPlatform {
  ingestion!: ServiceProcess;
  scans!: ServiceProcess;
  nats!: TestNatsServer;
  artifactRoot = '';
  env: Record<string, string> = {};
  private platformDb!: TestDatabase;
  private scansDb!: TestDatabase;
  private dataDir = '';
  private readonly extra: ServiceProcess[] = [];

  /** Starts everything; `scansEnv` tunes the scans service (kinds, timeouts). */
  async start(scansEnv: Record<string, string>): Promise<void> {
    this.nats = await startNatsServer();
    this.platformDb = await createTestDatabase();
    this.scansDb = await createTestDatabase();
    this.dataDir = mkdtempSync(join(tmpdir(), 'vigil-scans-e2e-'));
    this.artifactRoot = mkdtempSync(join(tmpdir(), 'vigil-artifacts-'));
    // Workers read a tenant's artifacts from its own folder: this is acme's project.
    cpSync(fixturePath('vulnerable-app'), this.artifactPath('acme', 'shop'), { recursive: true });
    this.env = {
      VIGIL_PORT: '0',
      VIGIL_DATA_DIR: this.dataDir,
      NATS_URL: this.nats.url,
      VIGIL_PLATFORM_DATABASE_URL: this.platformDb.url,
      VIGIL_ADMIN_KEY: OPERATOR_KEY,
      LOG_LEVEL: 'warn',
    };
    this.ingestion = await startService('ingestion', this.env);
    this.scans = await startService('scans', {
      ...this.env,
      VIGIL_SCANS_DATABASE_URL: this.scansDb.url,
      VIGIL_SCANS_SWEEP_INTERVAL: '250ms',
      VIGIL_SCANS_TICKET_POLL: '100ms',
      VIGIL_SCANS_TICKET_RETRY_BASE: '100ms',
      // The test's webhook receivers listen on 127.0.0.1, which the default policy refuses.
      VIGIL_SCANS_TICKET_NETWORKS: 'any',
      ...scansEnv,
    });
  }

  /** Starts a scan-workers process (the built-in tools) against this platform. */
  async startWorkers(env: Record<string, string> = {}): Promise<ServiceProcess> {
    const workers = await startService('scan-workers', {
      ...this.env,
      VIGIL_URL: this.ingestion.url,
      VIGIL_SCANS_ARTIFACT_ROOTS: this.artifactRoot,
      // The journeys' targets listen on loopback, which workers only scan when told to.
      VIGIL_SCANS_ALLOWED_NETWORKS: '127.0.0.0/8,::1/128',
      ...env,
    });
    this.extra.push(workers);
    return workers;
  }

  /** Where a tenant's artifact `ref` lives under the workers' artifact root. */
  artifactPath(tenant: string, ...ref: string[]): string {
    return join(this.artifactRoot, tenant, ...ref);
  }

  /** A tenant's first key (every scope). */
  tenant(name: string): Promise<string> {
    return createTenant(this.ingestion.url, OPERATOR_KEY, name);
  }

  /** Calls the scans API. */
  async call<T>(method: string, path: string, key: string, body?: unknown): Promise<ApiAnswer<T>> {
    return callApi<T>(this.scans.url, key, method, path, body);
  }

  /** Requests a scan and waits until it has ended; returns it. */
  async scanAndWait(
    key: string,
    request: Record<string, unknown>,
    timeoutMs = 40_000,
  ): Promise<ScanBody> {
    const requested = await this.call<{ id: string }>('POST', '/v1/scans', key, request);
    expect(requested.status).toBe(202);
    let scan: ScanBody | undefined;
    await eventually(async () => {
      scan = (await this.call<ScanBody>('GET', `/v1/scans/${requested.json.id}`, key)).json;
      return scan.state !== 'running';
    }, timeoutMs);
    return scan as ScanBody;
  }

  /** The tenant's findings of an application. */
  async findings(key: string, query = 'app=shop'): Promise<FindingBody[]> {
    return (await this.call<{ findings: FindingBody[] }>('GET', `/v1/findings?${query}`, key)).json
      .findings;
  }

  /** Stops every process and removes every database and folder. */
  async stop(): Promise<void> {
    for (const process of this.extra) {
      await process.stop();
    }
    await this.scans?.stop();
    await this.ingestion?.stop();
    await this.nats?.stop();
    await this.platformDb?.drop();
    await this.scansDb?.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
    rmSync(this.artifactRoot, { recursive: true, force: true });
  }
}

/** A CI scan request of the fixture project copied as `shop`. */
export function shopRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    application: 'shop',
    version: '1.4.0',
    commit: 'a1b2c3d4e5f6',
    artifact: { kind: 'directory', ref: 'shop' },
    kinds: ['dependencies', 'secrets'],
    requestedBy: { kind: 'ci', name: 'release pipeline', url: 'https://ci.example.com/runs/42' },
    ...overrides,
  };
}
