/* eslint-disable */
/**
 * GENERATED FILE — DO NOT EDIT.
 * Source: schemas/signals/metric/v1/schema.json. Regenerate with `npm run codegen`; CI fails when this file drifts.
 */

/**
 * Counters measured by an agent over one interval for the application named by the envelope's `subject`.
 */
export interface MetricV1 {
  /**
   * The measured interval.
   */
  interval: {
    /**
     * Start of the interval (inclusive).
     */
    start: string;
    /**
     * End of the interval (exclusive).
     */
    end: string;
  };
  /**
   * Counter name to value over the interval, e.g. `{"requests": 1200, "attacks.blocked": 3}`.
   */
  counters: {
    /**
     * Counter value.
     */
    [k: string]: number | undefined;
  };
}
