/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/documents/playbook/v2/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * A declarative detection rule of the playbooks product, second language version: richer conditions (prefixes, globs, numeric ranges, named lists, safe patterns), groups over any fields (tuples such as IP and user), and several thresholds with their own windows (a fast burst and a slow low-and-slow window). Field references are JSON pointers into the envelope. Version 1 documents stay valid and run unchanged.
 */
export interface PlaybookV2 {
  /**
   * The playbook language version: 2. Documents without it are version 1.
   */
  language: 2;
  /**
   * Stable identifier of the playbook within the tenant, e.g. `sensitive-file-probe`.
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
     * Signal type read, e.g. `http.request`, `auth` or `attack`.
     */
    type: string;
    /**
     * Conditions every read signal meets (all of them).
     *
     * @maxItems 16
     *
     * Items: One condition on one field: exactly one operator (`equals`, `in`, `prefix`, `suffix`, `glob`, `range`, `inList`, `pattern` or `exists`), optionally negated with `not`.
     */
    where?: {
      /**
       * JSON pointer of a field of the envelope: `/subject`, `/source`, `/type` or a payload field under `/data/`.
       */
      field: string;
      /**
       * True inverts the condition: the signal matches when the operator does not (an absent field then matches).
       */
      not?: boolean;
      /**
       * A value to compare a field with.
       */
      equals?: string | number | boolean;
      /**
       * The field equals one of these values.
       *
       * @minItems 1
       * @maxItems 256
       *
       * Items: A value to compare a field with.
       */
      in?: [string | number | boolean, ...(string | number | boolean)[]];
      /**
       * The field (text) starts with this, or with one of these.
       */
      prefix?: string | [string, ...string[]];
      /**
       * The field (text) ends with this, or with one of these.
       */
      suffix?: string | [string, ...string[]];
      /**
       * The field (text) matches this glob, or one of these: `*` within a path segment, `**` across segments, `?`, `[abc]`, `{a,b}` (picomatch syntax, dots matched).
       */
      glob?: string | [string, ...string[]];
      /**
       * The field is a number within these bounds (both inclusive), e.g. a status from 400 to 499.
       */
      range?: {
        /**
         * Lowest value matched.
         */
        min?: number;
        /**
         * Highest value matched.
         */
        max?: number;
      };
      /**
       * The field is a member of this named list: one shipped with Vigil (`sensitive-paths`, `scanner-paths`, `scanner-user-agents`, `verified-clients`) or one the tenant saved; a tenant's list of a shipped name extends it.
       */
      inList?: string;
      /**
       * A regular expression the field (text) must contain a match of. Checked for catastrophic backtracking and run by a linear-time engine (RE2 syntax); prefer `prefix`, `glob` or a list.
       */
      pattern?: string;
      /**
       * The field is present (true) or absent (false).
       */
      exists?: boolean;
    }[];
  };
  /**
   * Fields whose values together form one counter, e.g. the application, the client IP and the user. Every playbook groups by `/subject` (detection is partitioned by application); a block's target is one of these.
   *
   * @minItems 1
   * @maxItems 4
   *
   * Items: JSON pointer of a field of the envelope: `/subject`, `/source`, `/type` or a payload field under `/data/`.
   */
  groupBy: [string, ...string[]];
  /**
   * When a group makes a detection: each threshold counts on its own window and fires on its own (a fast burst and a slow low-and-slow window).
   *
   * @minItems 1
   * @maxItems 4
   *
   * Items: `count` signals within `windowSeconds`, or `count` distinct values of the `distinct` field.
   */
  thresholds: [
    {
      /**
       * Name of the threshold within the playbook, e.g. `burst` or `slow`: shown in detections and used by overrides.
       */
      name: string;
      /**
       * Length of the sliding window, in seconds of event time.
       */
      windowSeconds: number;
      /**
       * How many signals (or distinct values) within the window make a detection.
       */
      count: number;
      /**
       * JSON pointer of the field whose distinct values are counted instead of signals.
       */
      distinct?: string;
    },
    ...{
      /**
       * Name of the threshold within the playbook, e.g. `burst` or `slow`: shown in detections and used by overrides.
       */
      name: string;
      /**
       * Length of the sliding window, in seconds of event time.
       */
      windowSeconds: number;
      /**
       * How many signals (or distinct values) within the window make a detection.
       */
      count: number;
      /**
       * JSON pointer of the field whose distinct values are counted instead of signals.
       */
      distinct?: string;
    }[],
  ];
  /**
   * Per-application tuning, by application (the envelope's `subject`), then by threshold name.
   */
  overrides?: {
    /**
     * Tuning of one application's thresholds, by threshold name.
     */
    [k: string]:
      | {
          /**
           * Window and count of one threshold for one application.
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
     * How long a block lasts, and how long the group stays quiet after a detection (event time).
     */
    durationSeconds: number;
  };
}
