/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/documents/playbook/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * A declarative detection rule of the playbooks product: which signals it reads, how it groups them, the sliding window and threshold that make a detection, and the response sent to the application's agents. Field references are JSON pointers into the envelope (`/subject`, `/source`, `/data/...`).
 */
export interface PlaybookV1 {
  /**
   * Stable identifier of the playbook within the tenant, e.g. `credential-stuffing`.
   */
  id: string;
  /**
   * Name shown to operators and in responses.
   */
  name: string;
  /**
   * What the playbook detects and why its thresholds are what they are.
   */
  description?: string;
  /**
   * A disabled playbook reads nothing and detects nothing. Default true.
   */
  enabled?: boolean;
  /**
   * `simulate` records detections and responses marked simulated, never sent to agents. Default `enforce`.
   */
  mode?: 'enforce' | 'simulate';
  /**
   * Which signals the playbook reads.
   */
  match: {
    /**
     * Signal type read, e.g. `attack` or `auth`.
     */
    type: string;
    /**
     * Conditions every read signal meets (all of them).
     *
     * @maxItems 16
     *
     * Items: One condition on one field: exactly one of `equals`, `in` or `exists`.
     */
    where?: {
      /**
       * JSON pointer of a field of the envelope: `/subject`, `/source` or a payload field under `/data/`.
       */
      field: string;
      /**
       * A value to compare a field with.
       */
      equals?: string | number | boolean;
      /**
       * The field equals one of these values.
       *
       * @minItems 1
       * @maxItems 64
       *
       * Items: A value to compare a field with.
       */
      in?: [string | number | boolean, ...(string | number | boolean)[]];
      /**
       * The field is present (true) or absent (false).
       */
      exists?: boolean;
    }[];
  };
  /**
   * Fields whose values form one counter, e.g. the application and the actor IP. Block responses need `/subject` (responses go to one application's agents) and their target here.
   *
   * @minItems 1
   * @maxItems 4
   *
   * Items: JSON pointer of a field of the envelope: `/subject`, `/source` or a payload field under `/data/`.
   */
  groupBy: [string, ...string[]];
  /**
   * Length of the sliding window, in seconds of event time.
   */
  windowSeconds: number;
  /**
   * When a group makes a detection: `count` signals in the window, or `count` distinct values of the `distinct` field.
   */
  threshold: {
    /**
     * How many signals (or distinct values) within the window make a detection.
     */
    count: number;
    /**
     * JSON pointer of a field of the envelope: `/subject`, `/source` or a payload field under `/data/`.
     */
    distinct?: string;
  };
  /**
   * Per-application tuning, by application (the envelope's `subject`).
   */
  overrides?: {
    /**
     * Window and threshold count for one application.
     */
    [k: string]:
      | {
          /**
           * Length of the sliding window, in seconds of event time.
           */
          windowSeconds?: number;
          /**
           * How many signals (or distinct values) within the window make a detection.
           */
          count?: number;
        }
      | undefined;
  };
  /**
   * What a detection does.
   */
  response: {
    /**
     * `block-ip` and `block-user` send a block to the application's agents; `notify` only records the detection.
     */
    action: 'block-ip' | 'block-user' | 'notify';
    /**
     * The field holding the IP or user to block (one of `groupBy`). Required for blocks.
     */
    target?: string;
    /**
     * How long a block lasts, and how long the group stays quiet after a detection.
     */
    durationSeconds: number;
  };
}
