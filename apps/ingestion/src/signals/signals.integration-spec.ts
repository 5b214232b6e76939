import { gzipSync } from 'node:zlib';
import { jetstreamManager } from '@nats-io/jetstream';
import type { SignalRecordV1 } from '@vigil/signals';
import {
  attackEnvelope,
  postSignals,
  startIngestionHarness,
  type IngestionHarness,
} from '../testing/ingestion-test-helpers';

/** Ingestion's write path against a real nats-server and PostgreSQL. */
describe('POST /v1/signals (real nats-server, PostgreSQL, HTTP)', () => {
  let h: IngestionHarness;
  let key: string;

  beforeAll(async () => {
    h = await startIngestionHarness({
      VIGIL_MAX_BODY_BYTES: '256KiB',
      VIGIL_MAX_INFLATED_BYTES: '1MiB',
      VIGIL_MAX_BATCH_ITEMS: '50',
    });
    key = await h.createTenant('acme');
  });

  afterAll(() => h.stop());

  async function storedRecord(id: string): Promise<{ subject: string; record: SignalRecordV1 }> {
    const jsm = await jetstreamManager(h.observer);
    const info = await jsm.streams.info('SIGNALS');
    for (let seq = info.state.last_seq; seq >= info.state.first_seq; seq--) {
      const message = await jsm.streams.getMessage('SIGNALS', { seq });
      if (message?.header?.get('Vigil-Event-Id') === id) {
        return { subject: message.subject, record: message.json<SignalRecordV1>() };
      }
    }
    throw new Error(`no stored signal with id ${id}`);
  }

  it('stores a valid batch exactly once, even when the same batch is posted twice', async () => {
    const batch = JSON.stringify([attackEnvelope('once-1'), attackEnvelope('once-2')]);
    const before = await h.streamMessages();
    const first = await postSignals(h.url, key, batch);
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ accepted: 2, duplicates: [], rejected: [] });
    const second = await postSignals(h.url, key, batch);
    expect(second.status).toBe(202);
    expect(second.body).toEqual({
      accepted: 0,
      duplicates: [
        { index: 0, id: 'once-1', reason: 'already-stored' },
        { index: 1, id: 'once-2', reason: 'already-stored' },
      ],
      rejected: [],
    });
    expect(await h.streamMessages()).toBe(before + 2);
  });

  it('stores the record on signals.<tenant>.<type> with the envelope unchanged and the tenant from the key', async () => {
    // A body that claims another tenant is refused outright, not stored beside the real one.
    const claim = await postSignals(
      h.url,
      key,
      JSON.stringify([attackEnvelope('rec-claim', { tenant: 'globex' })]),
    );
    expect(claim.status).toBe(422);
    expect(JSON.stringify(claim.body)).toContain('\\"tenant\\" is reserved for the platform');
    const envelope = attackEnvelope('rec-1', {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect((await postSignals(h.url, key, JSON.stringify([envelope]))).status).toBe(202);
    const { subject, record } = await storedRecord('rec-1');
    expect(subject).toBe('signals.acme.attack');
    expect(record.event).toEqual(envelope);
    expect(record.vigil).toMatchObject({
      tenant: 'acme',
      schema: 'urn:vigil:signal:attack:1',
      clientIp: '127.0.0.1',
    });
  });

  it('accepts the valid items of a mixed batch and reports each rejected one with index, id and errors', async () => {
    const batch = [
      attackEnvelope('mix-ok'),
      attackEnvelope('mix-type', { type: 'nope' }),
      attackEnvelope('mix-version', { dataversion: 9 }),
      attackEnvelope('mix-extra', {}, { payload: 'x' }),
      attackEnvelope('mix-coerce', {}, { rule: { id: 5 } }),
      attackEnvelope('mix-ok', {}),
    ];
    const { status, body } = await postSignals(h.url, key, JSON.stringify(batch));
    expect(status).toBe(202);
    expect(body['accepted']).toBe(1);
    expect(body['duplicates']).toEqual([{ index: 5, id: 'mix-ok', reason: 'in-batch' }]);
    const rejected = body['rejected'] as Array<{
      index: number;
      id: string;
      errors: Array<Record<string, unknown>>;
    }>;
    expect(
      rejected.map((r) => [r.index, r.id, r.errors[0]?.['rule'], r.errors[0]?.['pointer']]),
    ).toEqual([
      [1, 'mix-type', 'unknown-type', '/type'],
      [2, 'mix-version', 'unknown-version', '/dataversion'],
      [3, 'mix-extra', 'additionalProperties', '/data/payload'],
      [4, 'mix-coerce', 'type', '/data/rule/id'],
    ]);
    expect(rejected[2]?.errors[0]?.['message']).toContain('"data.payload"');
  });

  it('answers 422 when every item is rejected', async () => {
    const { status, body } = await postSignals(
      h.url,
      key,
      JSON.stringify([attackEnvelope('bad', { source: undefined })]),
    );
    expect(status).toBe(422);
    expect(body['accepted']).toBe(0);
  });

  it('refuses __proto__ and constructor keys without polluting any prototype', async () => {
    const text = JSON.stringify([attackEnvelope('proto')]).replace(
      '"data":{',
      '"data":{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},',
    );
    const { body } = await postSignals(h.url, key, text);
    const pointers = (
      body['rejected'] as Array<{ errors: Array<{ pointer: string }> }>
    )[0]?.errors.map((e) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/data/__proto__', '/data/constructor']));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses an item nested deeper than the limit, alone', async () => {
    const deep = JSON.parse(`${'{"a":'.repeat(40)}1${'}'.repeat(40)}`) as unknown;
    const { body } = await postSignals(
      h.url,
      key,
      JSON.stringify([attackEnvelope('deep-ok'), attackEnvelope('deep', {}, { rule: deep })]),
    );
    expect(body['accepted']).toBe(1);
    expect(
      (body['rejected'] as Array<{ errors: Array<{ rule: string }> }>)[0]?.errors[0]?.rule,
    ).toBe('max-depth');
  });

  it('answers 400 with the position for an unparsable body', async () => {
    const { status, body } = await postSignals(h.url, key, '[{"id": "a",\n "type": }]');
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: 'invalid-json',
      message: expect.stringMatching(/at line 2, column 10 \(position 22\)/),
    });
  });

  it('answers 415 for a content type it does not read', async () => {
    const { status, body } = await postSignals(h.url, key, 'id=1', {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(status).toBe(415);
    expect(body['message']).toContain('application/x-ndjson');
  });

  it('answers 413 for a body over the limit and for a batch over the item limit', async () => {
    const big = JSON.stringify([
      attackEnvelope('big', {}, { request: { method: 'GET', path: `/${'x'.repeat(300 * 1024)}` } }),
    ]);
    expect((await postSignals(h.url, key, big)).status).toBe(413);
    const many = JSON.stringify(Array.from({ length: 51 }, (_, i) => attackEnvelope(`many-${i}`)));
    const { status, body } = await postSignals(h.url, key, many);
    expect(status).toBe(413);
    expect(body['message']).toBe(
      'the batch holds 51 envelopes; at most 50 are accepted per request',
    );
  });

  it('reads gzip bodies and stops a gzip bomb at the inflated limit', async () => {
    const gzip = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    const ok = await postSignals(
      h.url,
      key,
      gzipSync(JSON.stringify([attackEnvelope('gz-1')])),
      gzip,
    );
    expect(ok.status).toBe(202);
    const bomb = gzipSync(Buffer.from(`[${' '.repeat(50 * 1024 * 1024)}]`));
    const refused = await postSignals(h.url, key, bomb, gzip);
    expect(refused.status).toBe(413);
    expect(refused.body['message']).toBe('the decompressed body is larger than 1048576 bytes');
  });

  it('reads NDJSON and the CloudEvents structured, batched and binary modes, keeping extensions', async () => {
    const nd = `${JSON.stringify(attackEnvelope('nd-1'))}\n${JSON.stringify(attackEnvelope('nd-2'))}\n`;
    expect(
      (await postSignals(h.url, key, nd, { 'content-type': 'application/x-ndjson' })).body[
        'accepted'
      ],
    ).toBe(2);
    const structured = await postSignals(h.url, key, JSON.stringify(attackEnvelope('ce-s')), {
      'content-type': 'application/cloudevents+json',
    });
    expect(structured.body['accepted']).toBe(1);
    const batched = await postSignals(h.url, key, JSON.stringify([attackEnvelope('ce-b')]), {
      'content-type': 'application/cloudevents-batch+json',
    });
    expect(batched.body['accepted']).toBe(1);
    const binary = await postSignals(
      h.url,
      key,
      JSON.stringify({
        outcome: 'failure',
        user: { login: 'alice' },
        actor: { ip: '203.0.113.9' },
      }),
      {
        'content-type': 'application/json',
        'ce-specversion': '1.0',
        'ce-id': 'ce-bin',
        'ce-source': 'agent://shop/pod-1',
        'ce-type': 'auth',
        'ce-time': '2026-11-21T10:00:00Z',
        'ce-subject': 'shop',
        'ce-traceparent': '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      },
    );
    expect(binary.status).toBe(202);
    const { record } = await storedRecord('ce-bin');
    expect(record.event['traceparent']).toBe(
      '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    );
    expect(record.vigil.pii?.['/data/user/login']).toMatch(/^hmac-sha256:/);
  });

  it('validates and enriches without storing in a dry run', async () => {
    const before = await h.streamMessages();
    const { status, body } = await postSignals(
      h.url,
      key,
      JSON.stringify([attackEnvelope('dry-1')]),
      undefined,
      '?dryRun=true',
    );
    expect(status).toBe(202);
    expect((body['records'] as SignalRecordV1[])[0]?.vigil.tenant).toBe('acme');
    expect(await h.streamMessages()).toBe(before);
  });

  it('counts accepted and rejected signals in /metrics', async () => {
    const text = await (await fetch(`${h.url}/metrics`)).text();
    expect(text).toMatch(/vigil_ingest_signals_accepted_total\{type="attack"\} [1-9]/);
    expect(text).toMatch(/vigil_ingest_signals_rejected_total\{reason="unknown-type"\} [1-9]/);
    // Every stored signal's ack latency was observed (not just the histogram declared).
    expect(text).toMatch(/vigil_ingest_publish_seconds_count [1-9]/);
    expect(text).toMatch(/vigil_ingest_publish_seconds_bucket\{le="5"\} [1-9]/);
  });
});
