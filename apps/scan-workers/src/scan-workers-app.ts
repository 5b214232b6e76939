import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import { connectBus, pingBus, type NatsConnection } from '@vigil/bus';
import { ScanWorker } from '@vigil/scan-jobs';
import type { RunningService } from '@vigil/service-kit';
import { builtInTools } from './built-in-tools';
import type { ScanWorkersConfig } from './config/scan-workers.config';

/**
 * Starts one worker per configured kind on one NATS connection, and a small HTTP server for
 * `/healthz`, `/readyz` (NATS reachable) and `/metrics`. Closing stops taking jobs; jobs in hand
 * are handed back to the queue.
 */
export async function startScanWorkers(
  config: ScanWorkersConfig,
  log: (line: string) => void,
): Promise<RunningService> {
  const tools = builtInTools(config);
  if (config.advisoriesIsSample && tools.has('dependencies')) {
    log(
      'vigil scan-workers: dependencies use the small sample advisory database; set VIGIL_SCANS_ADVISORIES to an OSV export',
    );
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const attempts = new Counter({
    name: 'vigil_scan_worker_attempts_total',
    help: 'Job attempts, by kind and outcome',
    labelNames: ['kind', 'outcome'],
    registers: [registry],
  });
  const nc = await connectBus({
    servers: config.natsUrl,
    name: 'vigil-scan-workers',
    credentials: config.natsCredentials,
  });
  const workers: ScanWorker[] = [];
  try {
    for (const [kind, { tool, handler }] of tools) {
      const options = {
        kind,
        tool,
        ingestUrl: config.ingestUrl,
        concurrency: config.concurrency,
        jobTimeoutMs: config.jobTimeoutMs,
        log,
        onAttempt: (outcome: string) => attempts.inc({ kind, outcome }),
      };
      workers.push(await ScanWorker.start(nc, options, handler));
    }
    log(
      `vigil scan-workers: running ${[...tools.keys()].join(', ')}; artifacts from ${config.artifactRoots.join(', ')}`,
    );
    const server = await serveHealth(config, nc, registry);
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://${config.host}:${port}`,
      close: async () => {
        server.close();
        await Promise.all(workers.map((worker) => worker.stop()));
        await nc.drain().catch(() => undefined);
      },
    };
  } catch (error) {
    await Promise.all(workers.map((worker) => worker.stop()));
    await nc.close();
    throw error;
  }
}

function serveHealth(
  config: ScanWorkersConfig,
  nc: NatsConnection,
  registry: Registry,
): Promise<Server> {
  const server = createServer((request, response) => {
    void answer(request.url ?? '/', nc, registry).then(({ status, type, body }) => {
      response.writeHead(status, { 'content-type': type });
      response.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve(server));
  });
}

async function answer(
  path: string,
  nc: NatsConnection,
  registry: Registry,
): Promise<{ status: number; type: string; body: string }> {
  if (path === '/healthz') {
    return { status: 200, type: 'application/json', body: '{"status":"ok"}' };
  }
  if (path === '/readyz') {
    const bus = await pingBus(nc).then(
      () => true,
      () => false,
    );
    return {
      status: bus ? 200 : 503,
      type: 'application/json',
      body: JSON.stringify({ status: bus ? 'ready' : 'not-ready', checks: { bus } }),
    };
  }
  if (path === '/metrics') {
    return { status: 200, type: registry.contentType, body: await registry.metrics() };
  }
  return { status: 404, type: 'application/json', body: '{"error":"not-found"}' };
}
