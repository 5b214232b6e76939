import type { FindingV1, ScanJobEventV1 } from '@vigil/signals';

/** A finding as a tool reports it; the worker framework adds the scan id and publishes it. */
export type FindingDraft = Omit<FindingV1, 'scanId' | 'status'>;

/** A fact a tool saw, which feedback rules may turn into follow-up jobs. */
export type Observation = NonNullable<ScanJobEventV1['observations']>[number];

/** What a tool returns for one job. */
export interface ToolResult {
  readonly findings: readonly FindingDraft[];
  readonly observations?: readonly Observation[];
}

/**
 * A job that cannot succeed as asked (missing artifact, wrong format, target not allowed):
 * failed at once, never retried. Any other error is taken as transient and retried.
 */
export class JobFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JobFailure';
  }
}
