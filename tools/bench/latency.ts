/** The value at quantile `q` (0–1) of the measurements, nearest-rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) {
    return 0;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

/** One request's measurement: when it was sent (ms from the start of its phase) and how long it took. */
export interface TimedRequest {
  readonly sentAtMs: number;
  readonly latencyMs: number;
}

/**
 * The quantile `q` of the latencies of each consecutive window of `windowMs` (by send time), in
 * order: shows whether a phase's figure is steady or one bad stretch (and which).
 */
export function quantileByWindow(
  requests: readonly TimedRequest[],
  q: number,
  windowMs: number,
): { readonly value: number; readonly count: number }[] {
  const windows: number[][] = [];
  for (const request of requests) {
    const index = Math.floor(request.sentAtMs / windowMs);
    while (windows.length <= index) {
      windows.push([]);
    }
    windows[index]?.push(request.latencyMs);
  }
  return windows.map((latencies) => ({ value: quantile(latencies, q), count: latencies.length }));
}
