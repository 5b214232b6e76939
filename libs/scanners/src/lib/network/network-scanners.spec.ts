import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { freePort } from '@vigil/testing';
import { HeaderChecker } from './header-checker';
import { PortScanner } from './port-scanner';
import { TargetPolicy } from './target-policy';

const loopback = new TargetPolicy(['127.0.0.0/8']);

function listen(server: Server | ReturnType<typeof createTcpServer>): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

describe('network scanners (real sockets on 127.0.0.1 opened by the test)', () => {
  const http = createHttpServer((_req, res) => {
    res.setHeader('server', 'nginx/1.25.3');
    res.end('ok');
  });
  const tcp = createTcpServer((socket) => socket.end());
  let httpPort = 0;
  let tcpPort = 0;
  let closedPort = 0;

  beforeAll(async () => {
    httpPort = await listen(http);
    tcpPort = await listen(tcp);
    closedPort = await freePort();
  });
  afterAll(() => {
    http.close();
    tcp.close();
  });

  it('finds the open ports, marks the HTTP one, and skips the closed one', async () => {
    const scanner = new PortScanner(loopback, { connectTimeoutMs: 1_000 });
    const result = await scanner.scan({
      hosts: ['127.0.0.1'],
      ports: [httpPort, tcpPort, closedPort],
    });
    expect(result.observations).toEqual(
      [
        { type: 'open-port', host: '127.0.0.1', port: httpPort, service: 'http' },
        { type: 'open-port', host: '127.0.0.1', port: tcpPort },
      ].sort((a, b) => `${a.host}:${a.port}`.localeCompare(`${b.host}:${b.port}`)),
    );
    expect(result.findings).toHaveLength(2);
  });

  it('refuses hosts outside the allowed networks', async () => {
    const scanner = new PortScanner(new TargetPolicy(['10.99.0.0/16']));
    await expect(scanner.scan({ hosts: ['127.0.0.1'], ports: [httpPort] })).rejects.toThrow(
      'outside the networks this worker may scan (10.99.0.0/16)',
    );
  });

  it('scans nothing when no network is allowed, not even loopback', async () => {
    const allowedNetworks: string[] = [];
    const scanner = new PortScanner(new TargetPolicy(allowedNetworks));
    await expect(scanner.scan({ hosts: ['127.0.0.1'], ports: [httpPort] })).rejects.toThrow(
      'this worker may scan no network: its operator lists the networks tenants may probe in VIGIL_SCANS_ALLOWED_NETWORKS',
    );
    await expect(
      new HeaderChecker(new TargetPolicy(allowedNetworks)).scan({
        hosts: ['localhost'],
        ports: [httpPort],
      }),
    ).rejects.toThrow('this worker may scan no network');
  });

  it('refuses a job with more probes than allowed', async () => {
    const scanner = new PortScanner(loopback, { maxProbes: 2 });
    await expect(scanner.scan({ hosts: ['127.0.0.1'], ports: [1, 2, 3] })).rejects.toThrow(
      'at most 2',
    );
  });

  it('reports each missing security header of an HTTP port', async () => {
    const { findings } = await new HeaderChecker(loopback).scan({
      hosts: ['127.0.0.1'],
      ports: [httpPort],
    });
    expect(findings.map((f) => f.title.split(' on ')[0])).toEqual([
      'No Content-Security-Policy header',
      'No "X-Content-Type-Options: nosniff" header',
      'No protection against framing (clickjacking)',
      'Server software version disclosed',
    ]);
  });

  it('fails the check clearly when the port does not answer', async () => {
    await expect(
      new HeaderChecker(loopback, 1_000).scan({ hosts: ['127.0.0.1'], ports: [closedPort] }),
    ).rejects.toThrow(`http://127.0.0.1:${closedPort}/ did not answer`);
  });

  it('refuses a malformed network in its configuration', () => {
    expect(() => new TargetPolicy(['not-a-cidr'])).toThrow(
      '"not-a-cidr" is not an IP address or CIDR range',
    );
  });
});
