/**
 * A deterministic batch of realistic envelopes: the mix an agent fleet sends (mostly attacks,
 * logins and metrics, some heartbeats with inventory, a few findings), serialised as JSON.
 */
const IPS = ['203.0.113.9', '198.51.100.23', '2001:db8::7', '192.0.2.44'];
const CATEGORIES = ['sqli', 'xss', 'path_traversal', 'scanner', 'rce'];

function envelope(i: number, type: string, data: Record<string, unknown>): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: `01JD3Q7N8X${String(i).padStart(16, '0')}`,
    source: `agent://checkout-api/pod-${i % 12}`,
    type,
    time: new Date(Date.UTC(2026, 10, 21, 14, 0, i % 60)).toISOString(),
    subject: 'checkout-api',
    datacontenttype: 'application/json',
    data,
  };
}

function attack(i: number): Record<string, unknown> {
  return envelope(i, 'attack', {
    category: CATEGORIES[i % CATEGORIES.length],
    action: i % 3 === 0 ? 'detected' : 'blocked',
    severity: 'high',
    rule: { id: `rule-${i % 40}`, name: 'SQL tautology in parameter', version: '2026.11' },
    actor: {
      ip: IPS[i % IPS.length],
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) sqlmap/1.8',
      country: 'NL',
    },
    request: {
      method: 'GET',
      path: `/products/${i}`,
      route: '/products/:id',
      parameter: { location: 'query', name: 'id', value: "1' OR '1'='1" },
      headers: { host: 'shop.example.com', accept: '*/*', 'x-request-id': `req-${i}` },
    },
  });
}

function auth(i: number): Record<string, unknown> {
  return envelope(i, 'auth', {
    outcome: i % 4 === 0 ? 'success' : 'failure',
    reason: i % 4 === 0 ? undefined : 'invalid_password',
    method: 'password',
    user: { login: `user${i % 500}@example.com`, email: `user${i % 500}@example.com` },
    actor: { ip: IPS[i % IPS.length], userAgent: 'Mozilla/5.0' },
  });
}

function metric(i: number): Record<string, unknown> {
  return envelope(i, 'metric', {
    interval: { start: '2026-11-21T14:02:00Z', end: '2026-11-21T14:03:00Z' },
    counters: {
      requests: 1200 + i,
      'attacks.blocked': i % 7,
      'logins.failed': i % 11,
      latency_ms_p95: 84.5,
    },
  });
}

function runtime(i: number): Record<string, unknown> {
  const packages = Array.from({ length: 40 }, (_, p) => ({
    ecosystem: 'npm',
    name: `package-${p}`,
    version: `1.${p}.0`,
  }));
  return envelope(i, 'runtime', {
    agent: { id: `agent-${i % 12}`, version: '3.2.1', name: 'vigil-node-agent' },
    process: { pid: 4000 + i, user: 'node', uid: 1000 },
    clock: { time: '2026-11-21T14:08:00Z', synchronized: true },
    runtime: { name: 'node', version: '20.19.0' },
    packages,
  });
}

function finding(i: number): Record<string, unknown> {
  return envelope(i, 'finding', {
    fingerprint: `vigil-dependencies:npm:lodash:GHSA-${i}`,
    tool: { name: 'vigil-dependencies', version: '0.1.0' },
    kind: 'dependencies',
    severity: 'high',
    title: 'lodash 4.17.20 is vulnerable to command injection',
    identifiers: [{ type: 'cve', value: 'CVE-2021-23337' }],
    references: ['https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm'],
  });
}

const MIX: Array<(i: number) => Record<string, unknown>> = [
  attack,
  attack,
  attack,
  auth,
  auth,
  auth,
  metric,
  metric,
  runtime,
  finding,
];

/** `count` envelopes as JSON strings (the form ingestion receives them in). */
export function realisticEnvelopeJson(count: number): string[] {
  return realisticEnvelopes(count).map((envelope) => JSON.stringify(envelope));
}

/**
 * `count` envelopes; `idPrefix` makes ids unique per run (so nothing is deduplicated) and
 * `padToBytes` grows each envelope with a realistic extension attribute to about that size.
 */
export function realisticEnvelopes(
  count: number,
  idPrefix = '',
  padToBytes = 0,
): Record<string, unknown>[] {
  return Array.from({ length: count }, (_, i) => {
    const envelope = (MIX[i % MIX.length] as (i: number) => Record<string, unknown>)(i);
    envelope['id'] = `${idPrefix}${String(envelope['id'])}`;
    const missing = padToBytes - JSON.stringify(envelope).length - 20;
    if (missing > 0) {
      envelope['tracestate'] = `vendor=${'x'.repeat(Math.min(missing, 1000))}`;
    }
    return envelope;
  });
}
