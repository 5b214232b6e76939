/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/documents/scan-job/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * One job of a scan, as the scans service queues it for the workers of one scan kind (subject `scans.jobs.<kind>`). Workers publish what they find through ingestion with the job's credential and report the job's progress as scan-job events.
 */
export interface ScanJobV1 {
  /**
   * Job identifier (a ULID), unique across the platform.
   */
  jobId: string;
  /**
   * The scan the job belongs to.
   */
  scanId: string;
  /**
   * Tenant that requested the scan.
   */
  tenant: string;
  /**
   * Application scanned: the `subject` of the findings the job publishes.
   */
  app: string;
  /**
   * Scan kind: which tool's workers take the job.
   */
  kind: string;
  /**
   * 0 for a requested job; n + 1 for a job that feedback derived from a job of depth n.
   */
  depth: number;
  /**
   * Deliveries of the job before it fails for good (a worker that dies or times out costs one).
   */
  maxAttempts: number;
  /**
   * What the tool works on.
   */
  input: {
    /**
     * The artifact of the scan request.
     */
    artifact?: {
      /**
       * Kind of artifact.
       */
      kind: 'directory' | 'archive' | 'git' | 'image' | 'host';
      /**
       * Where the artifact is.
       */
      ref: string;
    };
    /**
     * Hosts to probe.
     *
     * @maxItems 256
     *
     * Items: Host name or IP address.
     */
    hosts?: string[];
    /**
     * TCP ports to probe.
     *
     * @maxItems 1024
     *
     * Items: TCP port.
     */
    ports?: number[];
  };
  /**
   * A short-lived API key of the tenant, bound to the application, with only the `signals:write` scope; revoked when the job ends.
   */
  credential: string;
  /**
   * After this time the scans service fails the job whatever a worker still reports.
   */
  deadline: string;
}
