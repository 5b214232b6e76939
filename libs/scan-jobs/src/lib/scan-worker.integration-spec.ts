import { jetstream } from '@nats-io/jetstream';
import { connectBus, type NatsConnection } from '@vigil/bus';
import { JobFailure, SCAN_EVENTS_STREAM } from '@vigil/scans';
import type { ScanJobEventV1, ScanJobV1 } from '@vigil/signals';
import { eventually, startNatsServer, type TestNatsServer } from '@vigil/testing';
import { JobQueue } from './job-queue';
import { ensureScanStreams } from './scan-streams';
import { ScanWorker } from './scan-worker';

let sequence = 0;
function job(kind: string, overrides: Partial<ScanJobV1> = {}): ScanJobV1 {
  sequence++;
  return {
    jobId: `job-${sequence}-${Date.now()}`,
    scanId: 'scan-1',
    tenant: 'acme',
    app: 'shop',
    kind,
    depth: 0,
    maxAttempts: 3,
    input: {},
    credential: 'vgl_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    deadline: new Date(Date.now() + 60_000).toISOString(),
    ...overrides,
  };
}

describe('ScanWorker (real nats-server)', () => {
  let nats: TestNatsServer;
  let nc: NatsConnection;
  const events: ScanJobEventV1[] = [];
  const workers: ScanWorker[] = [];

  beforeAll(async () => {
    nats = await startNatsServer();
    nc = await connectBus({ servers: nats.url, name: 'scan-worker-spec' });
    await ensureScanStreams(nc, {
      kinds: ['flaky', 'broken', 'late'],
      ackWaitMs: 1_000,
      maxAttempts: 3,
    });
    const consumer = await jetstream(nc).consumers.get(SCAN_EVENTS_STREAM);
    void (async () => {
      for await (const message of await consumer.consume()) {
        events.push(message.json<ScanJobEventV1>());
        message.ack();
      }
    })();
  });

  afterAll(async () => {
    await Promise.all(workers.map((worker) => worker.stop()));
    await nc.close();
    await nats.stop();
  });

  const start = async (kind: string, handler: Parameters<typeof ScanWorker.start>[2]) => {
    workers.push(
      await ScanWorker.start(
        nc,
        { kind, tool: `spec-${kind}`, ingestUrl: 'http://127.0.0.1:9' },
        handler,
      ),
    );
  };
  const eventsOf = (jobId: string) =>
    events
      .filter((event) => event.jobId === jobId)
      .map((e) => `${e.attempt}:${e.state}${e.retryable ? ':retry' : ''}`);

  it('retries a transient failure and succeeds on the next attempt, reporting each step', async () => {
    let calls = 0;
    await start('flaky', async () => {
      calls++;
      if (calls === 1) {
        throw new Error('scanner crashed');
      }
      return { findings: [], observations: [{ type: 'open-port', host: '127.0.0.1', port: 80 }] };
    });
    const queued = job('flaky');
    await new JobQueue(nc).enqueue(queued);
    await eventually(() => eventsOf(queued.jobId).includes('2:succeeded'), 15_000);
    expect(eventsOf(queued.jobId)).toEqual([
      '1:started',
      '1:failed:retry',
      '2:started',
      '2:succeeded',
    ]);
    expect(
      events.find((e) => e.jobId === queued.jobId && e.state === 'succeeded')?.observations,
    ).toHaveLength(1);
  });

  it('fails a job at once, without retry, when the tool says it cannot succeed', async () => {
    await start('broken', async () => {
      throw new JobFailure('the artifact has no package-lock.json');
    });
    const queued = job('broken');
    await new JobQueue(nc).enqueue(queued);
    await eventually(() => eventsOf(queued.jobId).includes('1:failed'), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // past the ack wait: no redelivery
    expect(eventsOf(queued.jobId)).toEqual(['1:started', '1:failed']);
    expect(events.find((e) => e.jobId === queued.jobId && e.state === 'failed')?.message).toBe(
      'the artifact has no package-lock.json',
    );
  });

  it('gives up after the last attempt, and refuses a job past its deadline', async () => {
    await start('late', async () => {
      throw new Error('still broken');
    });
    const queued = job('late', { maxAttempts: 2 });
    const expired = job('late', { deadline: new Date(Date.now() - 1_000).toISOString() });
    await new JobQueue(nc).enqueue(queued);
    await new JobQueue(nc).enqueue(expired);
    await eventually(() => eventsOf(queued.jobId).includes('2:failed'), 15_000);
    expect(eventsOf(queued.jobId)).toEqual([
      '1:started',
      '1:failed:retry',
      '2:started',
      '2:failed',
    ]);
    expect(
      events.find((e) => e.jobId === queued.jobId && e.attempt === 2 && e.state === 'failed')
        ?.message,
    ).toBe('gave up after 2 attempts: still broken');
    await eventually(() => eventsOf(expired.jobId).includes('1:failed'), 15_000);
    expect(events.find((e) => e.jobId === expired.jobId && e.state === 'failed')?.message).toBe(
      'the job is past its deadline',
    );
  });
});
