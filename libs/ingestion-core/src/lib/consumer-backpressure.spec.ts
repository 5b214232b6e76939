import { ConsumerBackpressure } from './consumer-backpressure';

describe('ConsumerBackpressure', () => {
  it('allows while every working consumer is within the limit', () => {
    const gate = new ConsumerBackpressure(1_000, 2);
    gate.observe(
      new Map([
        ['archiver', 999],
        ['insights', 10],
      ]),
    );
    expect(gate.check()).toEqual({ allowed: true });
  });

  it('refuses once a consumer is over the limit, naming the one furthest behind', () => {
    const gate = new ConsumerBackpressure(1_000, 2);
    gate.observe(
      new Map([
        ['archiver', 1_200],
        ['insights', 5_000],
      ]),
    );
    expect(gate.check()).toEqual({
      allowed: false,
      consumer: 'insights',
      behind: 5_000,
      limit: 1_000,
      retryAfterSeconds: 2,
    });
  });

  it('keeps refusing until the consumer is back under half the limit', () => {
    const gate = new ConsumerBackpressure(1_000, 2);
    gate.observe(new Map([['insights', 1_001]]));
    gate.observe(new Map([['insights', 600]]));
    expect(gate.check().allowed).toBe(false);
    gate.observe(new Map([['insights', 499]]));
    expect(gate.check().allowed).toBe(true);
    gate.observe(new Map([['insights', 999]]));
    expect(gate.check().allowed).toBe(true);
  });

  it('never refuses with limit 0', () => {
    const gate = new ConsumerBackpressure(0, 2);
    gate.observe(new Map([['insights', 10_000_000]]));
    expect(gate.check().allowed).toBe(true);
  });
});
