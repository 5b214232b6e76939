import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SignalRecordV1 } from '@vigil/signals';
import {
  attackEnvelope,
  postSignals,
  startIngestionHarness,
  type IngestionHarness,
} from '../testing/ingestion-test-helpers';

/** Enrichment configured from the environment: trusted proxies and a threat-intel file (real services). */
describe('enrichment from configuration (real nats-server, PostgreSQL, HTTP)', () => {
  let h: IngestionHarness;
  let key: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-intel-'));
    const intel = join(dir, 'threat-intel.json');
    writeFileSync(
      intel,
      JSON.stringify({ 'tor-exit': ['203.0.113.0/24'], scanners: ['2001:db8::/32'] }),
    );
    h = await startIngestionHarness({
      VIGIL_TRUSTED_PROXIES: '127.0.0.1',
      VIGIL_THREAT_INTEL_FILE: intel,
    });
    key = await h.createTenant('acme');
  });

  afterAll(async () => {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function dryRun(
    headers: Record<string, string>,
    envelope = attackEnvelope('dry'),
  ): Promise<SignalRecordV1['vigil']> {
    const { body } = await postSignals(
      h.url,
      key,
      JSON.stringify([envelope]),
      { 'content-type': 'application/json', ...headers },
      '?dryRun=true',
    );
    return (body['records'] as SignalRecordV1[])[0]?.vigil as SignalRecordV1['vigil'];
  }

  it('takes the client address from X-Forwarded-For only through a trusted proxy', async () => {
    expect((await dryRun({ 'x-forwarded-for': '198.51.100.77' })).clientIp).toBe('198.51.100.77');
    expect((await dryRun({})).clientIp).toBe('127.0.0.1');
  });

  it('tags actor IPs found in the configured threat-intel lists', async () => {
    expect((await dryRun({})).threatIntel).toEqual([
      { pointer: '/data/actor/ip', ip: '203.0.113.9', lists: ['tor-exit'] },
    ]);
    const clean = await dryRun({}, attackEnvelope('clean', {}, { actor: { ip: '192.0.2.1' } }));
    expect(clean.threatIntel).toBeUndefined();
  });
});

describe('enrichment without trusted proxies (real nats-server, PostgreSQL, HTTP)', () => {
  let h: IngestionHarness;

  beforeAll(async () => {
    h = await startIngestionHarness();
  });

  afterAll(() => h.stop());

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    const key = await h.createTenant('acme');
    const { body } = await postSignals(
      h.url,
      key,
      JSON.stringify([attackEnvelope('spoof')]),
      { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.77' },
      '?dryRun=true',
    );
    expect((body['records'] as SignalRecordV1[])[0]?.vigil.clientIp).toBe('127.0.0.1');
  });
});
