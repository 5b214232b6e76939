import type { SignalRecordV1 } from '@vigil/signals';

/** Start of the conformance data set: every signal is within the 5 hours after it. */
export const T0 = Date.parse('2026-11-20T00:00:00.000Z');

const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
const pad = (n: number): string => String(n).padStart(2, '0');

function record(
  tenant: string,
  id: string,
  type: string,
  minutes: number,
  subject: string,
  source: string,
  data: Record<string, unknown>,
): SignalRecordV1 {
  return {
    event: { specversion: '1.0', id, source, type, time: at(minutes), subject, data },
    vigil: {
      tenant,
      keyId: `key-${tenant}`,
      receivedAt: at(minutes + 1),
      ingestId: `ingest-${id}`,
      schema: `urn:vigil:signal:${type}:1`,
    },
  };
}

const ATTACK_KINDS = [
  {
    category: 'sqli',
    severity: 'high',
    name: 'SQL injection in query string',
    path: '/api/orders',
  },
  { category: 'xss', severity: 'medium', name: 'Reflected XSS in parameter', path: '/search' },
  { category: 'scanner', severity: 'low', name: 'Known scanner user agent', path: '/admin/login' },
] as const;

/** Tenant acme, application shop: 12 attacks (6 sqli, 4 xss, 2 scanner; 7 from .1, 5 from .2), every 10 minutes from T0. */
function acmeShopAttacks(): SignalRecordV1[] {
  return Array.from({ length: 12 }, (_, i) => {
    const kind = ATTACK_KINDS[i < 6 ? 0 : i < 10 ? 1 : 2];
    return record(
      'acme',
      `acme-shop-attack-${pad(i)}`,
      'attack',
      i * 10,
      'shop',
      `agent://shop/pod-${i % 3}`,
      {
        category: kind.category,
        action: i >= 10 ? 'blocked' : 'detected',
        severity: kind.severity,
        rule: { id: `${kind.category}-001`, name: kind.name },
        actor: { ip: i < 7 ? '203.0.113.1' : '203.0.113.2' },
        request: { method: 'GET', path: kind.path },
      },
    );
  });
}

/** Tenant acme, application billing: 5 failed logins (alice ×3, bob ×2) then 2 successes (carol), every 5 minutes from T0+30m. */
function acmeBillingLogins(): SignalRecordV1[] {
  const logins = ['alice', 'alice', 'alice', 'bob', 'bob', 'carol', 'carol'];
  return logins.map((login, j) =>
    record(
      'acme',
      `acme-billing-auth-${pad(j)}`,
      'auth',
      30 + j * 5,
      'billing',
      'agent://billing/api',
      {
        outcome: j < 5 ? 'failure' : 'success',
        ...(j < 5 ? { reason: 'invalid_password' } : {}),
        method: 'password',
        user: { login },
        actor: { ip: '198.51.100.7' },
      },
    ),
  );
}

/** Tenant acme, application billing: heartbeats of agents b-1 (T0+1h) and b-2 (T0+2h), both running as root. */
function acmeBillingRuntime(): SignalRecordV1[] {
  return ['b-1', 'b-2'].map((agent, k) =>
    record(
      'acme',
      `acme-billing-runtime-${agent}`,
      'runtime',
      60 * (k + 1),
      'billing',
      `agent://billing/${agent}`,
      {
        agent: { id: agent, version: '1.4.0' },
        process: { user: 'root', uid: 0, pid: 100 + k },
        host: { hostname: `billing-${k + 1}` },
        runtime: { name: 'node', version: k === 0 ? '20.10.0' : '20.11.0' },
      },
    ),
  );
}

/** Tenant acme, application shop: two findings at T0+3h, and one metric at T0+4h. */
function acmeShopFindingsAndMetric(): SignalRecordV1[] {
  const tool = { name: 'vigil-scanner', version: '1.0.0' };
  return [
    record('acme', 'acme-shop-finding-lodash', 'finding', 180, 'shop', 'ci://shop/pipeline/7', {
      fingerprint: 'dep:lodash:4.17.20',
      tool,
      kind: 'dependencies',
      severity: 'high',
      title: 'Prototype pollution in lodash',
      location: { package: { ecosystem: 'npm', name: 'lodash', version: '4.17.20' } },
    }),
    record('acme', 'acme-shop-finding-awskey', 'finding', 181, 'shop', 'ci://shop/pipeline/7', {
      fingerprint: 'secret:aws:config.js:12',
      tool,
      kind: 'secrets',
      severity: 'critical',
      title: 'Hard-coded AWS access key',
      description: 'An AWS access key id is committed in config.js',
      location: { file: 'config.js', line: 12 },
    }),
    record('acme', 'acme-shop-metric-0', 'metric', 240, 'shop', 'agent://shop/pod-0', {
      interval: { start: at(235), end: at(240) },
      counters: { requests: 1200 },
    }),
  ];
}

/**
 * Tenant globex, application shop too: 5 sqli attacks from 192.0.2.9 every 7 minutes from T0.
 * Its first signal reuses the id of acme's first: ids are unique per tenant only.
 */
function globexShopAttacks(): SignalRecordV1[] {
  return Array.from({ length: 5 }, (_, k) =>
    record(
      'globex',
      k === 0 ? 'acme-shop-attack-00' : `globex-shop-attack-${pad(k)}`,
      'attack',
      k * 7,
      'shop',
      'agent://shop/g',
      {
        category: 'sqli',
        action: 'detected',
        severity: 'high',
        rule: { id: 'sqli-001', name: 'SQL injection in query string' },
        actor: { ip: '192.0.2.9' },
        request: { method: 'GET', path: '/api/orders' },
      },
    ),
  );
}

/** The conformance data set: 24 signals of tenant acme, 5 of tenant globex. */
export function conformanceRecords(): SignalRecordV1[] {
  return [
    ...acmeShopAttacks(),
    ...acmeBillingLogins(),
    ...acmeBillingRuntime(),
    ...acmeShopFindingsAndMetric(),
    ...globexShopAttacks(),
  ];
}

/**
 * A tenant type that uses catalog pointers for values of other kinds (a port named "http", an
 * object where a user id is expected) and carries a large free-text field: both stores must
 * index it, without the fields that do not fit, rather than refuse it.
 */
export function misfitRecord(): SignalRecordV1 {
  return record('initech', 'initech-misfit-1', 'x-initech.report', 30, 'tps', 'app://tps/1', {
    location: { port: 'http' },
    process: { uid: { real: 0 } },
    actor: { ip: 42 },
    user: { login: 'peter' },
    description: `${'the cover sheet was missing again '.repeat(20_000)}`,
  });
}
