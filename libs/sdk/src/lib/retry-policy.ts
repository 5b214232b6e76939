/** Longest wait between two attempts. */
const MAX_DELAY_MS = 30_000;

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): exponential from `baseMs` with full
 * jitter, never shorter than the platform's `Retry-After`, never longer than 30 s.
 */
export function retryDelayMs(
  attempt: number,
  baseMs: number,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(MAX_DELAY_MS, baseMs * 2 ** (attempt - 1));
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return Math.min(MAX_DELAY_MS, Math.max(jittered, retryAfterMs ?? 0));
}

/** Statuses worth retrying: the platform or the network is temporarily unable. */
export function isRetryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}
