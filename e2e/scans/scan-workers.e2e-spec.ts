import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from '@vigil/testing';
import { ScansPlatform, shopRequest, type ScanBody } from './scans-journey';

const workspaceRoot = join(__dirname, '..', '..');

interface TestWorker {
  readonly child: ChildProcess;
  output(): string;
}

/** Starts `support/test-worker.ts` as its own process and resolves once it takes jobs. */
function startTestWorker(env: Record<string, string>): Promise<TestWorker> {
  const child = spawn(
    process.execPath,
    [join(workspaceRoot, 'tools/scripts/run-ts.js'), join(__dirname, 'support/test-worker.ts')],
    {
      cwd: workspaceRoot,
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return eventually(() => output.includes('ready'), 30_000).then(() => ({
    child,
    output: () => output,
  }));
}

/**
 * Journey: workers written with the framework, in their own processes. One is killed mid-job and
 * the job completes once on another; one returns malformed results, which ingestion refuses and
 * the job fails with the reason (ingestion, scans and worker processes; real nats-server and
 * PostgreSQL).
 */
describe('scan workers (killed mid-job, malformed results; real processes, nats-server and PostgreSQL)', () => {
  const platform = new ScansPlatform();
  const workers: TestWorker[] = [];
  let key: string;

  const workerEnv = (kind: string, id: string, sleepMs = 0) => ({
    KIND: kind,
    WORKER_ID: id,
    SLEEP_MS: String(sleepMs),
    NATS_URL: platform.nats.url,
    VIGIL_URL: platform.ingestion.url,
  });

  beforeAll(async () => {
    await platform.start({
      VIGIL_SCANS_KINDS: 'sleepy,sloppy',
      VIGIL_SCANS_JOB_ACK_WAIT: '2s',
      VIGIL_SCANS_JOB_ATTEMPTS: '3',
    });
    key = await platform.tenant('acme');
  }, 120_000);

  afterAll(async () => {
    workers.forEach((worker) => worker.child.kill('SIGKILL'));
    await platform.stop();
  });

  it('a worker killed mid-job: the job is delivered again and completes once', async () => {
    const first = await startTestWorker(workerEnv('sleepy', 'worker-a', 3_000));
    workers.push(first);
    const requested = await platform.call<{ id: string }>(
      'POST',
      '/v1/scans',
      key,
      shopRequest({ kinds: ['sleepy'] }),
    );
    const scanPath = `/v1/scans/${requested.json.id}`;
    await eventually(
      async () =>
        (await platform.call<ScanBody>('GET', scanPath, key)).json.jobs[0]?.state === 'running',
      15_000,
    );
    expect(first.output()).toContain('working on');
    first.child.kill('SIGKILL');

    const second = await startTestWorker(workerEnv('sleepy', 'worker-b', 500));
    workers.push(second);
    let scan: ScanBody | undefined;
    await eventually(async () => {
      scan = (await platform.call<ScanBody>('GET', scanPath, key)).json;
      return scan.state !== 'running';
    }, 30_000);
    expect(scan).toMatchObject({ state: 'succeeded', findings: { total: 1 } });
    expect(scan?.jobs[0]).toMatchObject({
      state: 'succeeded',
      attempts: 2,
      worker: 'worker-b',
      findings: 1,
    });
    await eventually(
      async () => (await platform.findings(key, 'app=shop&kind=sleepy')).length === 1,
      10_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // past another ack wait: nothing more arrives
    expect(await platform.findings(key, 'app=shop&kind=sleepy')).toHaveLength(1);
    expect((second.output().match(/working on/g) ?? []).length).toBe(1);
  });

  it('malformed results are refused at ingestion and the job fails with the reason', async () => {
    workers.push(await startTestWorker(workerEnv('sloppy', 'worker-c')));
    const scan = await platform.scanAndWait(key, shopRequest({ kinds: ['sloppy'] }));
    expect(scan.state).toBe('failed');
    expect(scan.jobs[0]).toMatchObject({ state: 'failed', attempts: 1 });
    expect(scan.jobs[0]?.message).toMatch(
      /ingestion refused 1 of 1 findings: \/data\/severity .*must be one of/,
    );
    expect(await platform.findings(key, 'app=shop&kind=sloppy')).toEqual([]);
  });
});
