import type { ScanJobV1 } from '@vigil/signals';

/** What a tool's handler gets for one job. */
export interface JobContext {
  /** The job: its kind, application, input and scan id. */
  readonly job: ScanJobV1;
  /** Delivery number: 1, then 2… after a worker died or the job failed transiently. */
  readonly attempt: number;
  /** Aborted when the job runs past the worker's time limit or the worker stops. */
  readonly signal: AbortSignal;
  /** Reports progress (percent, and a line for people); sent at most once a second. */
  progress(percent: number, message?: string): void;
}
