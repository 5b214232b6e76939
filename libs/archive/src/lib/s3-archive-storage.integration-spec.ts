import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from '@20minutes/s3rver';
import { connectBus, SignalPublisher, type NatsConnection } from '@vigil/bus';
import { sampleAttackEnvelope } from '@vigil/signals/testing';
import { eventually, freePort, startNatsServer, type TestNatsServer } from '@vigil/testing';
import { ArchiveCatalog } from './archive-catalog';
import { provisionTestStreams } from './archive-test-helpers';
import { ArchiveQueryEngine } from './archive-query';
import { ArchiveStorageError } from './archive-storage';
import { Archiver } from './archiver';
import { S3ArchiveStorage } from './s3-archive-storage';

/**
 * s3rver is a real S3-compatible HTTP server (in-process, files on disk). Its signature check
 * canonicalises bucket-level paths without the trailing slash the AWS SDK signs, so signatures
 * are required to be well-formed but are not compared (`allowMismatchedSignatures`).
 */
async function startS3(port: number, directory: string): Promise<S3rver> {
  const server = new S3rver({
    port,
    address: '127.0.0.1',
    directory,
    silent: true,
    allowMismatchedSignatures: true,
    configureBuckets: [{ name: 'vigil-archive' }],
  });
  await server.run();
  return server;
}

describe('S3ArchiveStorage against an S3-compatible server (s3rver) and a real nats-server', () => {
  let s3: S3rver;
  let port: number;
  let work: string;
  let storage: S3ArchiveStorage;
  let nats: TestNatsServer;
  let nc: NatsConnection;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'vigil-s3-'));
    port = await freePort();
    s3 = await startS3(port, join(work, 'bucket'));
    storage = new S3ArchiveStorage({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'us-east-1',
      bucket: 'vigil-archive',
      prefix: 'vigil/',
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      cacheDir: join(work, 'cache'),
      cacheMaxBytes: 64 * 1024 * 1024,
    });
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 's3-archive-test' });
    await provisionTestStreams(nc);
  });

  afterAll(async () => {
    storage.close();
    await s3.close().catch(() => undefined);
    await nc.close();
    await nats.stop();
    await rm(work, { recursive: true, force: true });
  });

  it('stores, lists, reads, checks and deletes objects under its prefix', async () => {
    const local = join(work, 'upload.bin');
    await writeFile(local, 'parquet bytes');
    await storage.putFile('tenant=a/type=attack/date=2026-11-21/hour=10/part-1.parquet', local);
    await storage.putBytes('_ledger/archiver/1-1-x.json', Buffer.from('{"files":[]}'));
    const listed = [];
    for await (const object of storage.list('tenant=a/')) {
      listed.push(object);
    }
    expect(listed.map((o) => [o.key, o.size])).toEqual([
      ['tenant=a/type=attack/date=2026-11-21/hour=10/part-1.parquet', 13],
    ]);
    const key = listed[0]?.key ?? 'missing';
    expect(await storage.exists(key)).toBe(true);
    expect((await storage.getBytes('_ledger/archiver/1-1-x.json'))?.toString()).toBe(
      '{"files":[]}',
    );
    expect(await storage.getBytes('missing.json')).toBeUndefined();
    await storage.delete([key, '_ledger/archiver/1-1-x.json']);
    expect(await storage.exists(key)).toBe(false);
  });

  it('archives to the bucket, answers SQL from local copies, and waits out an outage without acknowledging', async () => {
    const failures: string[] = [];
    const archiver = await Archiver.start(nc, storage, {
      maxRows: 50,
      maxBytes: 8 * 1024 * 1024,
      maxAgeMs: 200,
      retryDelayMs: () => 200,
      stagingDir: join(work, 'staging'),
      events: { failed: (error) => failures.push(String(error)) },
    });
    const publisher = new SignalPublisher(nc);
    const publishRange = async (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        const id = `s3-${i}`;
        await publisher.publish({
          subject: 'signals.acme.attack',
          msgId: id,
          payload: Buffer.from(
            JSON.stringify({
              event: sampleAttackEnvelope(id),
              vigil: {
                tenant: 'acme',
                keyId: 'k',
                receivedAt: new Date().toISOString(),
                ingestId: id,
                schema: 'urn:vigil:signal:attack:1',
              },
            }),
          ),
        });
      }
    };
    const engine = new ArchiveQueryEngine(new ArchiveCatalog(storage), {
      timeoutMs: 5_000,
      maxRows: 10,
      memoryLimit: '256MB',
      threads: 1,
    });
    const archived = async () =>
      (await engine.run({ tenant: 'acme', sql: 'SELECT count(*) FROM signals' })).rows[0]?.[0];

    await publishRange(0, 120);
    await eventually(async () => (await archived()) === 120);

    await s3.close();
    await publishRange(120, 200);
    await eventually(() => failures.length >= 2);
    expect(failures[0]).toMatch(/object storage: could not/);
    await expect(archived()).rejects.toBeInstanceOf(ArchiveStorageError);

    s3 = await startS3(port, join(work, 'bucket'));
    await eventually(async () => (await archived()) === 200, 20_000);
    await archiver.stop();
    const distinct = await engine.run({
      tenant: 'acme',
      sql: 'SELECT count(DISTINCT id) FROM signals',
    });
    expect(distinct.rows).toEqual([[200]]);
  });
});
