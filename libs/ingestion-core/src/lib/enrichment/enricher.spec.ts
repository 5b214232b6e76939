import { findSchemasDir, SchemaRegistry, type EnvelopeV1 } from '@vigil/signals';
import { Enricher } from './enricher';
import type { EnrichmentInput } from './enrichment.types';
import { compilePointer } from './json-pointer';
import { ThreatIntelLists } from './threat-intel-lists';

const registry = SchemaRegistry.fromDirectory(findSchemasDir() as string);
const authSchema = registry.get('signal', 'auth', 1) as NonNullable<
  ReturnType<typeof registry.get>
>;
const lists = ThreatIntelLists.fromJson({
  'tor-exit': ['203.0.113.0/24'],
  scanners: ['203.0.113.42', '2001:db8::/32'],
});
const enricher = Enricher.standard({ threatIntel: lists, piiKey: Buffer.alloc(32, 7) });

function authInput(tenant: string, login: string, clientIp?: string): EnrichmentInput {
  const envelope = {
    specversion: '1.0',
    id: 'e1',
    source: 's',
    type: 'auth',
    time: '2026-11-21T10:00:00Z',
    subject: 'shop',
    data: {
      outcome: 'failure',
      user: { login, email: `${login}@example.com` },
      actor: { ip: '203.0.113.42' },
    },
  } as EnvelopeV1;
  return {
    envelope,
    payloadSchema: authSchema,
    publisher: { tenant, keyId: 'k1' },
    receivedAt: new Date('2026-11-21T10:00:01.000Z'),
    receivedAtIso: '2026-11-21T10:00:01.000Z',
    clientIp,
  };
}

describe('Enricher', () => {
  it('adds tenant, key, receipt, schema and client address from the request, not the body', () => {
    const metadata = enricher.enrich(authInput('acme', 'alice', '198.51.100.7'));
    expect(metadata).toMatchObject({
      tenant: 'acme',
      keyId: 'k1',
      receivedAt: '2026-11-21T10:00:01.000Z',
      schema: 'urn:vigil:signal:auth:1',
      clientIp: '198.51.100.7',
    });
    expect(metadata.ingestId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('gives every ingestion its own ingest id', () => {
    const ids = new Set([1, 2, 3].map(() => enricher.enrich(authInput('acme', 'a')).ingestId));
    expect(ids.size).toBe(3);
  });

  it('leaves out a client address that is not an IP', () => {
    expect(enricher.enrich(authInput('acme', 'a', 'unknown')).clientIp).toBeUndefined();
  });

  it('tags payload IPs found in threat-intel lists, naming every list', () => {
    expect(enricher.enrich(authInput('acme', 'a')).threatIntel).toEqual([
      { pointer: '/data/actor/ip', ip: '203.0.113.42', lists: ['tor-exit', 'scanners'] },
    ]);
  });

  it('hashes personal data per tenant without touching the envelope', () => {
    const input = authInput('acme', 'alice');
    const before = JSON.stringify(input.envelope);
    const acme = enricher.enrich(input).pii ?? {};
    expect(Object.keys(acme)).toEqual(['/data/user/login', '/data/user/email']);
    expect(acme['/data/user/login']).toMatch(/^hmac-sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(acme)).not.toContain('alice');
    expect(JSON.stringify(input.envelope)).toBe(before);
    expect(enricher.enrich(authInput('acme', 'alice')).pii?.['/data/user/login']).toBe(
      acme['/data/user/login'],
    );
    expect(enricher.enrich(authInput('globex', 'alice')).pii?.['/data/user/login']).not.toBe(
      acme['/data/user/login'],
    );
  });
});

describe('ThreatIntelLists', () => {
  it('matches IPv4 and IPv6 ranges and single addresses', () => {
    expect(lists.listsContaining('203.0.113.7')).toEqual(['tor-exit']);
    expect(lists.listsContaining('2001:db8::1')).toEqual(['scanners']);
    expect(lists.listsContaining('192.0.2.1')).toEqual([]);
    expect(lists.listsContaining('not-an-ip')).toEqual([]);
  });

  it('refuses a bad entry, naming the list and the entry', () => {
    expect(() => ThreatIntelLists.fromJson({ feed: ['10.0.0.0/33'] })).toThrow(
      'threat-intel list "feed": "10.0.0.0/33" is not an IP address or CIDR range',
    );
    expect(() => ThreatIntelLists.fromJson({ feed: 'x' })).toThrow(/must be an array/);
    expect(() => ThreatIntelLists.fromJson([])).toThrow(/JSON object/);
  });
});

/** Every match of `pattern` in `document`, as [pointer, value] pairs. */
function expandPointer(document: unknown, pattern: string): Array<[string, unknown]> {
  const matches: Array<[string, unknown]> = [];
  compilePointer(pattern)(document, (pointer, value) => matches.push([pointer, value]));
  return matches;
}

describe('compilePointer patterns', () => {
  it('expands wildcards over arrays and maps, escaping keys', () => {
    expect(expandPointer({ a: [{ b: 1 }, { b: 2 }, {}] }, '/a/*/b')).toEqual([
      ['/a/0/b', 1],
      ['/a/1/b', 2],
    ]);
    expect(expandPointer({ m: { 'x/y': 'v' } }, '/m/*')).toEqual([['/m/x~1y', 'v']]);
    expect(expandPointer({ a: 1 }, '/missing/x')).toEqual([]);
  });

  it('does not follow inherited properties', () => {
    expect(expandPointer({}, '/constructor')).toEqual([]);
  });

  it('unescapes ~1 and ~0 in pattern tokens and keeps them escaped in the pointers', () => {
    expect(expandPointer({ 'a/b': { 'c~d': 'v' } }, '/a~1b/c~0d')).toEqual([['/a~1b/c~0d', 'v']]);
  });

  it('matches the whole document with the empty pattern and stops at scalars', () => {
    expect(expandPointer(7, '')).toEqual([['', 7]]);
    expect(expandPointer({ a: 'text' }, '/a/*')).toEqual([]);
  });
});

describe('compilePointer', () => {
  it('matches one compiled pattern against many documents', () => {
    const users = compilePointer('/users/*/email');
    const seen: Array<[string, unknown]> = [];
    users({ users: [{ email: 'a@x' }, { name: 'b' }] }, (pointer, value) =>
      seen.push([pointer, value]),
    );
    users({ users: { lead: { email: 'c@x' } } }, (pointer, value) => seen.push([pointer, value]));
    expect(seen).toEqual([
      ['/users/0/email', 'a@x'],
      ['/users/lead/email', 'c@x'],
    ]);
  });
});
