import { Socket } from 'node:net';
import {
  fingerprintOf,
  JobFailure,
  type FindingDraft,
  type JobInput,
  type Observation,
  type ToolResult,
} from '@vigil/scans';
import type { TargetPolicy } from './target-policy';

/** Tool identity on the findings it publishes. */
export const PORT_TOOL = { name: 'vigil-ports', version: '1.0.0' };

/** Ports whose exposure is a risk on its own (remote shells, databases, caches). */
const RISKY_PORTS: Readonly<Record<number, string>> = {
  21: 'FTP',
  23: 'Telnet',
  3306: 'MySQL/MariaDB',
  5432: 'PostgreSQL',
  6379: 'Redis',
  9200: 'Elasticsearch/OpenSearch',
  11211: 'Memcached',
  27017: 'MongoDB',
};

/** Bounds of a port scan. */
export interface PortScanOptions {
  readonly connectTimeoutMs: number;
  readonly concurrency: number;
  /** Most host × port probes in one job. */
  readonly maxProbes: number;
}

const DEFAULTS: PortScanOptions = { connectTimeoutMs: 1_500, concurrency: 64, maxProbes: 4_096 };

/**
 * The `ports` scan: a TCP connect scan of the job's hosts and ports, within the
 * {@link TargetPolicy}. Each open port is a finding and an `open-port` observation; a port
 * that answers an HTTP request is marked `service: "http"` so feedback can check it further.
 */
export class PortScanner {
  private readonly options: PortScanOptions;

  constructor(
    private readonly policy: TargetPolicy,
    options: Partial<PortScanOptions> = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Scans every host × port of the job. */
  async scan(input: JobInput, onProgress?: (percent: number) => void): Promise<ToolResult> {
    const hosts = input.hosts ?? [];
    const ports = input.ports ?? [];
    if (hosts.length === 0 || ports.length === 0) {
      throw new JobFailure('a ports scan needs hosts and ports');
    }
    if (hosts.length * ports.length > this.options.maxProbes) {
      throw new JobFailure(
        `${hosts.length * ports.length} probes asked; one job probes at most ${this.options.maxProbes}`,
      );
    }
    const probes: Array<{ host: string; address: string; port: number }> = [];
    for (const host of hosts) {
      const address = await this.policy.resolve(host);
      probes.push(...ports.map((port) => ({ host, address, port })));
    }
    const open: Observation[] = [];
    let done = 0;
    await runPool(probes, this.options.concurrency, async (probe) => {
      const service = await probePort(probe.address, probe.port, this.options.connectTimeoutMs);
      if (service !== undefined) {
        open.push({
          type: 'open-port',
          host: probe.host,
          port: probe.port,
          ...(service ? { service } : {}),
        });
      }
      onProgress?.(Math.floor((++done * 100) / probes.length));
    });
    open.sort((a, b) => `${a.host}:${a.port}`.localeCompare(`${b.host}:${b.port}`));
    return { findings: open.map(toFinding), observations: open };
  }
}

function toFinding(open: Observation): FindingDraft {
  const port = open.port as number;
  const host = open.host as string;
  const risky = RISKY_PORTS[port];
  return {
    fingerprint: fingerprintOf('ports', host, port),
    tool: PORT_TOOL,
    kind: 'ports',
    severity: risky ? 'medium' : 'info',
    title: risky
      ? `${risky} port ${port} is reachable on ${host}`
      : `Open TCP port ${port} on ${host}${open.service ? ` (${open.service})` : ''}`,
    description: risky
      ? `${risky} should not be reachable from the scanned network; restrict it with a firewall rule.`
      : 'Check that this port is meant to be reachable.',
    location: { host, port },
  };
}

/**
 * `undefined` when the port is closed or filtered; `'http'` when it answers an HTTP request;
 * `''` when it is open and speaks something else (or nothing).
 */
function probePort(address: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = new Socket();
    let connected = false;
    let settled = false;
    const finish = (answer: string | undefined) => {
      if (!settled) {
        settled = true;
        socket.destroy();
        resolve(answer);
      }
    };
    socket.setTimeout(timeoutMs, () => finish(connected ? '' : undefined));
    socket.once('error', () => finish(connected ? '' : undefined));
    socket.once('close', () => finish(connected ? '' : undefined));
    socket.once('data', (chunk: Buffer) =>
      finish(chunk.toString('latin1').startsWith('HTTP/') ? 'http' : ''),
    );
    socket.connect(port, address, () => {
      connected = true;
      socket.write(`HEAD / HTTP/1.0\r\nHost: ${address}\r\n\r\n`);
    });
  });
}

async function runPool<T>(
  items: readonly T[],
  size: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(size, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
