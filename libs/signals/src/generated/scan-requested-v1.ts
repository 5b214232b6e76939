/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/signals/scan.requested/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * A CI pipeline, a user or a schedule asks for security scans of one application release.
 */
export interface ScanRequestedV1 {
  /**
   * Application to scan; should equal the envelope's `subject`.
   */
  application: string;
  /**
   * Release version being scanned.
   */
  version?: string;
  /**
   * Commit hash of the release.
   */
  commit?: string;
  /**
   * What to scan.
   */
  artifact: {
    /**
     * Kind of artifact.
     */
    kind: 'directory' | 'archive' | 'git' | 'image' | 'host';
    /**
     * Where the artifact is: a path, an archive name, a repository URL, an image reference or a host name.
     */
    ref: string;
  };
  /**
   * Scan kinds to run, one job each, e.g. `dependencies`, `secrets`, `ports`.
   *
   * @minItems 1
   * @maxItems 16
   *
   * Items: Scan kind (the tool family that runs it).
   */
  kinds: [string, ...string[]];
  /**
   * Network targets, for scan kinds that probe hosts.
   */
  targets?: {
    /**
     * Host names or IP addresses.
     *
     * @maxItems 256
     *
     * Items: Host name or IP address.
     */
    hosts?: string[];
    /**
     * TCP ports.
     *
     * @maxItems 1024
     *
     * Items: TCP port.
     */
    ports?: number[];
  };
  /**
   * Who asked for the scan.
   */
  requestedBy: {
    /**
     * Kind of requester; `feedback` when another tool's findings triggered it.
     */
    kind: 'ci' | 'user' | 'schedule' | 'feedback';
    /**
     * Name of the pipeline, person or tool.
     */
    name: string;
    /**
     * Link to the pipeline run or request.
     */
    url?: string;
  };
}
