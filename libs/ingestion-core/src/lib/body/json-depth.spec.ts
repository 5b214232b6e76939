import { jsonDepth } from './json-depth';

/** `levels` arrays nested in one another, innermost holding a scalar. */
function nestedArrays(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) {
    value = [value];
  }
  return value;
}

describe('jsonDepth', () => {
  it('counts scalars as 0 and each object or array level as 1', () => {
    expect(jsonDepth('text', 10)).toBe(0);
    expect(jsonDepth(null, 10)).toBe(0);
    expect(jsonDepth({}, 10)).toBe(1);
    expect(jsonDepth({ a: [1, { b: [] }] }, 10)).toBe(4);
    expect(jsonDepth([{}, [[[]]]], 10)).toBe(4);
  });

  it('reports the deepest branch, wherever it is', () => {
    expect(jsonDepth({ shallow: 1, deep: { x: { y: { z: {} } } }, last: [] }, 10)).toBe(5);
  });

  it('stops at limit + 1 without walking a hostile document to its end', () => {
    expect(jsonDepth(nestedArrays(8), 8)).toBe(8);
    expect(jsonDepth(nestedArrays(9), 8)).toBe(9);
    // Deeper than the call stack allows: the walk must give up at the limit, not recurse on.
    expect(jsonDepth(nestedArrays(200_000), 32)).toBe(33);
  });

  it('counts a "__proto__" key from JSON.parse like any other key', () => {
    expect(jsonDepth(JSON.parse('{"__proto__": {"a": {"b": {}}}}'), 10)).toBe(4);
  });
});
