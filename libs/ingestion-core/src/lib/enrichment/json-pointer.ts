/**
 * Resolves a JSON pointer pattern against a document: `*` matches every array item or object
 * entry. Returns each concrete pointer with its value; missing paths yield nothing.
 *
 * @example expandPointer({ a: [{ b: 1 }, { b: 2 }] }, '/a/*\/b') // [['/a/0/b', 1], ['/a/1/b', 2]]
 */
export function expandPointer(document: unknown, pattern: string): Array<[string, unknown]> {
  const tokens = pattern === '' ? [] : pattern.slice(1).split('/');
  let matches: Array<[string, unknown]> = [['', document]];
  for (const token of tokens) {
    matches = matches.flatMap(([pointer, value]) => step(pointer, value, token));
  }
  return matches;
}

function step(pointer: string, value: unknown, token: string): Array<[string, unknown]> {
  if (typeof value !== 'object' || value === null) {
    return [];
  }
  if (token === '*') {
    return Object.entries(value).map(([key, child]) => [`${pointer}/${escape(key)}`, child]);
  }
  const key = token.replace(/~1/g, '/').replace(/~0/g, '~');
  return Object.prototype.hasOwnProperty.call(value, key)
    ? [[`${pointer}/${token}`, (value as Record<string, unknown>)[key]]]
    : [];
}

function escape(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
