/** The verdict of {@link TenantRateLimiter.take}. */
export type RateVerdict =
  { readonly allowed: true } | { readonly allowed: false; readonly retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * Per-tenant token bucket: `ratePerSecond` signals on average, bursts up to `burst`. One noisy
 * tenant cannot take the write path from the others. Memory stays bounded: buckets that have
 * refilled completely are forgotten.
 */
export class TenantRateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: {
      readonly ratePerSecond: number;
      readonly burst: number;
      readonly maxTenants?: number;
    },
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `count` tokens for `tenant`, or says how long to wait before the request can pass. */
  take(tenant: string, count: number): RateVerdict {
    const bucket = this.refill(tenant);
    if (count > this.options.burst) {
      return { allowed: false, retryAfterSeconds: Math.ceil(count / this.options.ratePerSecond) };
    }
    if (bucket.tokens >= count) {
      bucket.tokens -= count;
      return { allowed: true };
    }
    const missing = count - bucket.tokens;
    return {
      allowed: false,
      retryAfterSeconds: Math.max(1, Math.ceil(missing / this.options.ratePerSecond)),
    };
  }

  private refill(tenant: string): Bucket {
    const now = this.now();
    let bucket = this.buckets.get(tenant);
    if (!bucket) {
      this.evictFullBuckets(now);
      bucket = { tokens: this.options.burst, updatedAt: now };
      this.buckets.set(tenant, bucket);
      return bucket;
    }
    const refilled = ((now - bucket.updatedAt) / 1000) * this.options.ratePerSecond;
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + refilled);
    bucket.updatedAt = now;
    return bucket;
  }

  private evictFullBuckets(now: number): void {
    if (this.buckets.size < (this.options.maxTenants ?? 100_000)) {
      return;
    }
    for (const [tenant, bucket] of this.buckets) {
      const tokens = bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.options.ratePerSecond;
      if (tokens >= this.options.burst) {
        this.buckets.delete(tenant);
      }
    }
  }
}
