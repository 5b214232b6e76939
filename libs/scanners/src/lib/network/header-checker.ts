import { request } from 'node:http';
import {
  fingerprintOf,
  JobFailure,
  type FindingDraft,
  type JobInput,
  type Severity,
  type ToolResult,
} from '@vigil/scans';
import type { TargetPolicy } from './target-policy';

/** Tool identity on the findings it publishes. */
export const HEADER_TOOL = { name: 'vigil-http-headers', version: '1.0.0' };

interface HeaderCheck {
  readonly id: string;
  readonly severity: Severity;
  readonly title: string;
  readonly advice: string;
  /** True when the response has the problem. */
  readonly fails: (headers: Readonly<Record<string, string | string[] | undefined>>) => boolean;
}

const CHECKS: readonly HeaderCheck[] = [
  {
    id: 'missing-content-security-policy',
    severity: 'medium',
    title: 'No Content-Security-Policy header',
    advice: 'Send a Content-Security-Policy that limits where scripts may load from.',
    fails: (h) => h['content-security-policy'] === undefined,
  },
  {
    id: 'missing-x-content-type-options',
    severity: 'low',
    title: 'No "X-Content-Type-Options: nosniff" header',
    advice: 'Send "X-Content-Type-Options: nosniff" so browsers do not guess content types.',
    fails: (h) => String(h['x-content-type-options'] ?? '').toLowerCase() !== 'nosniff',
  },
  {
    id: 'missing-frame-protection',
    severity: 'low',
    title: 'No protection against framing (clickjacking)',
    advice: 'Send "X-Frame-Options: DENY" or a CSP with "frame-ancestors".',
    fails: (h) =>
      h['x-frame-options'] === undefined &&
      !String(h['content-security-policy'] ?? '').includes('frame-ancestors'),
  },
  {
    id: 'server-version-disclosed',
    severity: 'info',
    title: 'Server software version disclosed',
    advice: 'Remove version numbers from the Server and X-Powered-By headers.',
    fails: (h) => /\d/.test(String(h['server'] ?? '')) || h['x-powered-by'] !== undefined,
  },
];

/**
 * The `http-headers` check: one `GET /` on each host:port of the job (within the
 * {@link TargetPolicy}), and a finding per missing security header.
 */
export class HeaderChecker {
  constructor(
    private readonly policy: TargetPolicy,
    private readonly timeoutMs = 5_000,
  ) {}

  /** Checks every host × port of the job. */
  async scan(input: JobInput): Promise<ToolResult> {
    const hosts = input.hosts ?? [];
    const ports = input.ports ?? [];
    if (hosts.length === 0 || ports.length === 0) {
      throw new JobFailure('an http-headers check needs hosts and ports');
    }
    const findings: FindingDraft[] = [];
    for (const host of hosts) {
      const address = await this.policy.resolve(host);
      for (const port of ports) {
        const headers = await this.fetchHeaders(address, host, port);
        findings.push(
          ...CHECKS.filter((check) => check.fails(headers)).map((check) =>
            toFinding(check, host, port),
          ),
        );
      }
    }
    return { findings };
  }

  private fetchHeaders(
    address: string,
    host: string,
    port: number,
  ): Promise<Record<string, string | string[] | undefined>> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          host: address,
          port,
          path: '/',
          method: 'GET',
          timeout: this.timeoutMs,
          headers: { host: `${host}:${port}` },
        },
        (response) => {
          response.resume();
          resolve(response.headers);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (error) =>
        reject(new JobFailure(`http://${host}:${port}/ did not answer: ${error.message}`)),
      );
      req.end();
    });
  }
}

function toFinding(check: HeaderCheck, host: string, port: number): FindingDraft {
  return {
    fingerprint: fingerprintOf('http-headers', check.id, host, port),
    tool: HEADER_TOOL,
    kind: 'http-headers',
    severity: check.severity,
    title: `${check.title} on http://${host}:${port}/`.slice(0, 256),
    description: check.advice,
    location: { host, port },
    identifiers: [{ type: 'cwe', value: 'CWE-693' }],
  };
}
