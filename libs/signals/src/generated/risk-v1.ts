/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/signals/risk/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * A change of an application's security posture, published by the risks product: a structural risk opened (the app runs as root, its runtime is past end of life, a package in its live inventory has a known vulnerability…), resolved (no agent reports it any more) or accepted by the tenant. The envelope's `subject` is the application.
 */
export interface RiskV1 {
  /**
   * What happened to the risk.
   */
  change: 'opened' | 'resolved' | 'accepted';
  /**
   * Stable id of the risk within the tenant (the same across its openings and resolutions).
   */
  riskId: string;
  /**
   * The rule that found it, e.g. `process-root`, `runtime-eol`, `vulnerable-package`.
   */
  rule: string;
  /**
   * How severe the risk is.
   */
  severity: 'low' | 'medium' | 'high' | 'critical';
  /**
   * One line for people, e.g. `runs as root (uid 0)`.
   */
  title: string;
  /**
   * What the risk is about within the application, e.g. `npm:lodash@4.17.20` or `node@16.20.2`.
   */
  subjectKey?: string;
  /**
   * The facts kept as evidence (advisory ids, the measured skew, the runtime's end-of-life date…).
   */
  evidence?: {
    /**
     * One fact.
     */
    [k: string]: string | number | boolean | undefined;
  };
  /**
   * Ids of the agents that report it.
   *
   * @maxItems 50
   *
   * Items: An agent id.
   */
  agents?: string[];
  /**
   * Priority from 0 to 100: the severity, raised when the application is under a related attack.
   */
  priority?: number;
  /**
   * Why the tenant accepted it (accepted only).
   */
  reason?: string;
  /**
   * When the acceptance ends (accepted only).
   */
  acceptedUntil?: string;
}
