import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import { connectBus } from '@vigil/bus';
import { signWebhook } from '@vigil/scans';
import { eventually, freePort, issueApiKey } from '@vigil/testing';
import { runVigil } from '../support/run-vigil';
import { ScansPlatform, shopRequest, type FindingBody } from './scans-journey';

interface Delivery {
  event: string;
  finding: FindingBody;
  signatureValid: boolean;
}

const WEBHOOK_SECRET = 'whsec-e2e-0123456789abcdef';

/** A local HTTP receiver that records webhook deliveries and checks their signature. */
function startReceiver(deliveries: Delivery[]): Promise<Server> {
  const server = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const timestamp = String(request.headers['x-vigil-timestamp']);
      const signature = String(request.headers['x-vigil-signature']);
      const parsed = JSON.parse(body) as { event: string; finding: FindingBody };
      deliveries.push({
        ...parsed,
        signatureValid: signature === signWebhook(WEBHOOK_SECRET, timestamp, body),
      });
      response.writeHead(204).end();
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * Journey: a CI pipeline requests scans of a release; the built-in workers find a vulnerable
 * dependency, planted secrets and an open HTTP port, feedback checks that port's headers,
 * findings are tracked and ticketed through a signed webhook, and a scan after the fix marks
 * them fixed (ingestion, scans and scan-workers processes; real nats-server and PostgreSQL).
 */
describe('scans journey (ingestion, scans and scan-workers processes, real nats-server and PostgreSQL)', () => {
  const platform = new ScansPlatform();
  const deliveries: Delivery[] = [];
  let receiver: Server;
  let app: Server;
  let appPort = 0;
  let adminKey: string;
  let ciKey: string;

  beforeAll(async () => {
    receiver = await startReceiver(deliveries);
    app = createServer((_request, response) => response.end('hello'));
    await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
    appPort = (app.address() as AddressInfo).port;
    await platform.start({});
    await platform.startWorkers();
    adminKey = await platform.tenant('acme');
    ciKey = await issueApiKey(platform.ingestion.url, adminKey, {
      scopes: ['signals:write'],
      app: 'shop',
    });
    const settings = await platform.call('PUT', '/v1/tickets/settings', adminKey, {
      kind: 'webhook',
      url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/vigil`,
      secret: WEBHOOK_SECRET,
      minSeverity: 'info',
    });
    expect(settings.status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    receiver?.close();
    app?.close();
    await platform.stop();
  });

  it('a CI request yields the expected findings, runs the feedback job, and tickets what is severe', async () => {
    const scan = await platform.scanAndWait(
      ciKey,
      shopRequest({
        kinds: ['dependencies', 'secrets', 'ports'],
        targets: { hosts: ['127.0.0.1'], ports: [appPort] },
      }),
    );
    expect(scan.state).toBe('succeeded');
    const ports = scan.jobs.find((job) => job.kind === 'ports');
    const headers = scan.jobs.find((job) => job.kind === 'http-headers');
    expect(scan.jobs.map((job) => [job.kind, job.state, job.depth])).toEqual([
      ['dependencies', 'succeeded', 0],
      ['secrets', 'succeeded', 0],
      ['ports', 'succeeded', 0],
      ['http-headers', 'succeeded', 1],
    ]);
    expect(headers?.parentJobId).toBe(ports?.id);
    expect(headers?.rule).toBe('open-http-port→http-headers');
    expect(scan.findings.bySeverity).toMatchObject({
      critical: 1,
      high: 2,
      medium: 1,
      low: 2,
      info: 1,
    });

    await eventually(
      async () => (await platform.findings(adminKey)).length === scan.findings.total,
      15_000,
    );
    const findings = await platform.findings(adminKey);
    const titles = findings.map((f) => `${f.kind}:${f.severity}:${f.title}`);
    expect(titles).toEqual(
      expect.arrayContaining([
        'dependencies:high:lodash@4.17.20: Command Injection in lodash',
        'secrets:high:AWS access key id committed in config/deploy.env',
        'secrets:critical:Private key committed in keys/deploy_key',
        `ports:info:Open TCP port ${appPort} on 127.0.0.1 (http)`,
        `http-headers:medium:No Content-Security-Policy header on http://127.0.0.1:${appPort}/`,
      ]),
    );
    expect(findings.every((f) => f.status === 'open' && f.lastScanId === scan.id)).toBe(true);
    expect(findings.find((f) => f.severity === 'critical')?.dueAt).not.toBeNull();

    // One signed webhook per new finding (the integration's threshold is "info": all of them).
    await eventually(() => deliveries.length === findings.length, 15_000);
    expect(deliveries.every((d) => d.event === 'finding.opened' && d.signatureValid)).toBe(true);
    expect(deliveries.map((d) => d.finding.id).sort()).toEqual(findings.map((f) => f.id).sort());
  });

  it('the same findings found again update lastSeen instead of duplicating', async () => {
    const before = await platform.findings(adminKey, 'app=shop&kind=dependencies');
    const scan = await platform.scanAndWait(ciKey, shopRequest({ kinds: ['dependencies'] }));
    expect(scan.findings.total).toBe(1);
    await eventually(
      async () =>
        (await platform.findings(adminKey, 'app=shop&kind=dependencies'))[0]?.lastScanId ===
        scan.id,
      15_000,
    );
    const after = await platform.findings(adminKey, 'app=shop&kind=dependencies');
    expect(after).toHaveLength(1);
    expect(after[0]?.id).toBe(before[0]?.id);
    expect(deliveries.filter((d) => d.finding.id === after[0]?.id)).toHaveLength(1);
  });

  /** `vigil scan request` of the shop's files by the CI key, as a pipeline runs it. */
  const scanRequest = (...options: string[]) =>
    runVigil(['scan', 'request', '--app', 'shop', '--artifact', 'shop', ...options], {
      VIGIL_URL: platform.scans.url,
      VIGIL_API_KEY: ciKey,
    });

  it('`vigil scan request --wait` fails the release gate on a high finding', async () => {
    const run = await scanRequest('--kind', 'dependencies', '--wait', '--fail-on', 'high');
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('1 findings (1 high)');
    expect(run.stdout).toContain(
      'high     dependencies: lodash@4.17.20: Command Injection in lodash',
    );
    expect(run.stdout).toContain('gate: FAILED (findings at or above high)');
    expect(run.stderr).toContain('dependencies: succeeded');
    const lenient = await scanRequest('--kind', 'dependencies', '--wait', '--fail-on', 'critical');
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toContain('gate: passed (nothing at or above critical)');
    const usage = await scanRequest('--kind', 'ports', '--host', '127.0.0.1', '--port', '70000');
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--port 70000 is not a TCP port');
  });

  it('a scan after the fix marks the findings fixed and closes their tickets', async () => {
    const lockfile = platform.artifactPath('acme', 'shop', 'package-lock.json');
    writeFileSync(lockfile, readFileSync(lockfile, 'utf8').replaceAll('4.17.20', '4.17.21'));
    rmSync(platform.artifactPath('acme', 'shop', 'keys'), { recursive: true });
    writeFileSync(
      platform.artifactPath('acme', 'shop', 'config', 'deploy.env'),
      'REGION=eu-west-1\n',
    );

    const gate = await scanRequest(
      '--kind',
      'dependencies',
      '--kind',
      'secrets',
      '--wait',
      '--json',
    );
    expect(gate.code).toBe(0);
    const scan = JSON.parse(gate.stdout) as { state: string; findings: { total: number } };
    expect(scan).toMatchObject({ state: 'succeeded', findings: { total: 0 } });
    const findings = await platform.findings(adminKey);
    const byKind = (kind: string) => findings.filter((f) => f.kind === kind).map((f) => f.status);
    expect(byKind('dependencies')).toEqual(['fixed']);
    expect(byKind('secrets')).toEqual(['fixed', 'fixed']);
    expect(new Set(byKind('ports'))).toEqual(new Set(['open'])); // not scanned again: not fixed
    await eventually(
      () => deliveries.filter((d) => d.event === 'finding.fixed').length === 3,
      15_000,
    );
  });

  it('a scan requested while NATS is down is stored, then dispatched once NATS is back', async () => {
    await platform.nats.pause();
    const requested = await platform.call<{ id: string }>(
      'POST',
      '/v1/scans',
      ciKey,
      shopRequest({ kinds: ['secrets'] }),
    );
    expect(requested.status).toBe(202);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // dispatch attempts fail meanwhile
    await platform.nats.resume();
    await eventually(
      async () =>
        (await platform.call<{ state: string }>('GET', `/v1/scans/${requested.json.id}`, ciKey))
          .json.state === 'succeeded',
      60_000,
    );
  }, 90_000);

  it('lets a user accept a risk with a reason, and refuses it without one', async () => {
    const [port] = await platform.findings(adminKey, 'app=shop&kind=ports');
    const refused = await platform.call<{ message: string }>(
      'PATCH',
      `/v1/findings/${port?.id}`,
      adminKey,
      { status: 'accepted' },
    );
    expect(refused.status).toBe(400);
    expect(refused.json.message).toContain('"reason" is required');
    const accepted = await platform.call<FindingBody & { statusReason: string }>(
      'PATCH',
      `/v1/findings/${port?.id}`,
      adminKey,
      {
        status: 'accepted',
        reason: 'the public web port',
      },
    );
    expect(accepted.json).toMatchObject({
      status: 'accepted',
      statusReason: 'the public web port',
    });
    expect(
      (await platform.call('PATCH', `/v1/findings/${port?.id}`, ciKey, { status: 'open' })).status,
    ).toBe(403);
  });

  it('publishes a status change made while NATS is down once NATS is back (the outbox loses none)', async () => {
    const [secret] = await platform.findings(adminKey, 'app=shop&kind=secrets');
    const bus = await connectBus({ servers: platform.nats.url, name: 'e2e-status' });
    const jsm = await jetstreamManager(bus);
    // The test's own connection reconnects after the outage too: until then, nothing is read.
    const lastStatusSignal = async () => {
      const stored = await jsm.streams
        .getMessage('SIGNALS', { last_by_subj: 'signals.acme.finding' })
        .catch(() => null);
      return stored?.json<{
        event: { source: string; data: { status: string; fingerprint: string } };
      }>().event;
    };
    try {
      await platform.nats.pause();
      const changed = await platform.call<FindingBody>(
        'PATCH',
        `/v1/findings/${secret?.id}`,
        adminKey,
        {
          status: 'false-positive',
          reason: 'a test fixture key',
        },
      );
      expect(changed).toMatchObject({ status: 200, json: { status: 'false-positive' } });
      await new Promise((resolve) => setTimeout(resolve, 1_500)); // publish attempts fail meanwhile
      await platform.nats.resume();
      await eventually(async () => {
        const event = await lastStatusSignal();
        return (
          event?.data.status === 'false-positive' && event.data.fingerprint === secret?.fingerprint
        );
      }, 30_000);
      expect((await lastStatusSignal())?.source).toBe('vigil://scans');
    } finally {
      await bus.close();
    }
  }, 60_000);

  it('refuses a request failing its schema, an unknown kind, and another application', async () => {
    const invalid = await platform.call<{ errors: Array<{ pointer: string; rule: string }> }>(
      'POST',
      '/v1/scans',
      ciKey,
      {
        ...shopRequest(),
        kinds: [],
        priority: 'urgent',
      },
    );
    expect(invalid.status).toBe(400);
    expect(invalid.json.errors.map((e) => [e.pointer, e.rule])).toEqual(
      expect.arrayContaining([
        ['/kinds', 'minItems'],
        ['/priority', 'additionalProperties'],
      ]),
    );
    const unknown = await platform.call<{ errors: Array<{ rule: string; message: string }> }>(
      'POST',
      '/v1/scans',
      ciKey,
      shopRequest({ kinds: ['fuzzing'] }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.json.errors[0]).toMatchObject({ rule: 'unknown-kind' });
    const other = await platform.call(
      'POST',
      '/v1/scans',
      ciKey,
      shopRequest({ application: 'billing' }),
    );
    expect(other.status).toBe(403);
    const noKey = await fetch(`${platform.scans.url}/v1/scans`, { method: 'POST', body: '{}' });
    expect(noKey.status).toBe(401);
  });

  it('a missing or malformed artifact fails the job with a clear reason, shown on the scan', async () => {
    const missing = await platform.scanAndWait(
      ciKey,
      shopRequest({
        artifact: { kind: 'directory', ref: 'no-such-release' },
        kinds: ['dependencies'],
      }),
    );
    expect(missing.state).toBe('failed');
    expect(missing.jobs[0]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(missing.jobs[0]?.message).toContain(
      '"no-such-release" was not found in this tenant\'s artifact folder (<artifact root>/acme/)',
    );
    writeFileSync(platform.artifactPath('acme', 'broken.tgz'), 'not an archive');
    const broken = await platform.scanAndWait(
      ciKey,
      shopRequest({ artifact: { kind: 'archive', ref: 'broken.tgz' }, kinds: ['secrets'] }),
    );
    expect(broken.jobs[0]?.message).toContain('is not a readable tar.gz archive');
  });

  it("keeps tenants apart: another tenant sees none of acme's scans or findings", async () => {
    const globex = await platform.tenant('globex');
    const [any] = (
      await platform.call<{ scans: Array<{ id: string }> }>('GET', '/v1/scans', adminKey)
    ).json.scans;
    expect((await platform.call('GET', `/v1/scans/${any?.id}`, globex)).status).toBe(404);
    expect(await platform.findings(globex)).toEqual([]);
    // acme's project is in acme's folder: globex names it, climbs to it, or gives its path.
    for (const ref of ['shop', '../acme/shop', platform.artifactPath('acme', 'shop')]) {
      const probe = await platform.scanAndWait(
        globex,
        shopRequest({ artifact: { kind: 'directory', ref }, kinds: ['secrets'] }),
      );
      expect(probe.state).toBe('failed');
      expect(probe.jobs[0]?.message).toContain("not found in this tenant's artifact folder");
    }
    expect(await platform.findings(globex)).toEqual([]);
    const [finding] = await platform.findings(adminKey);
    expect((await platform.call('GET', `/v1/findings/${finding?.id}`, globex)).status).toBe(404);
    expect(
      (await platform.call('PATCH', `/v1/findings/${finding?.id}`, globex, { status: 'open' }))
        .status,
    ).toBe(404);
  });

  it('a ticket endpoint that is down is retried, then shows as a failed delivery; the finding is stored', async () => {
    const initech = await platform.tenant('initech');
    const typo = await platform.call<{ message: string }>('PUT', '/v1/tickets/settings', initech, {
      kind: 'webhook',
      url: 'https://tickets.invalid/hook',
      secret: WEBHOOK_SECRET,
    });
    expect(typo.status).toBe(400);
    expect(typo.json.message).toContain("the ticket URL's host tickets.invalid does not resolve");
    const deadPort = await freePort();
    await platform.call('PUT', '/v1/tickets/settings', initech, {
      kind: 'webhook',
      url: `http://127.0.0.1:${deadPort}/hook`,
      secret: WEBHOOK_SECRET,
      minSeverity: 'low',
    });
    const settings = await platform.call<Record<string, unknown>>(
      'GET',
      '/v1/tickets/settings',
      initech,
    );
    expect(settings.json).toMatchObject({ kind: 'webhook', credentialSet: true });
    expect(JSON.stringify(settings.json)).not.toContain(WEBHOOK_SECRET);
    mkdirSync(platform.artifactPath('initech'), { recursive: true });
    writeFileSync(
      platform.artifactPath('initech', 'leak.env'),
      'AWS_ACCESS_KEY_ID=AKIAZ7VQX4MPL3TEST7Z\n',
    );
    const scan = await platform.scanAndWait(initech, {
      ...shopRequest({ application: 'tools', kinds: ['secrets'] }),
      artifact: { kind: 'directory', ref: '.' },
    });
    expect(scan.state).toBe('succeeded');
    await eventually(async () => {
      const { json } = await platform.call<{ deliveries: Array<{ state: string }> }>(
        'GET',
        '/v1/tickets/deliveries?state=failed',
        initech,
      );
      return json.deliveries.length > 0;
    }, 20_000);
    const { json } = await platform.call<{
      deliveries: Array<{ attempts: number; lastError: string }>;
    }>('GET', '/v1/tickets/deliveries', initech);
    expect(json.deliveries[0]?.attempts).toBe(6);
    expect(json.deliveries[0]?.lastError).toContain('ECONNREFUSED');
    expect((await platform.findings(initech, 'app=tools')).length).toBeGreaterThan(0);
  });
});
