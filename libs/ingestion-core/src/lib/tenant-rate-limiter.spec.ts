import { TenantRateLimiter } from './tenant-rate-limiter';

describe('TenantRateLimiter', () => {
  it('allows a burst, then refuses with a Retry-After, then refills over time', () => {
    let now = 0;
    const limiter = new TenantRateLimiter({ ratePerSecond: 10, burst: 20 }, () => now);
    expect(limiter.take('acme', 20)).toEqual({ allowed: true });
    expect(limiter.take('acme', 5)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now += 500;
    expect(limiter.take('acme', 5)).toEqual({ allowed: true });
    expect(limiter.take('acme', 15)).toEqual({ allowed: false, retryAfterSeconds: 2 });
  });

  it('keeps tenants apart', () => {
    const limiter = new TenantRateLimiter({ ratePerSecond: 1, burst: 5 }, () => 0);
    expect(limiter.take('noisy', 5).allowed).toBe(true);
    expect(limiter.take('noisy', 1).allowed).toBe(false);
    expect(limiter.take('quiet', 5).allowed).toBe(true);
  });

  it('refuses a batch larger than the burst with the time it would take', () => {
    const limiter = new TenantRateLimiter({ ratePerSecond: 10, burst: 20 }, () => 0);
    expect(limiter.take('acme', 50)).toEqual({ allowed: false, retryAfterSeconds: 5 });
  });

  it('forgets idle tenants once it holds too many', () => {
    let now = 0;
    const limiter = new TenantRateLimiter(
      { ratePerSecond: 100, burst: 10, maxTenants: 2 },
      () => now,
    );
    limiter.take('a', 10);
    limiter.take('b', 10);
    now += 1_000;
    limiter.take('c', 1);
    expect((limiter as unknown as { buckets: Map<string, unknown> }).buckets.size).toBe(1);
  });
});
