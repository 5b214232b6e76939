import { quantile, quantileByWindow } from './latency';

describe('quantile', () => {
  it('takes the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(quantile(values, 0.5)).toBe(50);
    expect(quantile(values, 0.99)).toBe(99);
    expect(quantile(values, 1)).toBe(100);
    expect(quantile([], 0.99)).toBe(0);
  });
});

describe('quantileByWindow', () => {
  it('gives each window of send time its own quantile, in order, empty windows included', () => {
    const requests = [
      { sentAtMs: 0, latencyMs: 5 },
      { sentAtMs: 900, latencyMs: 7 },
      { sentAtMs: 2_100, latencyMs: 40 },
      { sentAtMs: 2_500, latencyMs: 10 },
    ];
    expect(quantileByWindow(requests, 1, 1_000)).toEqual([
      { value: 7, count: 2 },
      { value: 0, count: 0 },
      { value: 40, count: 2 },
    ]);
  });
});
