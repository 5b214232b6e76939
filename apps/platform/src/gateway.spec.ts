import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freePort } from '@vigil/testing';
import { routeOf, startGateway, type Gateway } from './gateway';

/** A stand-in product: echoes what it received, or answers readiness as told. */
function standIn(name: string, ready: boolean): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/readyz') {
      response.writeHead(ready ? 200 : 503).end();
      return;
    }
    if (request.url?.startsWith('/v1/responses/stream')) {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('event: issued\ndata: {}\n\n');
      return; // left open, like a live stream
    }
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      response.writeHead(201, { 'content-type': 'application/json', 'x-served-by': name });
      response.end(
        JSON.stringify({
          method: request.method,
          url: request.url,
          body,
          forwardedFor: request.headers['x-forwarded-for'],
        }),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

describe('routeOf', () => {
  it.each([
    ['/v1/signals', 'ingestion'],
    ['/v1/admin/tenants', 'ingestion'],
    ['/v1/responses/stream', 'playbooks'],
    ['/v1/apps/shop', 'insights'],
    ['/v1/findings/01J', 'scans'],
    ['/v1/archive/query', 'archive'],
    ['/v1/signalsx', undefined],
    ['/v2/signals', undefined],
  ])('%s → %s', (path, service) => {
    expect(routeOf(path)).toBe(service);
  });
});

describe('gateway (real HTTP, stand-in upstream servers)', () => {
  const servers: Server[] = [];
  let gateway: Gateway;
  let deadUrl: string;

  beforeAll(async () => {
    const ingestion = await standIn('ingestion', true);
    const playbooks = await standIn('playbooks', false);
    servers.push(ingestion.server, playbooks.server);
    deadUrl = `http://127.0.0.1:${await freePort()}`;
    gateway = await startGateway(
      '127.0.0.1',
      await freePort(),
      new Map([
        ['ingestion', ingestion.url],
        ['playbooks', playbooks.url],
        ['scans', deadUrl],
      ]),
    );
  });

  afterAll(async () => {
    await gateway.close();
    servers.forEach((server) => server.close());
  });

  it('streams a request to the product owning its path, body and query intact, with X-Forwarded-For', async () => {
    const response = await fetch(`${gateway.url}/v1/signals?dryRun=true`, {
      method: 'POST',
      body: '[{"a":1}]',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-served-by')).toBe('ingestion');
    expect(await response.json()).toEqual({
      method: 'POST',
      url: '/v1/signals?dryRun=true',
      body: '[{"a":1}]',
      forwardedFor: '127.0.0.1',
    });
  });

  it('passes a server-sent event stream through as it arrives', async () => {
    const abort = new AbortController();
    const response = await fetch(`${gateway.url}/v1/responses/stream?app=shop`, {
      signal: abort.signal,
    });
    const reader = response.body?.getReader();
    const first = await reader?.read();
    expect(new TextDecoder().decode(first?.value)).toContain('event: issued');
    abort.abort();
  });

  it('answers 404 for unknown paths, 502 naming a product that does not answer', async () => {
    const unknown = await fetch(`${gateway.url}/v1/nothing`);
    expect(unknown.status).toBe(404);
    const down = await fetch(`${gateway.url}/v1/findings`);
    expect(down.status).toBe(502);
    expect(await down.json()).toEqual({
      error: 'bad-gateway',
      message: 'the scans service is not answering',
    });
  });

  it('is ready only when every product is', async () => {
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({
      status: 'not-ready',
      checks: { ingestion: true, playbooks: false, scans: false },
    });
  });
});
