/**
 * @vigil/scan-jobs — scan jobs over NATS JetStream: provisioning of the job queue and event
 * streams, queuing jobs, and the worker framework with which a new scanner tool is written in a
 * few lines (jobs from a shared durable consumer, findings published through ingestion with the
 * SDK, progress and results reported back).
 */
export { ensureScanStreams, type JobQueuePolicy } from './lib/scan-streams';
export { JobQueue } from './lib/job-queue';
export { ScanWorker, type ScanHandler, type ScanWorkerOptions } from './lib/scan-worker';
export type { JobContext } from './lib/job-context';
