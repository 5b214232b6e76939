/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/documents/scan-job-event/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * What a worker reports about a job (subject `scans.events.<tenant>`): it started, how far it is, that it succeeded with a summary of what it published, or that it failed and why.
 */
export interface ScanJobEventV1 {
  /**
   * The job reported on.
   */
  jobId: string;
  /**
   * Delivery number of the job this report belongs to (1 for the first).
   */
  attempt: number;
  /**
   * What happened.
   */
  state: 'started' | 'progress' | 'succeeded' | 'failed';
  /**
   * Identifier of the worker process.
   */
  worker: string;
  /**
   * When it happened, by the worker's clock.
   */
  at: string;
  /**
   * Percent done, for `progress`.
   */
  progress?: number;
  /**
   * A line for people: what the worker is doing, or why the job failed.
   */
  message?: string;
  /**
   * For `failed`: true when another attempt may succeed (the job is delivered again while attempts remain).
   */
  retryable?: boolean;
  /**
   * For `succeeded`: every finding the job published, in short.
   *
   * @maxItems 5000
   *
   * Items: One published finding.
   */
  findings?: {
    /**
     * The finding's stable fingerprint.
     */
    fingerprint: string;
    /**
     * Its severity.
     */
    severity: 'info' | 'low' | 'medium' | 'high' | 'critical';
    /**
     * Its one-line summary.
     */
    title: string;
  }[];
  /**
   * For `succeeded`: facts the tool saw that feedback rules may turn into follow-up jobs (e.g. an open HTTP port).
   *
   * @maxItems 1024
   *
   * Items: One observation.
   */
  observations?: {
    /**
     * What was observed, e.g. `open-port`.
     */
    type: string;
    /**
     * Host concerned.
     */
    host?: string;
    /**
     * TCP port concerned.
     */
    port?: number;
    /**
     * Protocol recognised on the port, e.g. `http`.
     */
    service?: string;
  }[];
}
