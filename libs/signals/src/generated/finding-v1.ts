/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/signals/finding/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * One result of a scanner about the application named by the envelope's `subject`. The fingerprint is stable across scans, so the same issue found again updates one tracked finding.
 */
export interface FindingV1 {
  /**
   * Stable identifier of the issue, the same each time a scan finds it (e.g. a hash of tool, rule and location).
   */
  fingerprint: string;
  /**
   * Id of the scan that produced the finding, when a scan did.
   */
  scanId?: string;
  /**
   * The scanner.
   */
  tool: {
    /**
     * Tool name, e.g. `vigil-dependencies`.
     */
    name: string;
    /**
     * Tool version.
     */
    version?: string;
  };
  /**
   * Scan kind that found it, e.g. `dependencies`.
   */
  kind: string;
  /**
   * Severity of the issue.
   */
  severity: 'info' | 'low' | 'medium' | 'high' | 'critical';
  /**
   * Where the finding stands in its workflow, as the scans product tracks it. Scanners leave it out (a finding they report is open); the scans product republishes a finding with its new status when it is fixed, accepted or marked a false positive.
   */
  status?: 'open' | 'fixed' | 'accepted' | 'false-positive';
  /**
   * One-line summary.
   */
  title: string;
  /**
   * Details and remediation advice.
   */
  description?: string;
  /**
   * Where the issue is.
   */
  location?: {
    /**
     * Path of the file, relative to the artifact root.
     */
    file?: string;
    /**
     * Line number in the file.
     */
    line?: number;
    /**
     * Host name or IP address.
     */
    host?: string;
    /**
     * TCP port.
     */
    port?: number;
    /**
     * Affected package.
     */
    package?: {
      /**
       * Package ecosystem.
       */
      ecosystem:
        'npm' | 'pypi' | 'maven' | 'rubygems' | 'go' | 'nuget' | 'packagist' | 'cargo' | 'other';
      /**
       * Package name.
       */
      name: string;
      /**
       * Installed version.
       */
      version: string;
      /**
       * First version without the issue, when known.
       */
      fixedIn?: string;
    };
  };
  /**
   * Public identifiers of the issue.
   *
   * @maxItems 32
   *
   * Items: One identifier.
   */
  identifiers?: {
    /**
     * Identifier scheme.
     */
    type: 'cve' | 'ghsa' | 'osv' | 'cwe' | 'other';
    /**
     * Identifier, e.g. `CVE-2024-1234`.
     */
    value: string;
  }[];
  /**
   * Links to advisories or documentation.
   *
   * @maxItems 32
   *
   * Items: A link.
   */
  references?: string[];
}
