import {
  createServer,
  request,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { Socket } from 'node:net';

/** Path prefixes of each product's public API (they never collide). */
export const ROUTES: ReadonlyArray<readonly [prefix: string, service: string]> = [
  ['/v1/signals', 'ingestion'],
  ['/v1/admin', 'ingestion'],
  ['/v1/schemas', 'ingestion'],
  ['/v1/archive', 'archive'],
  ['/v1/playbooks', 'playbooks'],
  ['/v1/detections', 'playbooks'],
  ['/v1/responses', 'playbooks'],
  ['/v1/allowlist', 'playbooks'],
  ['/v1/lists', 'playbooks'],
  ['/v1/insights', 'insights'],
  ['/v1/apps', 'insights'],
  ['/v1/scans', 'scans'],
  ['/v1/findings', 'scans'],
  ['/v1/tickets', 'scans'],
];

/** The service answering `path`, or `undefined`. */
export function routeOf(path: string): string | undefined {
  return ROUTES.find(
    ([prefix]) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`),
  )?.[1];
}

/** A running gateway. */
export interface Gateway {
  readonly url: string;
  /** Stops accepting, ends open connections (event streams), and resolves when closed. */
  close(): Promise<void>;
}

/**
 * One HTTP port for every public API: requests are streamed to the product that owns the path
 * (bodies and server-sent events pass through untouched, `X-Forwarded-For` added so ingestion
 * sees the client). `/healthz` answers for the process; `/readyz` only when every product is
 * ready; `/metrics/<service>` and `/openapi/<service>.json` reach each product's own, and
 * `/metrics/<worker>` the metrics of processes without a public API (the scanner workers).
 */
export async function startGateway(
  host: string,
  port: number,
  services: ReadonlyMap<string, string>,
  workers: ReadonlyMap<string, string> = new Map(),
): Promise<Gateway> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void handle(req, res, services, workers);
  });
  server.headersTimeout = 10_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await listen(server, host, port);
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        sockets.forEach((socket) => socket.destroy());
      }),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  services: ReadonlyMap<string, string>,
  workers: ReadonlyMap<string, string>,
): Promise<void> {
  const path = req.url ?? '/';
  const bare = path.split('?')[0] ?? '/';
  if (bare === '/healthz') {
    return json(res, 200, { status: 'ok' });
  }
  if (bare === '/readyz') {
    const checks = await readiness(services);
    const ready = Object.values(checks).every(Boolean);
    return json(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not-ready', checks });
  }
  const own = /^\/(metrics|openapi)\/([a-z-]+?)(\.json)?$/.exec(bare);
  const ownName = own?.[2] ?? '';
  const ownUrl =
    services.get(ownName) ?? (own?.[1] === 'metrics' ? workers.get(ownName) : undefined);
  if (own && ownUrl) {
    return proxy(req, res, ownUrl, own[1] === 'metrics' ? '/metrics' : '/openapi.json', ownName);
  }
  if (bare === '/metrics') {
    return proxy(req, res, services.get('ingestion') ?? '', '/metrics', 'ingestion');
  }
  const service = routeOf(bare);
  if (!service || !services.has(service)) {
    return json(res, 404, { error: 'not-found', message: `no Vigil API at ${bare}` });
  }
  return proxy(req, res, services.get(service) ?? '', path, service);
}

async function readiness(services: ReadonlyMap<string, string>): Promise<Record<string, boolean>> {
  const entries = await Promise.all(
    [...services].map(async ([name, url]) => {
      const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
        (response) => response.ok,
        () => false,
      );
      return [name, ok] as const;
    }),
  );
  return Object.fromEntries(entries);
}

function proxy(
  req: IncomingMessage,
  res: ServerResponse,
  base: string,
  path: string,
  service: string,
): void {
  const target = new URL(path, base);
  const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress]
    .filter(Boolean)
    .join(', ');
  const upstream = request(
    target,
    {
      method: req.method,
      headers: { ...req.headers, 'x-forwarded-for': forwarded, host: target.host },
    },
    (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    },
  );
  upstream.on('error', () => {
    if (!res.headersSent) {
      json(res, 502, { error: 'bad-gateway', message: `the ${service} service is not answering` });
    } else {
      res.destroy();
    }
  });
  res.on('close', () => upstream.destroy());
  req.pipe(upstream);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
