import { sampleAttackData } from '@vigil/signals/testing';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findSchemasDir, SchemaRegistry, SignalValidator } from '@vigil/signals';
import type { ClientOptions, Transport, TransportResponse } from './sdk.types';
import { createClient, SignalRejectedError } from './vigil-client';

/** A scripted stand-in for the HTTP API (the real one is used in vigil-client.integration-spec.ts). */
class ScriptedTransport implements Transport {
  readonly batches: Array<Array<Record<string, unknown>>> = [];
  constructor(
    private readonly answer: (
      batch: Array<Record<string, unknown>>,
      call: number,
    ) => TransportResponse | Error = () => accepted(),
  ) {}

  async send(body: string): Promise<TransportResponse> {
    const batch = JSON.parse(body) as Array<Record<string, unknown>>;
    this.batches.push(batch);
    const answer = this.answer(batch, this.batches.length);
    if (answer instanceof Error) {
      throw answer;
    }
    return answer;
  }
}

function accepted(): TransportResponse {
  return { status: 202, body: { accepted: 0, duplicates: [], rejected: [] } };
}

const attack = sampleAttackData;

function options(transport: Transport, extra: Partial<ClientOptions> = {}): ClientOptions {
  return {
    endpoint: 'http://unused',
    apiKey: 'k',
    source: 'agent://shop/1',
    subject: 'shop',
    transport,
    retryBaseMs: 1,
    ...extra,
  };
}

describe('VigilClient (with a scripted in-memory transport)', () => {
  it('builds CloudEvents envelopes with sortable unique ids', async () => {
    const transport = new ScriptedTransport();
    const client = createClient(options(transport));
    const first = client.publish('attack', attack, { extensions: { traceparent: '00-abc-01' } });
    const second = client.publish('attack', attack);
    await client.close();
    expect(second > first).toBe(true);
    expect(transport.batches[0]?.[0]).toMatchObject({
      specversion: '1.0',
      id: first,
      source: 'agent://shop/1',
      type: 'attack',
      subject: 'shop',
      dataversion: 1,
      traceparent: '00-abc-01',
      data: attack,
    });
  });

  it('publishes tenant-defined types with an explicit version', async () => {
    const transport = new ScriptedTransport();
    const client = createClient(options(transport));
    client.publish('acme.deploy', 3, { commit: 'abc' });
    await client.close();
    expect(transport.batches[0]?.[0]).toMatchObject({
      type: 'acme.deploy',
      dataversion: 3,
      data: { commit: 'abc' },
    });
  });

  it('sends full batches at once and partial ones after the flush interval', async () => {
    const transport = new ScriptedTransport();
    const client = createClient(options(transport, { maxBatchSize: 10, flushIntervalMs: 50 }));
    for (let i = 0; i < 25; i++) {
      client.publish('attack', attack);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(transport.batches.map((b) => b.length)).toEqual([10, 10]);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(transport.batches.map((b) => b.length)).toEqual([10, 10, 5]);
    await client.close();
  });

  it('splits batches by bytes', async () => {
    const transport = new ScriptedTransport();
    const client = createClient(options(transport, { maxBatchBytes: 1_000 }));
    for (let i = 0; i < 6; i++) {
      client.publish('attack', attack);
    }
    await client.close();
    expect(transport.batches.length).toBeGreaterThan(1);
    expect(transport.batches.flat()).toHaveLength(6);
  });

  it('retries temporary failures and honours Retry-After', async () => {
    const transport = new ScriptedTransport((_batch, call) =>
      call === 1 ? { status: 503, retryAfterMs: 120, body: {} } : accepted(),
    );
    const client = createClient(options(transport));
    client.publish('attack', attack);
    const started = Date.now();
    await client.close();
    expect(transport.batches).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(110);
    expect(client.counters()).toMatchObject({ sent: 1, dropped: 0 });
  });

  it('splits a batch the platform finds too large (413) and delivers the halves', async () => {
    const transport = new ScriptedTransport((batch) =>
      batch.length > 2 ? { status: 413, body: { message: 'too large' } } : accepted(),
    );
    const client = createClient(options(transport, { maxBatchSize: 8 }));
    for (let i = 0; i < 8; i++) {
      client.publish('attack', attack);
    }
    await client.close();
    expect(transport.batches.map((b) => b.length)).toEqual([8, 4, 2, 2, 4, 2, 2]);
    expect(client.counters()).toMatchObject({ sent: 8, dropped: 0 });
  });

  it('does not retry a refused credential, and reports it', async () => {
    const errors: Error[] = [];
    const transport = new ScriptedTransport(() => ({
      status: 401,
      body: { message: 'the API key is unknown, malformed or revoked' },
    }));
    const client = createClient(options(transport, { onError: (e) => errors.push(e) }));
    client.publish('attack', attack);
    await client.close();
    expect(transport.batches).toHaveLength(1);
    expect(errors[0]?.message).toBe(
      'Vigil answered 401: the API key is unknown, malformed or revoked',
    );
    expect(client.counters().dropped).toBe(1);
  });

  it('reports refused signals to onRejected without retrying them', async () => {
    const rejected: unknown[] = [];
    const transport = new ScriptedTransport(() => ({
      status: 202,
      body: {
        accepted: 1,
        duplicates: [],
        rejected: [
          {
            index: 1,
            id: 'x',
            errors: [{ pointer: '/data/category', rule: 'enum', message: 'bad' }],
          },
        ],
      },
    }));
    const client = createClient(options(transport, { onRejected: (r) => rejected.push(r) }));
    client.publish('attack', attack);
    client.publish('attack', attack);
    await client.close();
    expect(transport.batches).toHaveLength(1);
    expect(rejected).toEqual([
      expect.objectContaining({ id: 'x', errors: [expect.objectContaining({ rule: 'enum' })] }),
    ]);
    expect(client.counters()).toMatchObject({ sent: 1, rejected: 1 });
  });

  it('applies the declared overflow policy', () => {
    const blocked = new ScriptedTransport(() => new Error('offline'));
    const dropOldest = createClient(
      options(blocked, { maxQueued: 2, maxBatchSize: 100, flushIntervalMs: 60_000 }),
    );
    for (let i = 0; i < 5; i++) {
      dropOldest.publish('attack', attack);
    }
    expect(dropOldest.counters()).toMatchObject({ queued: 2, dropped: 3 });
    const strict = createClient(
      options(blocked, { maxQueued: 1, overflow: 'throw', flushIntervalMs: 60_000 }),
    );
    strict.publish('attack', attack);
    expect(() => strict.publish('attack', attack)).toThrow(/queue is full/);
  });

  it('keeps undeliverable batches in the spool and a new client sends them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigil-spool-'));
    try {
      const offline = createClient(
        options(new ScriptedTransport(() => new Error('ECONNREFUSED')), {
          spoolDir: dir,
          maxAttempts: 2,
        }),
      );
      const id = offline.publish('attack', attack);
      await offline.close();
      expect(offline.counters()).toMatchObject({ spooled: 1, dropped: 0 });
      expect(readdirSync(dir).filter((f) => f.endsWith('.ndjson'))).toHaveLength(1);

      const online = new ScriptedTransport();
      const restarted = createClient(options(online, { spoolDir: dir }));
      await restarted.close();
      expect(online.batches[0]?.[0]?.['id']).toBe(id);
      expect(readdirSync(dir).filter((f) => f.endsWith('.ndjson'))).toHaveLength(0);
      expect(restarted.counters()).toMatchObject({ sent: 1, spooled: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid signal at the call site when given a validator', () => {
    const validator = new SignalValidator(SchemaRegistry.fromDirectory(findSchemasDir() as string));
    const client = createClient(options(new ScriptedTransport()), validator);
    expect(() => client.publish('attack', { ...attack, category: 'hacking' } as never)).toThrow(
      SignalRejectedError,
    );
  });

  it('requires a subject', () => {
    const client = createClient(options(new ScriptedTransport(), { subject: undefined }));
    expect(() => client.publish('attack', attack)).toThrow(
      /subject \(the application\) is required/,
    );
  });
});
