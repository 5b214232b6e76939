/**
 * A scanner worker written with the worker framework, as a third party would: `sleepy` takes
 * `SLEEP_MS` before reporting one finding; `sloppy` reports a finding its schema refuses.
 * Started as its own process by the worker journeys (so a test can kill it mid-job).
 */
import { connectBus } from '@vigil/bus';
import { ScanWorker } from '@vigil/scan-jobs';
import { fingerprintOf, type FindingDraft } from '@vigil/scans';

async function main(): Promise<void> {
  const kind = process.env['KIND'] ?? 'sleepy';
  const nc = await connectBus({ servers: process.env['NATS_URL'] ?? '', name: `e2e-${kind}` });
  await ScanWorker.start(
    nc,
    {
      kind,
      tool: `e2e-${kind}`,
      ingestUrl: process.env['VIGIL_URL'] ?? '',
      workerId: process.env['WORKER_ID'],
    },
    async ({ job }) => {
      process.stderr.write(`working on ${job.jobId}\n`);
      await new Promise((resolve) => setTimeout(resolve, Number(process.env['SLEEP_MS'] ?? 0)));
      const finding: FindingDraft = {
        fingerprint: fingerprintOf(kind, job.app),
        tool: { name: `e2e-${kind}` },
        kind,
        severity: (kind === 'sloppy' ? 'urgent' : 'low') as FindingDraft['severity'],
        title: `${kind} finding`,
      };
      return { findings: [finding] };
    },
  );
  process.stderr.write('ready\n');
}

void main();
