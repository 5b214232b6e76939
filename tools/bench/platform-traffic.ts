/**
 * Traffic for the whole platform: the mix an agent fleet of several applications sends — 30 %
 * attacks, 30 % logins, 24 % metrics, 14 % runtime heartbeats with 40 packages, 2 % findings
 * (scanners report from CI, in bursts, not with every request) — with event times of now, background actors drawn from a large pool (no group of theirs reaches a
 * playbook threshold) and a few attackers per application that do cross thresholds (one IP
 * repeating attacks, one IP trying many accounts), so detection, responses and their storage
 * work as they would in production.
 */

/** Applications the fleet reports for. */
export const TRAFFIC_APPS = 16;

const CATEGORIES = ['sqli', 'xss', 'path_traversal', 'scanner', 'rce'];
/** An attacker IP keeps attacking for this many batches, then the next one takes over. */
const ATTACKER_BATCHES = 300;

/** Builds batches of envelopes; ids are unique per generator (`runId`) and batch. */
export class PlatformTraffic {
  private batch = 0;

  constructor(private readonly runId: string) {}

  /** The next batch of `size` envelopes, serialised as ingestion receives it. */
  next(size: number): Buffer {
    const b = this.batch++;
    const time = new Date().toISOString();
    const list = Array.from({ length: size }, (_, i) => this.envelope(b, i, time));
    return Buffer.from(JSON.stringify(list));
  }

  private envelope(b: number, i: number, time: string): Record<string, unknown> {
    const n = b * 100 + i;
    const app = `app-${n % TRAFFIC_APPS}`;
    // Positions 0, 25, 50 and 75 of each hundred: two attacks and two failed logins.
    const attacker = i % 25 === 0 ? attackerIp(b, n % TRAFFIC_APPS) : undefined;
    const kind = i % 50;
    const envelope = {
      specversion: '1.0',
      id: `${this.runId}-${b}-${i}`,
      source: `agent://${app}/pod-${n % 6}`,
      time,
      subject: app,
      datacontenttype: 'application/json',
    };
    if (kind < 15) {
      return { ...envelope, type: 'attack', data: attack(n, attacker ?? poolIp(n)) };
    }
    if (kind < 30) {
      return { ...envelope, type: 'auth', data: auth(n, attacker) };
    }
    if (kind < 42) {
      return { ...envelope, type: 'metric', data: metric(n) };
    }
    if (kind < 49) {
      return { ...envelope, type: 'runtime', data: runtime(n) };
    }
    return { ...envelope, type: 'finding', data: finding(n) };
  }
}

function attack(n: number, ip: string): Record<string, unknown> {
  return {
    category: CATEGORIES[n % CATEGORIES.length],
    action: n % 3 === 0 ? 'detected' : 'blocked',
    severity: 'high',
    rule: { id: `rule-${n % 40}`, name: 'SQL tautology in parameter', version: '2026.11' },
    actor: { ip, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) sqlmap/1.8', country: 'NL' },
    request: {
      method: 'GET',
      path: `/products/${n % 5_000}`,
      route: '/products/:id',
      parameter: { location: 'query', name: 'id', value: "1' OR '1'='1" },
      headers: { host: 'shop.example.com', accept: '*/*', 'x-request-id': `req-${n}` },
    },
  };
}

/**
 * A login. A background user always logs in from its own address (so no account is seen from
 * many IPs, nor an IP trying many accounts); an attacker's are failures on many accounts from
 * one IP (credential stuffing).
 */
function auth(n: number, attacker: string | undefined): Record<string, unknown> {
  const failure = attacker !== undefined || n % 4 !== 0;
  const user = attacker ? n % 5_000 : n % 20_000;
  const login = `user${user}@example.com`;
  return {
    outcome: failure ? 'failure' : 'success',
    ...(failure ? { reason: 'invalid_password' } : {}),
    method: 'password',
    user: { login, email: login },
    actor: { ip: attacker ?? poolIp(1_000_000 + user), userAgent: 'Mozilla/5.0' },
  };
}

function metric(n: number): Record<string, unknown> {
  const start = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  return {
    interval: { start: start.toISOString(), end: new Date(start.getTime() + 60_000).toISOString() },
    counters: { requests: 1_200 + (n % 500), 'attacks.blocked': n % 7, 'logins.failed': n % 11 },
  };
}

function runtime(n: number): Record<string, unknown> {
  const packages = Array.from({ length: 40 }, (_, p) => ({
    ecosystem: 'npm',
    name: `package-${p}`,
    version: `1.${p}.0`,
  }));
  return {
    agent: { id: `agent-${n % 96}`, version: '3.2.1', name: 'vigil-node-agent' },
    process: { pid: 4_000 + (n % 1_000), user: 'node', uid: 1_000 },
    clock: { time: new Date().toISOString(), synchronized: true },
    runtime: { name: 'node', version: '20.19.0' },
    packages,
  };
}

function finding(n: number): Record<string, unknown> {
  return {
    fingerprint: `vigil-dependencies:npm:lodash:GHSA-${n % 2_000}`,
    tool: { name: 'vigil-dependencies', version: '0.1.0' },
    kind: 'dependencies',
    severity: 'high',
    title: 'lodash 4.17.20 is vulnerable to command injection',
    identifiers: [{ type: 'cve', value: 'CVE-2021-23337' }],
  };
}

/** The attacker of application `app` during batch `b` (TEST-NET-2 range, never in the pool). */
function attackerIp(b: number, app: number): string {
  const generation = Math.floor(b / ATTACKER_BATCHES);
  return `198.51.${generation % 256}.${app}`;
}

/** The n-th address of a pool of 16 million, in 10.0.0.0/8: background actors. */
function poolIp(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}
