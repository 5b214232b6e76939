import { Command } from 'commander';
import { isSeverity, SEVERITIES, severityAtLeast, type Severity } from '@vigil/scans';
import type { ApiClient } from '../api-client';
import { CheckFailed, InputError } from '../cli-errors';
import type { CliIo } from '../output';

interface RequestOptions {
  readonly app: string;
  readonly kind: string[];
  readonly artifact?: string;
  readonly artifactKind: string;
  readonly host?: string[];
  readonly port?: string[];
  readonly release?: string;
  readonly commit?: string;
  readonly requestedBy: string;
  readonly runUrl?: string;
  readonly wait?: boolean;
  readonly failOn: string;
  readonly timeout: string;
  readonly json?: boolean;
}

interface ScanAnswer {
  id: string;
  state: 'running' | 'succeeded' | 'failed';
  jobs: Array<{ id: string; kind: string; state: string; message: string | null }>;
  findings: {
    total: number;
    bySeverity: Record<Severity, number>;
    items: Array<{ kind: string; severity: Severity; title: string }>;
  };
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const POLL_MS = 1_000;

/**
 * `vigil scan request` — what a CI job runs: requests a scan and, with `--wait`, follows it and
 * exits 1 when it finds something at or above `--fail-on` (or cannot finish), so any CI can use
 * it as a release gate.
 */
export function scanCommand(client: () => ApiClient, io: CliIo): Command {
  const scan = new Command('scan').description(
    'security scans of your applications (a signals:write key is enough)',
  );
  scan
    .command('request')
    .description(
      'request a scan; with --wait, exit 1 when it finds something at or above --fail-on',
    )
    .requiredOption('--app <app>', 'the application scanned')
    .requiredOption(
      '--kind <kind>',
      'a scan kind: dependencies, secrets, ports, http-headers… (repeatable)',
      collect,
    )
    .option(
      '--artifact <ref>',
      "what to scan: a path under the workers' artifact root, an archive name, a host",
    )
    .option('--artifact-kind <kind>', 'directory, archive, git, image or host', 'directory')
    .option('--host <host>', 'a host to probe (repeatable)', collect)
    .option('--port <port>', 'a TCP port to probe (repeatable)', collect)
    .option('--release <version>', 'the release version')
    .option('--commit <sha>', 'the commit of the release')
    .option('--requested-by <name>', 'the pipeline or person asking', 'vigil cli')
    .option('--run-url <url>', 'link to the CI run')
    .option('--wait', 'wait for the scan to end and gate on its findings')
    .option(
      '--fail-on <severity>',
      `lowest severity that fails the gate (${SEVERITIES.join(', ')})`,
      'high',
    )
    .option('--timeout <seconds>', 'give up waiting after this many seconds (exit 1)', '1800')
    .option('--json', 'print the scan as JSON')
    .action(async (options: RequestOptions) => {
      const failOn = checkOptions(options);
      const api = client();
      const requested = await api.asTenant<{ id: string }>(
        'POST',
        '/v1/scans',
        requestBody(options),
      );
      if (!options.wait) {
        io.stdout.write(
          options.json
            ? `${JSON.stringify(requested, null, 2)}\n`
            : `scan ${requested.id} requested\n`,
        );
        return;
      }
      io.stderr.write(`scan ${requested.id} requested; waiting for it to end\n`);
      const ended = await waitForScan(api, requested.id, Number(options.timeout) * 1_000, io);
      report(io, ended, failOn, options.json === true);
      if (ended.state !== 'succeeded' || gateFails(ended, failOn)) {
        throw new CheckFailed();
      }
    });
  return scan;
}

function checkOptions(options: RequestOptions): Severity {
  if (!isSeverity(options.failOn)) {
    throw new InputError(`--fail-on must be one of ${SEVERITIES.join(', ')}`);
  }
  if (!/^[1-9]\d*$/.test(options.timeout)) {
    throw new InputError('--timeout must be a whole number of seconds');
  }
  const badPort = (options.port ?? []).find(
    (port) => !/^\d{1,5}$/.test(port) || Number(port) < 1 || Number(port) > 65535,
  );
  if (badPort !== undefined) {
    throw new InputError(`--port ${badPort} is not a TCP port (1-65535)`);
  }
  if (options.artifact === undefined && options.host === undefined) {
    throw new InputError('give --artifact (files to scan) or --host (hosts to probe)');
  }
  return options.failOn;
}

function requestBody(options: RequestOptions): Record<string, unknown> {
  const hosts = options.host ?? [];
  const ports = (options.port ?? []).map(Number);
  return {
    application: options.app,
    ...(options.release ? { version: options.release } : {}),
    ...(options.commit ? { commit: options.commit } : {}),
    artifact: {
      kind: options.artifact ? options.artifactKind : 'host',
      ref: options.artifact ?? hosts[0],
    },
    kinds: options.kind,
    ...(hosts.length + ports.length > 0
      ? { targets: { ...(hosts.length ? { hosts } : {}), ...(ports.length ? { ports } : {}) } }
      : {}),
    requestedBy: {
      kind: 'ci',
      name: options.requestedBy,
      ...(options.runUrl ? { url: options.runUrl } : {}),
    },
  };
}

async function waitForScan(
  api: ApiClient,
  id: string,
  timeoutMs: number,
  io: CliIo,
): Promise<ScanAnswer> {
  const deadline = Date.now() + timeoutMs;
  const seen = new Map<string, string>();
  for (;;) {
    const scan = await api.asTenant<ScanAnswer>('GET', `/v1/scans/${encodeURIComponent(id)}`);
    for (const job of scan.jobs) {
      if (seen.get(job.id) !== job.state) {
        seen.set(job.id, job.state);
        io.stderr.write(
          `  ${job.kind}: ${job.state}${job.state === 'failed' && job.message ? ` — ${job.message}` : ''}\n`,
        );
      }
    }
    if (scan.state !== 'running') {
      return scan;
    }
    if (Date.now() > deadline) {
      io.stderr.write(
        `vigil: scan ${id} still running after ${Math.round(timeoutMs / 1_000)} s; gave up waiting\n`,
      );
      throw new CheckFailed();
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

function gateFails(scan: ScanAnswer, failOn: Severity): boolean {
  return SEVERITIES.some(
    (severity) =>
      severityAtLeast(severity, failOn) && (scan.findings.bySeverity[severity] ?? 0) > 0,
  );
}

function report(io: CliIo, scan: ScanAnswer, failOn: Severity, json: boolean): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(scan, null, 2)}\n`);
    return;
  }
  const counts = SEVERITIES.filter((s) => scan.findings.bySeverity[s] > 0)
    .reverse()
    .map((s) => `${scan.findings.bySeverity[s]} ${s}`);
  const lines = [
    `scan ${scan.id} ${scan.state}: ${scan.findings.total} findings${counts.length ? ` (${counts.join(', ')})` : ''}`,
  ];
  for (const item of scan.findings.items.filter((i) => severityAtLeast(i.severity, failOn))) {
    lines.push(`  ${item.severity.padEnd(8)} ${item.kind}: ${item.title}`);
  }
  if (scan.state === 'failed') {
    lines.push('the scan did not complete: the gate fails closed');
  } else {
    lines.push(
      gateFails(scan, failOn)
        ? `gate: FAILED (findings at or above ${failOn})`
        : `gate: passed (nothing at or above ${failOn})`,
    );
  }
  io.stdout.write(`${lines.join('\n')}\n`);
}
