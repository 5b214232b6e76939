import { newUlid } from './ulid';

describe('newUlid', () => {
  it('makes 26-character Crockford base32 ids', () => {
    expect(newUlid()).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('sorts in creation order, also within one millisecond and when the clock goes back', () => {
    const ids = [newUlid(1_000), newUlid(1_000), newUlid(1_000), newUlid(999), newUlid(1_001)];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('never repeats across many ids', () => {
    const ids = Array.from({ length: 20_000 }, () => newUlid());
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });
});
