import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { fixturePath } from '@vigil/scanners';
import { createClient, type VigilClient } from '@vigil/sdk';
import type { ApiClient, ClientSettings } from '../api-client';
import { CheckFailed } from '../cli-errors';
import type { CliIo } from '../output';

interface DemoOptions {
  readonly artifacts?: string;
  readonly tenant: string;
  readonly timeout: string;
}

/** What the demo waits to see, each read from the public API. */
interface Check {
  readonly name: string;
  readonly path: string;
  readonly count: (answer: Record<string, unknown>) => number;
}

const CHECKS: readonly Check[] = [
  { name: 'detections', path: '/v1/detections', count: (a) => listLength(a['detections']) },
  {
    name: 'responses (shop)',
    path: '/v1/responses?app=shop',
    count: (a) => listLength(a['responses']),
  },
  { name: 'application summaries', path: '/v1/apps', count: (a) => listLength(a['apps']) },
  {
    name: 'findings (shop)',
    path: '/v1/findings?app=shop',
    count: (a) => listLength(a['findings']),
  },
];

const DEMO_PROJECT = 'demo-shop';

/**
 * `vigil demo` — realistic traffic for three applications through the SDK and the API: runtime
 * heartbeats (one app running as root), request metrics, a credential-stuffing burst, a scanner
 * probing many attack families, and a CI scan of a bundled project with a vulnerable dependency
 * and a planted secret. Then it waits until detections, responses, summaries and findings show.
 */
export function demoCommand(
  client: () => ApiClient,
  settings: () => ClientSettings,
  io: CliIo,
): Command {
  return new Command('demo')
    .description(
      'generate realistic traffic and show the detections, responses, summaries and findings it produces',
    )
    .option(
      '--artifacts <dir>',
      "the scanner workers' artifact folder (default <VIGIL_DATA_DIR>/artifacts)",
    )
    .option(
      '--tenant <name>',
      "the key's tenant: the bundled project is copied to <artifacts>/<tenant>/",
      'default',
    )
    .option('--timeout <seconds>', 'how long to wait for the results', '90')
    .action(async (options: DemoOptions) => {
      const { url } = settings();
      // Without a key every signal would be refused: say so as every other command does.
      const apiKey = client().tenantKey();
      const sdk = createClient({
        endpoint: url,
        apiKey,
        source: 'demo://vigil-cli',
        gzip: true,
      });
      publishTraffic(sdk);
      await sdk.close();
      const { sent, duplicates, rejected, dropped } = sdk.counters();
      io.stderr.write(
        `demo: published ${sent - duplicates} signals (${duplicates} duplicates, ${rejected} refused, ${dropped} undelivered)\n`,
      );
      if (sent === 0) {
        throw new CheckFailed();
      }
      await requestScan(client(), options, io);
      await waitForResults(client(), Number(options.timeout) * 1_000, io);
    });
}

function publishTraffic(sdk: VigilClient): void {
  const now = Date.now();
  for (const [app, user] of [
    ['shop', 'app'],
    ['billing', 'root'],
    ['blog', 'www-data'],
  ] as const) {
    sdk.publish(
      'runtime',
      {
        agent: { id: `${app}-agent-1`, version: '1.0.0', name: 'vigil-demo-agent' },
        process: { user, ...(user === 'root' ? { uid: 0 } : {}) },
        runtime: { name: 'node', version: '20.19.0' },
      },
      { subject: app },
    );
    for (let minute = 5; minute >= 1; minute--) {
      const end = new Date(now - (minute - 1) * 60_000);
      sdk.publish(
        'metric',
        {
          interval: {
            start: new Date(end.getTime() - 60_000).toISOString(),
            end: end.toISOString(),
          },
          counters: { requests: 900 + Math.round(Math.random() * 300), 'logins.failed': 2 },
        },
        { subject: app },
      );
    }
  }
  // Credential stuffing on shop: one IP tries 25 different accounts.
  for (let i = 0; i < 25; i++) {
    sdk.publish(
      'auth',
      {
        outcome: 'failure',
        reason: 'invalid_password',
        user: { login: `customer${i}@example.com` },
        actor: { ip: '203.0.113.50' },
      },
      { subject: 'shop' },
    );
  }
  // A scanner probing blog with many attack families.
  for (const category of [
    'sqli',
    'xss',
    'path_traversal',
    'command_injection',
    'ssrf',
    'lfi',
  ] as const) {
    sdk.publish(
      'attack',
      {
        category,
        action: 'blocked',
        rule: { id: `${category}-001` },
        actor: { ip: '198.51.100.23' },
      },
      { subject: 'blog' },
    );
  }
}

async function requestScan(api: ApiClient, options: DemoOptions, io: CliIo): Promise<void> {
  const artifacts = resolve(
    options.artifacts ?? join(io.env['VIGIL_DATA_DIR'] ?? '.vigil', 'artifacts'),
  );
  // Scanner workers read a tenant's artifacts only from its own folder.
  const tenantFolder = join(artifacts, options.tenant);
  const project = join(tenantFolder, DEMO_PROJECT);
  if (!existsSync(project)) {
    mkdirSync(tenantFolder, { recursive: true });
    cpSync(fixturePath('vulnerable-app'), project, { recursive: true });
  }
  const scan = await api.asTenant<{ id: string }>('POST', '/v1/scans', {
    application: 'shop',
    version: '2.3.0',
    commit: 'c0ffee1234',
    artifact: { kind: 'directory', ref: DEMO_PROJECT },
    kinds: ['dependencies', 'secrets'],
    requestedBy: { kind: 'ci', name: 'vigil demo' },
  });
  io.stderr.write(`demo: CI scan ${scan.id} requested for ${project}\n`);
}

async function waitForResults(api: ApiClient, timeoutMs: number, io: CliIo): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Map<string, number>();
  while (seen.size < CHECKS.length && Date.now() < deadline) {
    for (const check of CHECKS.filter((c) => !seen.has(c.name))) {
      const count = check.count(await api.asTenant<Record<string, unknown>>('GET', check.path));
      if (count > 0) {
        seen.set(check.name, count);
        io.stdout.write(`✓ ${check.name}: ${count}  (GET ${check.path})\n`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  const missing = CHECKS.filter((check) => !seen.has(check.name)).map((check) => check.name);
  if (missing.length > 0) {
    io.stderr.write(
      `demo: nothing yet for ${missing.join(', ')} after ${Math.round(timeoutMs / 1_000)} s\n`,
    );
    throw new CheckFailed();
  }
}

function listLength(value: unknown): number {
  return Array.isArray(value) ? value.length : 0;
}
