import { createHash } from 'node:crypto';
import { createClient, type RejectedSignal } from '@vigil/sdk';
import type { FindingDraft } from '@vigil/scans';
import type { ScanJobV1 } from '@vigil/signals';

/** What became of a job's findings at ingestion. */
export type PublishOutcome =
  | { readonly kind: 'stored' }
  | { readonly kind: 'rejected'; readonly reason: string }
  | { readonly kind: 'undelivered'; readonly reason: string };

/**
 * Publishes a job's findings through ingestion with the SDK and the job's short-lived key, as
 * `finding` signals about the job's application carrying the scan id. Envelope ids derive from
 * the job and the fingerprint, so a job run twice (a worker died) stores each finding once.
 */
export async function publishFindings(
  ingestUrl: string,
  job: ScanJobV1,
  source: string,
  findings: readonly FindingDraft[],
): Promise<PublishOutcome> {
  const rejected: RejectedSignal[] = [];
  const errors: Error[] = [];
  const client = createClient({
    endpoint: ingestUrl,
    apiKey: job.credential,
    source,
    subject: job.app,
    maxAttempts: 3,
    onRejected: (signal) => rejected.push(signal),
    onError: (error) => errors.push(error),
  });
  for (const finding of findings) {
    client.publish(
      'finding',
      { ...finding, scanId: job.scanId },
      { id: findingEventId(job, finding) },
    );
  }
  await client.close();
  const { dropped } = client.counters();
  if (rejected.length > 0) {
    const first = rejected[0]?.errors[0];
    return {
      kind: 'rejected',
      reason:
        `ingestion refused ${rejected.length} of ${findings.length} findings: ${first?.pointer ?? ''} ${first?.message ?? ''}`.trim(),
    };
  }
  if (dropped > 0) {
    return {
      kind: 'undelivered',
      reason: `${dropped} findings could not be delivered to ingestion: ${errors[0]?.message ?? 'unknown error'}`,
    };
  }
  return { kind: 'stored' };
}

function findingEventId(job: ScanJobV1, finding: FindingDraft): string {
  const digest = createHash('sha256').update(`${job.jobId}\n${finding.fingerprint}`).digest('hex');
  return `finding-${digest.slice(0, 40)}`;
}
