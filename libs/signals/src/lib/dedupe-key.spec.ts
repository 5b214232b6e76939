import { dedupeKey } from './dedupe-key';

describe('dedupeKey', () => {
  it('is stable, fixed-length, and differs when tenant, source or id differ', () => {
    const key = dedupeKey('acme', 'agent://a', 'e1');
    expect(key).toBe(dedupeKey('acme', 'agent://a', 'e1'));
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const others = [
      dedupeKey('globex', 'agent://a', 'e1'),
      dedupeKey('acme', 'agent://b', 'e1'),
      dedupeKey('acme', 'agent://a', 'e2'),
    ];
    expect(new Set([key, ...others]).size).toBe(4);
  });

  it('does not confuse parts that concatenate alike', () => {
    expect(dedupeKey('ab', 'c', 'd')).not.toBe(dedupeKey('a', 'bc', 'd'));
  });
});
