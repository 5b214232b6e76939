import {
  findSchemasDir,
  SchemaRegistry,
  SignalValidator,
  type SignalRecordV1,
} from '@vigil/signals';
import { sampleAttackEnvelope } from '@vigil/signals/testing';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { DecodedItem } from './body/body-decoder';
import { Enricher } from './enrichment/enricher';
import { ThreatIntelLists } from './enrichment/threat-intel-lists';
import { SignalIngestor, type IngestRequest } from './signal-ingestor';
import { IngestIncompleteError, type SignalSink, type SinkMessage } from './signal-sink';

/** An in-memory stand-in for JetStream (the real stream is exercised by the ingestion app's integration tests). */
class InMemorySink implements SignalSink {
  readonly stored = new Map<string, SinkMessage>();
  failAfter = Infinity;

  async store(message: SinkMessage): Promise<{ duplicate: boolean }> {
    if (this.stored.size >= this.failAfter) {
      throw new Error('bus unavailable');
    }
    const duplicate = this.stored.has(message.msgId);
    this.stored.set(message.msgId, message);
    return { duplicate };
  }
}

const validator = new SignalValidator(SchemaRegistry.fromDirectory(findSchemasDir() as string));
const enricher = Enricher.standard({
  threatIntel: ThreatIntelLists.empty(),
  piiKey: Buffer.alloc(32),
});

function attack(id: string, overrides: Record<string, unknown> = {}): DecodedItem {
  return { value: sampleAttackEnvelope(id, { source: 'agent://shop/1', ...overrides }) };
}

function request(items: DecodedItem[], extra: Partial<IngestRequest> = {}): IngestRequest {
  return {
    items,
    publisher: { tenant: 'acme', keyId: 'k1', app: null },
    receivedAt: new Date('2026-11-21T10:00:01Z'),
    clientIp: '198.51.100.7',
    dryRun: false,
    ...extra,
  };
}

describe('SignalIngestor (with an in-memory sink)', () => {
  it('stores valid signals on signals.<tenant>.<type> with the envelope unchanged beside the metadata', async () => {
    const sink = new InMemorySink();
    const item = attack('a1', { traceparent: '00-abc-01' });
    const result = await new SignalIngestor(validator, enricher, sink).ingest(request([item]));
    expect(result).toEqual({ accepted: 1, duplicates: [], rejected: [] });
    const [message] = [...sink.stored.values()];
    expect(message?.subject).toBe('signals.acme.attack');
    expect(message?.headers).toEqual({
      'Vigil-Tenant': 'acme',
      'Vigil-Type': 'attack',
      'Vigil-Event-Id': 'a1',
      'Vigil-App': 'shop',
    });
    const record = JSON.parse(Buffer.from(message?.payload ?? []).toString()) as SignalRecordV1;
    expect(record.event).toEqual((item as { value: unknown }).value);
    expect(record.vigil.tenant).toBe('acme');
    expect(record.vigil.receivedAt).toBe('2026-11-21T10:00:01.000Z');
  });

  it('accepts the valid items of a mixed batch and reports the others with index, id and errors', async () => {
    const sink = new InMemorySink();
    const items = [
      attack('ok-1'),
      attack('bad-1', { type: 'nope' }),
      { problem: { rule: 'max-depth', message: 'too deep' } },
      attack('ok-2'),
    ];
    const result = await new SignalIngestor(validator, enricher, sink).ingest(request(items));
    expect(result.accepted).toBe(2);
    expect(result.rejected).toEqual([
      {
        index: 1,
        id: 'bad-1',
        errors: [expect.objectContaining({ pointer: '/type', rule: 'unknown-type' })],
      },
      { index: 2, errors: [{ pointer: '', rule: 'max-depth', message: 'too deep' }] },
    ]);
    expect(sink.stored.size).toBe(2);
  });

  it('reports the second copy of an id within a batch, and an id already stored, as duplicates', async () => {
    const sink = new InMemorySink();
    const ingestor = new SignalIngestor(validator, enricher, sink);
    expect((await ingestor.ingest(request([attack('d1'), attack('d1')]))).duplicates).toEqual([
      { index: 1, id: 'd1', reason: 'in-batch' },
    ]);
    const again = await ingestor.ingest(request([attack('d1'), attack('d2')]));
    expect(again).toEqual({
      accepted: 1,
      duplicates: [{ index: 0, id: 'd1', reason: 'already-stored' }],
      rejected: [],
    });
  });

  it('scopes deduplication to tenant and source', async () => {
    const sink = new InMemorySink();
    const ingestor = new SignalIngestor(validator, enricher, sink);
    await ingestor.ingest(request([attack('same')]));
    const otherSource = await ingestor.ingest(
      request([attack('same', { source: 'agent://shop/2' })]),
    );
    const otherTenant = await ingestor.ingest(
      request([attack('same')], { publisher: { tenant: 'globex', keyId: 'k2', app: null } }),
    );
    expect([otherSource.accepted, otherTenant.accepted]).toEqual([1, 1]);
  });

  it('refuses signals about another application than the key is bound to', async () => {
    const result = await new SignalIngestor(validator, enricher, new InMemorySink()).ingest(
      request([attack('b1', { subject: 'billing' }), attack('b2')], {
        publisher: { tenant: 'acme', keyId: 'k1', app: 'shop' },
      }),
    );
    expect(result.accepted).toBe(1);
    expect(result.rejected[0]?.errors[0]).toMatchObject({
      pointer: '/subject',
      rule: 'app-binding',
      limit: 'shop',
    });
  });

  it('stores nothing in a dry run and returns the records that would be stored', async () => {
    const sink = new InMemorySink();
    const result = await new SignalIngestor(validator, enricher, sink).ingest(
      request([attack('dry')], { dryRun: true }),
    );
    expect(sink.stored.size).toBe(0);
    expect(result.accepted).toBe(1);
    expect(result.records?.[0]?.vigil).toMatchObject({
      tenant: 'acme',
      clientIp: '198.51.100.7',
      schema: 'urn:vigil:signal:attack:1',
    });
  });

  it('reports nothing accepted when the sink fails part-way, saying how many were stored', async () => {
    const sink = new InMemorySink();
    sink.failAfter = 1;
    const ingestor = new SignalIngestor(validator, enricher, sink);
    const error = await ingestor
      .ingest(request([attack('f1'), attack('f2'), attack('f3')]))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IngestIncompleteError);
    expect((error as IngestIncompleteError).stored).toBe(1);
  });
});

describe('SignalIngestor memory', () => {
  it('lets go of the parsed batch while the sink waits for the stream (only bus messages wait)', async () => {
    // A parsed batch that outlives the round trip to NATS is promoted to the old heap and costs
    // major GCs under load; V8 would keep it alive if an async frame still referenced it.
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    let release: () => void = () => undefined;
    const waiting = new Promise<void>((resolve) => (release = resolve));
    const slowSink: SignalSink = {
      store: () => waiting.then(() => ({ duplicate: false })),
    };
    const ingestor = new SignalIngestor(validator, enricher, slowSink);
    const submit = (): { batch: WeakRef<object>; done: Promise<unknown> } => {
      const items = [attack('m1'), attack('m2')];
      return { batch: new WeakRef(items), done: ingestor.ingest(request(items)) };
    };
    const { batch, done } = submit();
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(batch.deref()).toBeUndefined();
    release();
    await expect(done).resolves.toEqual({ accepted: 2, duplicates: [], rejected: [] });
  });
});
